"""The planner's report: one self-contained HTML file with every section and real plots."""

from __future__ import annotations

import base64
import io
from html.parser import HTMLParser
from pathlib import Path

import matplotlib.image
import pytest

from experiments.cli import main
from experiments.comparison.report import PLOTS, SECTIONS
from model.parameters import PARAMETERS

SMALL = ["--set", "n_returnees=250", "--set", "n_communities=5", "--set",
         "households_per_community=80", "--replicates", "3", "--workers", "1"]  # fmt: skip
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Page(HTMLParser):
    """Sections (by id) with their text, images and tables."""

    def __init__(self, text: str):
        super().__init__()
        self.sections: dict[str, dict] = {}
        self.current: dict | None = None
        self.external: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.current = self.sections.setdefault(
                attrs["id"], {"text": "", "images": {}, "tables": 0}
            )
        elif tag in ("img", "script", "link") and not attrs.get("src", "data:").startswith("data:"):
            self.external.append(attrs.get("src") or attrs.get("href"))
        elif tag == "link":
            self.external.append(attrs.get("href"))
        if self.current is None:
            return
        if tag == "img":
            self.current["images"][attrs["id"]] = attrs["src"]
        elif tag == "table":
            self.current["tables"] += 1

    def handle_endtag(self, tag):
        if tag == "section":
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current["text"] += data


@pytest.fixture(scope="module")
def budgets_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    assert main(["compare", *SMALL, "--months", "7", "--budget", "200000,400000",
                 "--out", str(out)]) == 0  # fmt: skip
    return out


def decode(src: str) -> bytes:
    prefix = "data:image/png;base64,"
    assert src.startswith(prefix)
    return base64.b64decode(src[len(prefix) :])


def assert_real_png(data: bytes) -> None:
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 5_000
    image = matplotlib.image.imread(io.BytesIO(data), format="png")
    assert image.ndim == 3 and image.shape[0] > 200 and image.shape[1] > 400
    assert image[..., :3].std() > 0.05, "not a blank picture"


def test_report_holds_every_section_with_plain_text(budgets_report):
    page = Page((budgets_report / "report.html").read_text(encoding="utf-8"))
    assert list(page.sections) == list(SECTIONS)
    for sid, section in page.sections.items():
        assert SECTIONS[sid] in section["text"]
        words = section["text"].replace(SECTIONS[sid], "").split()
        assert len(words) > 40, sid


def test_every_plot_is_embedded_and_written_beside_the_report(budgets_report):
    page = Page((budgets_report / "report.html").read_text(encoding="utf-8"))
    for name, sid in PLOTS.items():
        src = page.sections[sid]["images"][f"plot-{name}"]
        embedded = decode(src)
        assert_real_png(embedded)
        assert (budgets_report / f"{name}.png").read_bytes() == embedded


def test_report_is_self_contained(budgets_report):
    text = (budgets_report / "report.html").read_text(encoding="utf-8")
    page = Page(text)
    assert page.external == []
    assert "http://" not in text and "https://" not in text


def test_report_tables(budgets_report):
    page = Page((budgets_report / "report.html").read_text(encoding="utf-8"))
    for sid in ("summary", "left-behind", "monitoring", "budget", "parameters"):
        assert page.sections[sid]["tables"] >= 1, sid
    parameters = page.sections["parameters"]["text"]
    assert all(name in parameters for name in PARAMETERS)
    for strategy in ("none", "individual", "community", "structural", "integrated"):
        assert strategy in page.sections["summary"]["text"]
    assert "100,000" in page.sections["budget"]["text"]
    for group in ("women", "men", "vulnerable", "forced", "voluntary", "empty-handed"):
        assert group in page.sections["left-behind"]["text"]


def test_monitoring_section_says_which_rounds_a_short_run_cannot_see(budgets_report):
    page = Page((budgets_report / "report.html").read_text(encoding="utf-8"))
    text = page.sections["monitoring"]["text"]
    assert "nobody has been back 12, 18, 24 months" in text


def test_one_budget_report_explains_how_to_ask_the_budget_question(tmp_path):
    assert main(["compare", *SMALL, "--months", "3", "--strategies", "integrated",
                 "--out", str(tmp_path)]) == 0  # fmt: skip
    page = Page((tmp_path / "report.html").read_text(encoding="utf-8"))
    assert list(page.sections) == list(SECTIONS)
    assert page.sections["budget"]["images"] == {}
    assert "--budget" in page.sections["budget"]["text"]
    assert not (tmp_path / "budget.png").exists()
    for name, sid in PLOTS.items():
        if name != "budget":
            assert_real_png(decode(page.sections[sid]["images"][f"plot-{name}"]))
