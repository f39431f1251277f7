"""Moved to :mod:`dxlab.vocab` (the ground floor every package shares); kept so old imports keep working."""

from ..vocab import *  # noqa: F401,F403
from ..vocab import __all__  # noqa: F401
