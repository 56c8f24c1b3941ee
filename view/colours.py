"""Every colour the trainer's page gives a meaning to, in one place, one meaning each.

A room reads colour before words: green that meant "strategy B" on one card and "sustainably
reintegrated" on the next taught the wrong lesson. Here each meaning has its own colour, and
no two are close enough to be taken for each other on a projector
(``tests/view/test_pictures.py`` checks both). Shades (a household's well-being from pale to
dark blue, a returnee's score from red to green) carry one meaning along a scale.
"""

from __future__ import annotations

from matplotlib import colormaps
from matplotlib.colors import to_hex

from model.outcomes import DECLARED

#: The two strategies: A solid and purple, B dashed and black, on every chart and bar.
SIDE_COLOURS = {"A": "#7b3294", "B": "#000000"}
#: A returnee's reintegration state, as traffic lights.
SETTLED, SETTLING, MAY_LEAVE = "#1a9641", "#fdae61", "#d7191c"
#: The three scores of a returnee (the dimensions chart).
DIMENSION_COLOURS = {"economic": "#e6ab02", "social": "#e7298a", "psychosocial": "#17becf"}
#: The community around the returnees: its tension, and the well-being of the families who
#: never left (blue, as the non-migrant households' shades on the network).
COMMUNITY_COLOURS = {"tension": "#8c510a", "nonmigrant_wellbeing": "#2c7bb6"}
#: A household one of whose members has come back.
FAMILY_COLOUR = "#f1b6da"
#: A non-migrant household before its first month, when its well-being is not yet measured.
NOT_YET_COLOUR = "#d9d9d9"
#: Shades of blue from struggling to doing well (a lookup: cheaper than a colormap per agent).
WELLBEING_SHADES = [to_hex(colormaps["Blues"](0.25 + 0.75 * i / 20)) for i in range(21)]
#: Red (0, very poor) through yellow to green (1, very good), for a returnee's score.
SCORE_SHADES = [to_hex(colormaps["RdYlGn"](0.05 + 0.9 * i / 20)) for i in range(21)]


def meanings() -> dict[str, str]:
    """Each meaning the page gives a single colour, and that colour."""
    return {
        **{f"strategy {side}": colour for side, colour in SIDE_COLOURS.items()},
        DECLARED["share_sustainable"].label: SETTLED,
        "still settling": SETTLING,
        "may leave again": MAY_LEAVE,
        **DIMENSION_COLOURS,
        **COMMUNITY_COLOURS,
        "a returnee's family": FAMILY_COLOUR,
        "not yet measured": NOT_YET_COLOUR,
    }
