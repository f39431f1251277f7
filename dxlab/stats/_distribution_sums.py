"""Level distributions of a Parquet dataset or a Dask DataFrame from one pass over its parts.

Each part returns, per item, group and level, the (weighted) count, the number of answers and the sum
of the squared weights (Kish's effective size), plus the level counts of all rows for the inferred-levels
note — everything :func:`~._distribution.level_distribution` needs, in one task per part. The counts are
NumPy ``bincount`` sums (a Dask worker then never loads numba). A source of numeric answers with no
``levels=`` (and no Parquet statistics that give them) is read once: each part counts on the values it
holds, and the tables are aligned on the union of the values as they are added
(:func:`._scale_sums.merge_local_levels`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._scale_sums import finish_local_levels, merge_local_levels
from ._source import Source
from ._tables import encode, levels_found_in_pass, resolve_levels, resolve_weights

__all__ = ["DistributionWork", "distribution_sums"]


@dataclass(frozen=True)
class DistributionWork:
    """One part's tables ``(k, G + 1, L)``: slot 0 holds the rows whose group is missing or unknown."""

    items: tuple[str, ...]
    levels: tuple[Any, ...] | None
    by: tuple[str, ...]
    keys: pd.DataFrame
    weights: str | None

    def __call__(self, part: pd.DataFrame) -> dict[str, Any]:
        from ._tables import _part_group_codes

        levels = resolve_levels(part, self.items) if self.levels is None else self.levels
        enc = encode(part, self.items, levels)
        groups = _part_group_codes(part, self.by, self.keys) if self.by else np.zeros(len(part), dtype=np.int64)
        w = None if self.weights is None else resolve_weights(part, self.weights)
        n_levels, slots = len(levels), len(self.keys) + 1
        base = (groups + 1) * n_levels
        sums: dict[str, Any] = {}
        for name, weight in (("counts", w), ("answered", None), ("squares", None if w is None else w * w)):
            if name != "answered" and w is None:
                continue
            table = np.zeros((len(self.items), slots, n_levels))
            for i in range(len(self.items)):
                code = enc.codes[:, i]
                valid = code >= 0
                flat = (base + code)[valid]
                chosen = None if weight is None else weight[valid]
                table[i] = np.bincount(flat, weights=chosen, minlength=slots * n_levels).reshape(slots, n_levels)
            sums[f"by group {name}"] = table
        if self.levels is not None:
            return {"found": tuple(levels), "sums": sums}
        # only the values the part holds: a level between them that nobody chose may not be a level at all
        used = np.flatnonzero(sums["by group answered"].sum(axis=(0, 1)) > 0)
        kept = {key: np.take(table, used, axis=2) for key, table in sums.items()}
        return {"found": tuple(levels[u] for u in used), "sums": kept}


def distribution_sums(
    source: Source, items: list[str], levels: Any, by: tuple[str, ...], keys: pd.DataFrame, weights: str | None
) -> tuple[tuple[Any, ...], dict[str, np.ndarray]]:
    """The levels and the summed tables of :class:`DistributionWork` over the parts of ``source``."""
    local = levels is None and levels_found_in_pass(source, items)
    if levels is None and not local:
        levels = encode(source, items).levels  # the Parquet statistics, or a first pass
    given = None if levels is None else tuple(resolve_levels(pd.DataFrame(), items, levels))
    work = DistributionWork(tuple(items), given, tuple(by), keys, weights)
    columns = list(dict.fromkeys([*items, *by, *([weights] if weights else [])]))
    result = source.reduce(work, columns, combine=merge_local_levels if given is None else _add_same_levels)
    if result is None:
        empty = given or ()
        zero = np.zeros((len(items), len(keys) + 1, len(empty)))
        return empty, {"by group counts": zero, "by group answered": zero, "by group squares": zero}
    found, sums = finish_local_levels(result) if given is None else (given, dict(result["sums"]))
    sums.setdefault("by group counts", sums["by group answered"])
    sums.setdefault("by group squares", sums["by group answered"])
    return found, sums


def _add_same_levels(*parts: Any) -> Any:
    """Parts counted on the same (given) levels: their tables add up as they are."""
    from ._tables import add_tables

    present = [part for part in parts if part is not None]
    if not present:
        return None
    return {"found": present[0]["found"], "sums": add_tables(*(part["sums"] for part in present))}
