"""The planner's report: one self-contained HTML file with every section and real plots."""

from __future__ import annotations

import base64
import io
import re
from html.parser import HTMLParser
from types import SimpleNamespace

import matplotlib.image
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from experiments.cli import main, parser
from experiments.cli.compare import settings_from
from experiments.comparison.compare import AGE_BANDS, HEADLINE_COST, outcome, run_comparison
from experiments.comparison.report import (
    PLOTS,
    ROBUST_PLOTS,
    SECTIONS,
    _parameters_section,
    draw_plots,
)
from experiments.comparison.summary import summarise
from experiments.comparison.tables import NO_REASON, decode_sources
from model.parameters import PARAMETERS
from model.scenario import load_scenario, scenario_files
from tests.experiments.conftest import chromium_page

SMALL = ["--set", "n_returnees=250", "--set", "n_communities=5", "--set",
         "households_per_community=80", "--replicates", "3", "--workers", "1",
         "--no-worlds"]  # fmt: skip
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


def test_without_an_ensemble_the_report_opens_with_the_decision_and_says_chance_only(
    budgets_report,
):
    text = (budgets_report / "report.html").read_text(encoding="utf-8")
    assert text.index("id='decision'") < text.index("Numbers in brackets are 95% intervals")
    page = Page(text)
    assert "How robust. Chance only." in page.sections["decision"]["text"]
    assert "These results cover chance only" in page.sections["robust"]["text"]
    assert page.sections["robust"]["images"] == {}
    assert not any((budgets_report / f"{name}.png").exists() for name in ROBUST_PLOTS)


def test_the_headline_cost_stands_next_to_the_difference_with_its_interval(budgets_report):
    text = (budgets_report / "report.html").read_text(encoding="utf-8")
    summary = text[text.index("id='summary'") : text.index("id='robust'")]
    order = ["vs none (points)", outcome(HEADLINE_COST).heading(), outcome("composite").heading()]
    assert sorted(order, key=summary.index) == order
    assert re.search(r"<td>[\d,]+<br><span class='ci'>[\d,]+ to ([\d,]+|no bound)", summary)


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


# --------------------------------------------------------------- money, reasons, layout


@pytest.fixture(scope="module")
def budgets_comparison(tmp_path_factory):
    """Two budgets, the five shipped strategies: the comparison object itself."""
    out = tmp_path_factory.mktemp("figures")
    args = parser().parse_args(["compare", *SMALL, "--months", "7", "--budget",
                                "200000,400000", "--out", str(out)])  # fmt: skip
    comparison = run_comparison(settings_from(args), out)
    return comparison, summarise(comparison)


def _overlaps(boxes) -> list[tuple[int, int]]:
    return [(i, j) for i, a in enumerate(boxes) for j, b in enumerate(boxes)
            if i < j and a.overlaps(b)]  # fmt: skip


def test_no_tick_labels_overlap_in_any_figure(budgets_comparison):
    comparison, tables = budgets_comparison
    assert len(comparison.settings.strategies) == 5
    plots = draw_plots(comparison, tables)
    assert "budget" in plots
    for name, plot in plots.items():
        renderer = FigureCanvasAgg(plot.figure).get_renderer()
        for ax in plot.figure.axes:
            for axis in (ax.xaxis, ax.yaxis):
                labels = [t for t in axis.get_ticklabels() if t.get_visible() and t.get_text()]
                boxes = [t.get_window_extent(renderer) for t in labels]
                assert not _overlaps(boxes), (name, [t.get_text() for t in labels])


def _runs_into(ax, others, renderer) -> list[str]:
    """The texts of other panels (tick labels, titles) that ``ax``'s title overlaps."""
    near = [t for o in others for axis in (o.xaxis, o.yaxis) for t in axis.get_ticklabels()]
    near += [o.title for o in others]
    title = ax.title.get_window_extent(renderer)
    shown = [t for t in near if t.get_visible() and t.get_text()]
    return [t.get_text() for t in shown if title.overlaps(t.get_window_extent(renderer))]


def test_no_panel_title_runs_into_another_panel_or_its_tick_labels(budgets_comparison):
    """user13: left_behind.png's "vulnerability (trauma, health, trafficking, minors)" ran
    into the next panel's "100%"."""
    comparison, tables = budgets_comparison
    for name, plot in draw_plots(comparison, tables).items():
        renderer = FigureCanvasAgg(plot.figure).get_renderer()
        axes = [ax for ax in plot.figure.axes if ax.get_visible()]
        for ax in (ax for ax in axes if ax.get_title()):
            others = [o for o in axes if o is not ax]
            assert not _runs_into(ax, others, renderer), (name, ax.get_title())


def test_every_figure_has_a_title_of_its_own(budgets_comparison):
    """user13: glance.png, copied into a slide away from the page, said nothing of what it
    shows; a figure's alt text is not in its picture."""
    comparison, tables = budgets_comparison
    for name, plot in draw_plots(comparison, tables).items():
        assert any(ax.get_title() for ax in plot.figure.axes), name


def test_appendix_gives_the_scenarios_own_reason_for_each_changed_value(tmp_path):
    assert main(["compare", "mass_return", "--set", "n_returnees=250", "--months", "3",
                 "--replicates", "2", "--workers", "1", "--strategies", "community",
                 "--out", str(tmp_path)]) == 0  # fmt: skip
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    appendix = html[html.index("<section id='parameters'>") :]
    changed_table, folded = appendix.split("<details>")
    scenario = load_scenario("mass_return")
    changed = [n for n, p in PARAMETERS.items() if getattr(scenario, n) != p.default]
    assert changed
    for name in changed:
        row = changed_table[changed_table.index(f"<td>{name}</td>") :].split("</tr>")[0]
        if name == "n_returnees":  # set on the command line: the file's reason is not its own
            assert NO_REASON in row
        else:
            assert decode_sources(scenario.reasons[name]) in row, name
        assert f"<td>{name}</td>" not in folded
    assert PARAMETERS["n_returnees"].reason not in appendix
    assert "assumed for this model" in changed_table and "(assumed)" not in appendix
    assert "IOM (2017)" in folded and "003 s." not in appendix and "DOMAIN" not in appendix


def test_report_says_its_intervals_cover_chance_only(budgets_report):
    text = (budgets_report / "report.html").read_text(encoding="utf-8")
    assert "These intervals cover chance only" in text
    assert "not the uncertainty in the assumed parameters" in text


def test_age_bands_run_youngest_first_in_the_table(budgets_report):
    table = pd.read_csv(budgets_report / "left_behind.csv")
    html = (budgets_report / "report.html").read_text(encoding="utf-8")
    section = html[html.index("<section id='left-behind'>") :]
    shown = [band for band in AGE_BANDS[1] if band in set(table.group)]
    positions = [section.index(f"<td>{band}</td>") for band in shown]
    assert positions == sorted(positions)


def test_the_cli_counts_every_file_it_wrote(budgets_report, capsys):
    written = sorted(p for p in budgets_report.iterdir() if p.is_file())
    args = ["compare", *SMALL, "--months", "2", "--replicates", "2", "--strategies",
            "community", "--out", str(budgets_report / "again")]  # fmt: skip
    assert main(args) == 0
    again = [p for p in (budgets_report / "again").iterdir() if p.is_file()]
    assert f"and {len(again) - 1} more files" in capsys.readouterr().out
    assert written


@pytest.mark.browser
def test_report_reads_at_1280_pixels_in_chromium(budgets_report):
    """No horizontal scroll, every table inside its box, in Debian's headless chromium."""
    with chromium_page(budgets_report / "report.html", 1280, 900) as page:
        page.click("details summary")
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        tables = page.evaluate(
            "Array.from(document.querySelectorAll('table')).map(t => [t.closest("
            "'section').id, t.getBoundingClientRect().right, t.parentElement.scrollWidth,"
            " t.parentElement.clientWidth])"
        )
    assert scroll <= client == 1280
    assert len(tables) >= 6
    for section, right, inner, box in tables:
        assert right <= client and inner <= box, section


def test_every_shipped_scenario_explains_each_value_it_changes():
    for path in scenario_files():
        scenario = load_scenario(path.stem)
        changed = {n for n, p in PARAMETERS.items() if getattr(scenario, n) != p.default}
        assert changed <= set(scenario.reasons), (path.stem, changed - set(scenario.reasons))


def test_reasons_are_inherited_only_for_values_not_set_again(tmp_path, capsys):
    child = tmp_path / "north.toml"
    child.write_text('inherits = "mass_return"\n[population]\nn_returnees = 1800\n'
                     '[reasons]\nshare_femal = "registry"\nn_communities = 3\n')  # fmt: skip
    assert main(["validate", str(child)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "error: north.toml: reasons.share_femal: unknown parameter; did you mean share_female"
        " or share_trauma or share_forced?",
        "error: north.toml: reasons.n_communities: 3 is not allowed; allowed: a text in quotes",
    ]
    child.write_text('inherits = "mass_return"\n[population]\nn_returnees = 1800\n')
    reasons, parent = load_scenario(child).reasons, load_scenario("mass_return").reasons
    assert "n_returnees" not in reasons, "the parent's reason is for its own value"
    assert reasons["arrival_months"] == parent["arrival_months"]


def test_every_file_the_report_names_is_beside_it_or_comes_from_a_run(budgets_report):
    """A planner told to open a file finds it in the folder they were sent, or is told which
    command writes it (a comparison keeps no list of who received what)."""
    page = Page((budgets_report / "report.html").read_text(encoding="utf-8"))
    text = " ".join(section["text"] for section in page.sections.values())
    named = set(re.findall(r"\b[a-z_]+\.(?:parquet|csv|png|json)\b", text))
    assert "received.parquet" in named
    for name in named:
        assert (budgets_report / name).exists() or f"reintegrate run writes {name}" in text, name


def test_the_first_screen_names_the_month_its_numbers_are_read_at(budgets_report):
    """The leader changes with the horizon, so the glance's table and plot say which month
    they show (the comparison behind budgets_report runs 7 months)."""
    page = Page((budgets_report / "report.html").read_text(encoding="utf-8"))
    text = page.sections["glance"]["text"]
    assert "Every column is read at month 7, the last simulated." in text
    assert "non-migrants feel of it, after 7 months" in text


@pytest.mark.parametrize("name", ["default", "mass_return"])
def test_the_appendix_counts_what_the_scenario_changes_in_words(name):
    """A scenario that changes nothing says so once, not "the 0 values ... come first" and
    "the other N parameters"; one that changes some counts them."""
    scenario = load_scenario(name)
    settings = SimpleNamespace(scenario=scenario, strategies=scenario.strategies)
    intro, _, *rest = _parameters_section(settings)
    changed = sum(getattr(scenario, n) != p.default for n, p in PARAMETERS.items())
    folded = rest[-1].summary
    assert "The 0 values" not in str(intro)
    if changed:
        assert f"The {changed} values this scenario changes" in str(intro)
        assert folded.startswith("The other ")
    else:
        assert "changes none of the model's defaults" in str(intro)
        assert folded == f"The {len(PARAMETERS)} parameters, at their defaults"


def test_plots_over_months_say_months_since_the_programme_began_not_of_the_programme():
    """user13: a 48-month comparison of a 24-month programme labelled its x axis "month of
    the programme" up to month 48."""
    from experiments.comparison.estimates import HIGH, LOW
    from experiments.comparison.plots import plot_do_no_harm

    frame = pd.DataFrame({"strategy": "none", "month": range(1, 49)})
    for col in ("nonmigrant_wellbeing", "tension"):
        frame[col] = frame[col + LOW] = frame[col + HIGH] = 0.5
    plot = plot_do_no_harm(frame, {"none": "#000000"})
    assert {ax.get_xlabel() for ax in plot.figure.axes} == {"months since the programme began"}
