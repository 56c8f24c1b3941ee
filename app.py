"""The trainer's page, for ``solara run app.py`` (Mesa's convention for a model's page).

The page itself lives in the :mod:`view` package, which installs with the project:
``reintegrate app`` serves it from there (``solara run view.page``), checkout or not.
"""

import view

page = view.Page()
