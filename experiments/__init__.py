"""Running the model: command line, comparisons, sweeps, sensitivity, discovery, reports.

``cli`` is the command line; ``comparison`` the planners' comparison and its report;
``sweeps`` experiment files, their designs and result stores; ``analysis`` what is read off a
finished sweep; ``engine`` the runners and the Parquet sink both comparisons and sweeps use;
``files`` the shipped experiment files and Dask settings.
"""

from pathlib import Path

#: The shipped experiment files (``experiments/files/NAME.toml``) and Dask settings.
FILES = Path(__file__).resolve().parent / "files"
