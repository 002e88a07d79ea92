"""Lets `python -m core` behave exactly like the `juesuan` console script."""

import sys

from core.cli import main

sys.exit(main())
