"""Pictures kept from month to month: matplotlib figures redrawn only where they move.

Every picture on the page is drawn by matplotlib on the server and sent as a PNG, so the
browser needs no charting library (the page works with no internet). Redrawing a whole
figure every month took most of a month's time; a :class:`KeptFigure` draws its still parts
once and only what moves each month, which keeps a month well under a second with every
household and returnee of the default scenario on screen (``benchmarks/bench_app.py``).
"""

from __future__ import annotations

import io
import weakref
from collections.abc import Callable
from typing import Any

import mesa
import PIL.Image
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

#: Pixels per inch of every picture; with the sizes the pictures ask for, a picture is about
#: as wide as its card on a 1920-wide screen, so the browser rarely has to enlarge it.
DPI = 100


class KeptFigure:
    """A picture kept from month to month: its still parts drawn once, its moving parts each month.

    Matplotlib's blitting (its "Faster rendering by using blitting" guide): the still parts
    (axes, labels, legend, ties between households) are rendered once into a background;
    each month the background is restored and only the artists :meth:`moving` names are drawn
    on top. The background is rendered again only when :meth:`frame` (the axis limits it
    depends on) changes. A subclass makes its artists in ``self.ax`` and sets them in
    ``repaint(model)``, which returns :meth:`png`.
    """

    ax: Axes  # made by the subclass

    def __init__(self, size: tuple[float, float]):
        self.figure = Figure(figsize=size, dpi=DPI)
        self.canvas = FigureCanvasAgg(self.figure)
        self._background: Any = None  # the Agg renderer's saved region
        self._frame: tuple | None = None

    def moving(self) -> list:
        """The artists that change from month to month."""
        raise NotImplementedError

    def frame(self) -> tuple:
        """What the still parts depend on: by default the axis limits."""
        return (*self.ax.get_xlim(), *self.ax.get_ylim())

    def png(self) -> bytes:
        """The picture now, as PNG (:func:`encode`)."""
        moving = self.moving()
        if self.frame() != self._frame:
            for artist in moving:
                artist.set_animated(True)  # left out of the background
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
            self._frame = self.frame()
        else:
            self.canvas.restore_region(self._background)
        for artist in moving:
            self.figure.draw_artist(artist)
        return encode(self.canvas)


def encode(canvas: FigureCanvasAgg) -> bytes:
    """What the canvas shows, as a PNG of at most 256 colours, lightly compressed.

    With ten pages stepping at once, encoding and sending full-colour PNGs was a large share
    of the server's month (a network picture ~14 ms and ~275 KB): a palette is ~4 ms and
    ~70 KB, and the pictures' flat colours and anti-aliased edges lose nothing one can see
    (each pixel within a few levels of the original). The background (the corner pixel's
    colour) keeps its exact colour, so a picture sits seamlessly on its white card.
    """
    size = canvas.get_width_height()
    image = PIL.Image.frombuffer("RGBA", size, canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    picture = image.quantize(256, method=PIL.Image.Quantize.FASTOCTREE)
    palette = picture.getpalette("RGB")  # the figures are opaque: no alpha to keep
    corner = picture.getpixel((0, 0))
    background = image.getpixel((0, 0))
    assert palette is not None and isinstance(corner, int) and isinstance(background, tuple)
    palette[3 * corner : 3 * corner + 3] = background[:3]
    picture.putpalette(palette, "RGB")
    buffer = io.BytesIO()
    picture.save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


#: Pictures kept between months, by model and name; they go when their model goes (a Reset).
_PICTURES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def kept_picture[T](model: mesa.Model, name: str, make: Callable[[], T], settings=()) -> T:
    """The picture called ``name`` that ``make`` draws for ``model``, made at its first showing
    and kept for the months after; made again when ``settings`` (what it was made with) change."""
    kept = _PICTURES.setdefault(model, {})
    if name not in kept or kept[name][0] != settings:
        kept[name] = (settings, make())
    return kept[name][1]


def hand_over(previous: mesa.Model, model: mesa.Model) -> None:
    """Give ``model`` the pictures kept for ``previous`` (a Reset's new run, the old one's).

    Drawing a picture's still parts (axes, text, the ties between thousands of households)
    was most of a Reset's time, and a Reset usually changes only the strategies. A picture
    handed over is made again at its first showing if what it was made with (its
    ``settings`` in :func:`kept_picture`) differs; otherwise only its moving parts are drawn.
    """
    if previous in _PICTURES:
        _PICTURES[model] = dict(_PICTURES.pop(previous))
