"""``python -m experiments.cli``: the command line, as the ``reintegrate`` script runs it."""

import sys

from experiments.cli import main

sys.exit(main())
