"""Answer parsing, scoring schemes and gap analysis."""

from ._consensus import CONSENSUS_METHODS, Consensus, consensus
from ._gaps import gaps
from ._parse import parse_levels, parse_levels_report, percent_to_level
from ._schemes import DBI_LEVELS, DMA_BANDS, SCHEMES, score
from ._scores import Scores

__all__ = [
    "DBI_LEVELS",
    "DMA_BANDS",
    "SCHEMES",
    "Scores",
    "gaps",
    "parse_levels",
    "parse_levels_report",
    "percent_to_level",
    "score",
]
__all__ += ["CONSENSUS_METHODS", "Consensus", "consensus"]
