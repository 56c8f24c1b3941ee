"""The trainer's page (a Mesa SolaraViz page) as a package, so it installs with the project.

:mod:`view.side_by_side` is the model the page drives (two strategies on one population),
:mod:`view.kept_figure`, :mod:`view.villages` and :mod:`view.charts` draw its pictures,
:mod:`view.help` holds its words and :mod:`view.page` puts them together as :func:`Page`.
"""

from view.page import Page

__all__ = ["Page"]
