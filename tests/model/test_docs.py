"""The ODD description stays true to the code."""

from model import describe
from model.parameters import PARAMETERS


def test_generated_sections_of_the_odd_are_current():
    text = describe.ODD.read_text()
    assert describe.render(text) == text, "run: python -m model.describe"


def test_odd_names_every_parameter_and_mechanism():
    text = describe.ODD.read_text()
    missing = [name for name in PARAMETERS if f"`{name}`" not in text]
    assert not missing
    for call in describe.schedule():
        assert f"`{call}`" in text


def test_odd_has_the_seven_elements():
    text = describe.ODD.read_text()
    for heading in (
        "Purpose and patterns",
        "Entities, state variables and scales",
        "Process overview and scheduling",
        "Design concepts",
        "Initialisation",
        "Input data",
        "Submodels",
    ):
        assert heading in text


def test_every_parameter_says_whether_its_size_is_assumed():
    """``assumed`` is data, given on every row: a row that leaves it out (one added on
    another branch, say) is named here rather than counted as sourced."""
    silent = [name for name, p in PARAMETERS.items() if not isinstance(p.assumed, bool)]
    assert not silent, f"rows without assumed=True/False in model/parameters.py: {silent}"


def test_a_row_without_assumed_is_caught():
    from model.parameters import P, Parameter

    row = P(1.0, "share", 0.0, 1.0, "a number with no word on its source")
    assert Parameter("x", *vars(row).values()).assumed is None


def test_every_assumed_parameter_has_a_plausible_range_around_its_default():
    """An assumed size is an uncertainty: the robustness worlds and the calibration's priors
    vary it over ``plausible=(lo, hi)``, which must hold the default and lie in the allowed
    range. A row without one (added on another branch, say) is named here."""
    missing = [n for n, p in PARAMETERS.items() if p.assumed and p.plausible is None]
    assert not missing, f"assumed rows without plausible=(lo, hi) in model/parameters.py: {missing}"

    def around(p) -> bool:
        lo, hi = p.plausible
        return p.low <= lo <= p.default <= hi <= p.high

    outside = [n for n, p in PARAMETERS.items() if p.plausible and not around(p)]
    assert not outside, f"plausible ranges not around the default within low..high: {outside}"


def test_the_parameter_table_shows_the_plausible_range():
    from model.parameters import markdown_table

    row = next(r for r in markdown_table().splitlines() if "`sustainable_threshold`" in r)
    assert "| 0.5 – 0.7 |" in row
