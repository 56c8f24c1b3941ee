"""Fixtures of the trainer's page's tests."""

import pytest
import solara

from model.support import load_packages, load_strategies
from view.side_by_side import SideBySide


@pytest.fixture
def render():
    """solara.render, unmounting every page at the end: Mesa's step counter is shared, so a
    page left mounted would redraw along with the next test's."""
    contexts = []

    def _render(element):
        _, rc = solara.render(element, handle_error=False)
        contexts.append(rc)
        return rc

    yield _render
    for rc in contexts:
        rc.close()


@pytest.fixture(scope="module")
def support():
    """The shipped packages and strategies, as the page's controls offer them."""
    packages = load_packages()
    return packages, load_strategies(packages)


@pytest.fixture(scope="module")
def stepped():
    """A page's model six months in."""
    model = SideBySide(strategy_a="individual", strategy_b="community", seed=1)
    for _ in range(6):
        model.step()
    return model
