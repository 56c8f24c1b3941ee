"""A report cannot run code: hostile strings in every field a user writes stay text; and the
cluster recipe does not open a door to the workers.

A scenario file, its strategies and reasons and a calibrated ensemble's folder and metadata
all carry markup and script; the report is read twice: by Python's HTML parser (fast, in
``make check``) and in Debian's headless chromium (``-m browser``), where an injected element
or a script that ran would show in the DOM.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from experiments.calibration.ensemble import write_ensemble
from experiments.cli import main
from tests.experiments.conftest import chromium_page

#: Markup that would run script or add an element if it reached the page unescaped.
HOSTILE = (
    '<script>window.injected=1</script><img src=x onerror="window.injected=2">'
    "<b id='injected'>x</b>'\"&amp;"
)
#: A folder name cannot hold a slash; this one would still add an element.
HOSTILE_FOLDER = "<img src=x onerror=window.injected=3 id=injected>"
#: The tags the report writes itself: anything else came from a user's string.
OWN_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "section", "p", "b",
            "i", "code", "br", "span", "div", "table", "thead", "tbody", "tr", "th", "td",
            "details", "summary", "figure", "img", "figcaption"}  # fmt: skip


def _toml(text: str) -> str:
    return json.dumps(text)  # a JSON string is a TOML basic string


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> Path:
    """A comparison whose scenario, strategy, reasons and ensemble all say HOSTILE."""
    tmp = tmp_path_factory.mktemp("hostile")
    scenario = tmp / "hostile.toml"
    scenario.write_text(
        f'name = {_toml(HOSTILE)}\ndescription = {_toml(HOSTILE)}\ninherits = "default"\n'
        "[population]\nn_returnees = 120\nn_communities = 4\nhouseholds_per_community = 40\n"
        f"[reasons]\nn_returnees = {_toml(HOSTILE + ' (assumed)')}\n"
        f'[strategies.hostile]\ndescription = {_toml(HOSTILE)}\ntargeting = "needs"\n'
        "shares = { cash_grant = 0.5, dialogue_forum = 0.5 }\n"
    )
    ensemble = tmp / HOSTILE_FOLDER
    write_ensemble(ensemble, pd.DataFrame({"business_return": [0.02, 0.03]}), [0.5, 0.5],
                   {"scenario": HOSTILE, "targets_digest": "test", "simulations": 0})  # fmt: skip
    out = tmp / "out"
    args = ["compare", str(scenario), "--strategies", "hostile,individual",
            "--months", "3", "--replicates", "2", "--workers", "1", "--ensemble",
            str(ensemble), "--draws", "2", "--draw-replicates", "1", "--out", str(out)]  # fmt: skip
    assert main(args) == 0
    return out / "report.html"


class Tags(HTMLParser):
    """Every start tag and every attribute name of a page, and its text."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.ids: set[str] = set()
        self.text = ""
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes |= {name for name, _ in attrs}
        self.ids |= {value for name, value in attrs if name == "id"}

    def handle_data(self, data):
        self.text += data


def test_hostile_strings_are_text_in_the_report(hostile_report):
    page = Tags(hostile_report.read_text(encoding="utf-8"))
    assert page.tags <= OWN_TAGS, "no element a user's string brought in"
    assert not {a for a in page.attributes if a.startswith("on")}, "no event handler"
    assert "injected" not in page.ids
    assert HOSTILE in page.text, "the scenario's own words are shown, as text"
    assert HOSTILE_FOLDER in page.text, "so is the ensemble's folder"
    assert "<b>" not in page.text, "no markup of the report's own shown as text"


@pytest.mark.browser
def test_no_script_runs_and_no_element_is_injected_in_chromium(hostile_report):
    with chromium_page(hostile_report) as page:
        found = page.evaluate(
            "[typeof window.injected, document.querySelectorAll('script').length, "
            "document.querySelectorAll('#injected').length, "
            "Array.from(document.querySelectorAll('*')).filter(e => Array.from("
            "e.attributes).some(a => a.name.startsWith('on'))).length, "
            "document.body.innerText]"
        )
    ran, scripts, injected, handlers, text = found
    assert (ran, scripts, injected, handlers) == ("undefined", 0, 0, 0)
    assert "<script>window.injected=1</script>" in text


def test_the_cluster_recipe_listens_on_loopback_or_tls_and_warns():
    """Anyone who reaches a Dask scheduler runs code on its workers: the documented commands
    start one on 127.0.0.1, or with TLS, never open on every interface, and say why."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "researchers.md").read_text()
    starts = re.findall(r"dask scheduler[^\n]*", text)
    assert starts, "the recipe starts a scheduler"
    for line in starts:
        assert "0.0.0.0" not in line
        assert "--host 127.0.0.1" in line or "--protocol tls" in line, line
    assert "Warning: a Dask scheduler runs whatever it is sent" in text
    assert "tls://SCHEDULER" in text and "REQUIRE_ENCRYPTION=True" in text
