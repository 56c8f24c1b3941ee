"""The trainer's page, for ``solara run app.py`` (Mesa's convention for a model's page).

The page itself lives in the :mod:`view` package, which installs with the project:
``reintegrate app`` serves it from there (``solara run view.page``, offline and quiet), and
this file serves the same page from a source checkout.
"""

import view

page = view.Page()
