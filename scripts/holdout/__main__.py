"""``python -m scripts.holdout --seed N``: see :mod:`scripts.holdout.run`."""

import sys

from .run import main

sys.exit(main())
