"""The page's HTML pieces, rendered by Jinja2 with autoescape (``templates/widgets.html.j2``).

Whatever a user can choose or type (a strategy's name and description from a strategies
file, a script's title, a chart's labels) reaches the page as text, escaped by the template
engine rather than by hand; the page's own help texts (:mod:`view.help`) are HTML written
for it and passed as ``Markup``.
"""

from __future__ import annotations

import jinja2
from markupsafe import Markup

TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("view", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def widget(name: str, *args, **kwargs) -> Markup:
    """The HTML of one macro of ``widgets.html.j2``, its arguments escaped unless Markup."""
    macro = getattr(TEMPLATES.get_template("widgets.html.j2").module, name)
    return Markup(macro(*args, **kwargs))


def trusted(text: str) -> Markup:
    """One of the page's own help texts (:mod:`view.help`): HTML written for the page."""
    return Markup(text)
