"""The charts: both sides' outcomes month by month (:class:`LineChart`), and where the money
went (:class:`SpendingView`); kept figures, so a month moves only their lines and bars."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from view.kept_figure import KeptFigure
from view.side_by_side import SIDES, SideBySide

SIDE_COLOURS = {"A": "#7b3294", "B": "#008837"}
#: The reporters' names as a trainer would say them.
PLAIN = {
    "share_sustainable": "sustainably reintegrated",
    "economic": "economic",
    "social": "social",
    "psychosocial": "psychosocial",
    "tension": "community tension",
    "nonmigrant_wellbeing": "non-migrant well-being",
}
DIMENSION_COLOURS = {"economic": "#e6ab02", "social": "#e7298a", "psychosocial": "#1f78b4"}
COMMUNITY_COLOURS = {"tension": "#d7191c", "nonmigrant_wellbeing": "#2c7bb6"}
#: Picture sizes (inches at the kept figures' DPI) and the text size inside them (points):
#: large enough to read on a projector; each chart's key is text on the page, beside it.
CHART_SIZE, SPENDING_SIZE, FONT = (5.2, 3.0), (5.2, 3.6), 11


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
        self.figure.subplots_adjust(left=0.13, right=0.97, bottom=0.18, top=0.96)
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
                label=f"{PLAIN[key]} ({side})",
            )
        ax.set_xlim(0.5, months + 0.5)
        ax.set_ylim(0, 1)
        ax.set_ylabel(ylabel, fontsize=FONT)
        ax.set_xlabel("month", fontsize=FONT)
        ax.tick_params(labelsize=FONT)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
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
    """Money spent so far on each package, A above B: the bars are made once, and each month
    only their lengths change. The axis reaches the largest sum either strategy sets aside for
    one package, so bars grow towards what was planned (labels as text: cheaper than ticks)."""

    def __init__(self, model: SideBySide):
        super().__init__(SPENDING_SIZE)
        self.packages = packages = list(model.sides["A"].packages.values())
        self.planned = max(
            [1.0]
            + [
                side.p.budget * share / 1000
                for side in model.sides.values()
                for share in side.strategy.shares.values()
            ]
        )
        self.figure.subplots_adjust(left=0.42, right=0.97, top=0.97, bottom=0.15)
        ax = self.ax = self.figure.subplots()
        y, nothing = np.arange(len(packages)), np.zeros(len(packages))
        self.bars = {
            side: ax.barh(y + offset, nothing, height=0.4, color=SIDE_COLOURS[side], label=side)
            for offset, side in zip((-0.2, 0.2), SIDES, strict=True)
        }
        ax.set_yticks([])
        for i, p in enumerate(packages):
            ax.text(
                -0.02,
                i,
                f"{p.name.replace('_', ' ')} ({p.level[:3]}.)",
                fontsize=FONT,
                ha="right",
                va="center",
                transform=ax.get_yaxis_transform(),
            )
        ax.set_ylim(len(packages) - 0.5, -0.5)
        ax.set_xlabel("spent so far (thousand USD)", fontsize=FONT)
        ax.tick_params(labelsize=FONT)
        ax.legend(fontsize=FONT, loc="lower right")
        ax.grid(axis="x", alpha=0.3)

    def moving(self) -> list:
        return [bar for bars in self.bars.values() for bar in bars]

    def repaint(self, model: SideBySide) -> bytes:
        """Each bar as long as the money its package has spent on its side so far."""
        for side, bars in self.bars.items():
            for bar, p in zip(bars, self.packages, strict=True):
                bar.set_width(model.sides[side].current[f"spent_{p.name}"] / 1000)
        most = max(bar.get_width() for bar in self.moving())
        self.ax.set_xlim(0, 1.05 * max(most, self.planned))
        return self.png()
