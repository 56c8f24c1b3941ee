"""The charts: both sides' outcomes month by month (:class:`LineChart`), and where the money
went (:class:`SpendingView`); kept figures, so a month moves only their lines and bars."""

from __future__ import annotations

import math
import re

import numpy as np
from matplotlib.ticker import FuncFormatter, MaxNLocator

from model.outcomes import DECLARED
from model.support import LEVELS, Package
from view.colours import SIDE_COLOURS
from view.kept_figure import KeptFigure
from view.side_by_side import SIDES, SideBySide

#: Picture sizes (inches at the kept figures' DPI) and the text size inside them (points).
#: A picture is shown as wide as its card, so text of ``FONT`` points in a picture ``w``
#: inches wide shows at FONT x (its width on screen) / (72 w) pixels: 16-17 px in a card
#: 400-440 px wide (two cards a row beside the controls on a 1280-wide projector), more in
#: presentation and on larger screens (``tests/view/test_browser.py`` measures it).
CHART_SIZE, SPENDING_SIZE, FONT = (4.0, 2.6), (4.2, 3.6), 12.5


def chart_text_px(size_inches: float, shown_px: float) -> float:
    """The size on screen (CSS pixels) of a picture's text, when the picture ``size_inches``
    wide is shown ``shown_px`` wide."""
    return FONT * shown_px / (72 * size_inches)


def outcome_label(key: str) -> str:
    """An outcome's label, as its declaration gives it (:data:`model.outcomes.DECLARED`)."""
    return DECLARED[key].label


def outcome_value(key: str, x: float) -> str:
    """An outcome's value, as its declaration formats it; a dash before it is measured."""
    return "–" if math.isnan(x) else DECLARED[key].fmt(x)


def tidy_value(key: str, x: float) -> str:
    """An outcome's value as its declaration formats it, without trailing zeros (``20%``,
    ``40``): an axis's ticks, and the top of its scale."""
    text = re.sub(r"(\.\d*?)0+(?=\D*$)", r"\1", outcome_value(key, x))
    return re.sub(r"\.(?=\D*$)", "", text)


def scale(key: str) -> str:
    """The scale an outcome is shown on, from its declaration: ``0 to 100``."""
    return f"0 to {tidy_value(key, 1.0)}"


def _tick(key: str) -> FuncFormatter:
    """Axis ticks in the outcome's own format (:func:`tidy_value`)."""
    return FuncFormatter(lambda x, _position: tidy_value(key, x))


def both_sides(colours: dict[str, str]) -> dict[str, str]:
    """SideBySide's DataCollector columns to plot (both sides of each key), with colours."""
    return {f"{side}: {key}": colour for key, colour in colours.items() for side in SIDES}


class LineChart(KeptFigure):
    """Both sides' lines of some of the page's DataCollector columns: A solid, B dashed.

    Mesa's ``make_plot_component`` draws a new figure every month and saves it with a tight
    bounding box: about a quarter of a second per chart on these machines, most of a month's
    time for the three charts. Here the axes run over the whole run from the start (the room
    sees how far there is to go) and are drawn once; a month only gives the lines their data,
    read from the DataCollector as Mesa's chart reads it. Month k is the DataCollector's row
    k - 1 (it collects after each month).
    """

    def __init__(self, colours: dict[str, str], ylabel: str, months: int):
        super().__init__(CHART_SIZE)
        self.figure.subplots_adjust(left=0.2, right=0.96, bottom=0.23, top=0.95)
        ax = self.ax = self.figure.subplots()
        self.lines = {}
        for column, colour in colours.items():
            side, _, key = column.partition(": ")
            (self.lines[column],) = ax.plot(
                [],
                [],
                color=colour,
                linestyle="--" if side == "B" else "-",
                linewidth=2.2,
                label=f"{outcome_label(key)} ({side})",
            )
        ax.set_xlim(0.5, months + 0.5)
        ax.set_ylim(0, 1)
        ax.set_ylabel(ylabel, fontsize=FONT)
        ax.set_xlabel("month", fontsize=FONT)
        ax.tick_params(labelsize=FONT)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(5))
        ax.yaxis.set_major_formatter(_tick(next(iter(colours)).partition(": ")[2]))
        ax.grid(alpha=0.3)

    def moving(self) -> list:
        return list(self.lines.values())

    def repaint(self, model: SideBySide) -> bytes:
        """Every line up to this month."""
        table = model.datacollector.model_vars  # the columns as lists: no DataFrame a month
        for column, line in self.lines.items():
            values = np.asarray(table[column], dtype=float)
            line.set_data(np.arange(1, len(values) + 1), values)
        return self.png()


class SpendingView(KeptFigure):
    """Money spent so far on each package either side funds, A above B, under its level's
    heading: the bars are made once, and each month only their lengths change. The axis
    reaches the largest sum either strategy sets aside for one package, so bars grow towards
    what was planned. Packages go by their plain names (``Package.label``), and the key
    (which bar is A) is text on the page beside the picture, where it can cover no bar."""

    def __init__(self, model: SideBySide):
        super().__init__(SPENDING_SIZE)
        sides = list(model.sides.values())
        funded = {n for side in sides for n, share in side.strategy.shares.items() if share > 0}
        catalogue = sides[0].packages
        self.packages: list[Package] = []
        rows: list[Package | str] = []  # each level's heading, then its packages
        for level in LEVELS:
            chosen = [p for p in catalogue.values() if p.level == level and p.name in funded]
            if chosen:
                rows += [f"{level.title()} support", *chosen]
                self.packages += chosen
        planned = [s.p.budget * share / 1000 for s in sides for share in s.strategy.shares.values()]
        self.planned = max([1.0, *planned])
        self.figure.subplots_adjust(left=0.5, right=0.96, top=0.98, bottom=0.15)
        ax = self.ax = self.figure.subplots()
        y = [i for i, row in enumerate(rows) if isinstance(row, Package)]
        nothing = [0.0] * len(y)
        self.bars = {
            side: ax.barh([i + offset for i in y], nothing, height=0.4, color=SIDE_COLOURS[side])
            for offset, side in zip((-0.2, 0.2), SIDES, strict=True)
        }
        ax.set_yticks([])
        for i, row in enumerate(rows):
            words, weight = (row, "bold") if isinstance(row, str) else (row.plain_name, "normal")
            ax.text(-0.02, i, words, fontsize=FONT, fontweight=weight, ha="right", va="center",
                    transform=ax.get_yaxis_transform())  # fmt: skip
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xlabel(f"{DECLARED['spent'].unit}, thousands", fontsize=FONT)
        ax.tick_params(labelsize=FONT)
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.grid(axis="x", alpha=0.3)

    def moving(self) -> list:
        return [bar for bars in self.bars.values() for bar in bars]

    def repaint(self, model: SideBySide) -> bytes:
        """Each bar as long as the money its package has spent on its side so far."""
        for side, bars in self.bars.items():
            for bar, p in zip(bars, self.packages, strict=True):
                bar.set_width(model.sides[side].current[f"spent_{p.name}"] / 1000)
        most = max([0.0, *(bar.get_width() for bar in self.moving())])
        self.ax.set_xlim(0, 1.05 * max(most, self.planned))
        return self.png()
