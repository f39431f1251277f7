"""The ``Scores`` result object shared by every scheme."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Scores"]


@dataclass(frozen=True, eq=False)
class Scores:
    """Scores of many assessments under one scheme.

    Attributes
    ----------
    scheme : str
        ``"mean"``, ``"dbi2021"`` or ``"dma100"``.
    rubric_id : str
    criteria : DataFrame
        The levels the scores were computed from (one ``Int8`` column per criterion id).
    groups, dimensions : DataFrame
        One row per response, one column per group / dimension id, in the scheme's unit (mean level 1–5,
        points, or 0–100).
    levels : DataFrame
        Reached level per dimension (``Int8``): the rubric level for ``mean``, MIC's 0–5 pillar level for
        ``dbi2021``, the band 1–4 for ``dma100``.
    overall : DataFrame
        ``score``, ``level``, ``level_label`` (Vietnamese), ``level_label_en`` and scheme-specific columns.
    meta : DataFrame
        Identifying and metadata columns carried over from the responses (``enterprise_id``, ``sector``…).
    details : dict
        Scheme-specific extra tables (e.g. ``dbi2021``'s pillar shares).
    reversed_items : tuple of str
        The reverse-keyed criteria, scored as ``min + max − answer`` (``rubric.reverse_items``).
    notes : tuple of str
        What the scoring did beyond the scheme: reversed items, answers left out as not applicable.
    """

    scheme: str
    rubric_id: str
    criteria: pd.DataFrame
    groups: pd.DataFrame
    dimensions: pd.DataFrame
    levels: pd.DataFrame
    overall: pd.DataFrame
    meta: pd.DataFrame
    details: dict[str, pd.DataFrame] = field(default_factory=dict)
    reversed_items: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.overall)

    @property
    def index(self) -> pd.Index:
        return self.overall.index

    def long(self) -> pd.DataFrame:
        """Tidy long form: one row per response and scored item.

        Columns: ``response``, ``scope`` (criterion, group, dimension, overall), ``id``, ``score``, ``level``.
        """
        parts = []
        level_for = {"criterion": self.criteria, "dimension": self.levels}
        for scope, frame in (("criterion", self.criteria), ("group", self.groups), ("dimension", self.dimensions)):
            if frame.shape[1] == 0:
                continue
            stacked = frame.astype("float64").stack(future_stack=True).rename("score")
            part = stacked.reset_index()
            part.columns = ["response", "id", "score"]
            part.insert(1, "scope", scope)
            levels = level_for.get(scope)
            if levels is not None:
                part["level"] = levels.stack(future_stack=True).astype("Int8").array
            else:
                part["level"] = pd.array([pd.NA] * len(part), dtype="Int8")
            parts.append(part)
        overall = pd.DataFrame(
            {
                "response": self.overall.index,
                "scope": "overall",
                "id": "overall",
                "score": self.overall["score"].astype("float64").to_numpy(),
                "level": self.overall["level"].astype("Int8").to_numpy(),
            }
        )
        parts.append(overall)
        out = pd.concat(parts, ignore_index=True)
        order = {"criterion": 0, "group": 1, "dimension": 2, "overall": 3}
        out["_order"] = out["scope"].map(order)
        out["_pos"] = pd.factorize(out["response"])[0]
        out = out.sort_values(["_pos", "_order"], kind="stable").drop(columns=["_order", "_pos"])
        return out.reset_index(drop=True)

    def wide(self) -> pd.DataFrame:
        """One flat table: metadata, dimension scores (``score.<id>``), levels (``level.<id>``), overall."""
        dims = self.dimensions.add_prefix("score.")
        levels = self.levels.add_prefix("level.")
        overall = self.overall.add_prefix("overall.")
        return pd.concat([self.meta, dims, levels, overall], axis=1).reset_index(names="response")

    def summary(self, lang: str = "vi") -> pd.DataFrame:
        """Counts and shares of responses per overall level (a one-screen summary)."""
        label = "level_label" if lang == "vi" else "level_label_en"
        counts = self.overall.groupby(["level", label], dropna=False, observed=True).size().rename("n").reset_index()
        counts["share"] = (counts["n"] / counts["n"].sum()).round(4)
        return counts

    def __repr__(self) -> str:
        return (
            f"Scores(scheme={self.scheme!r}, rubric={self.rubric_id!r}, responses={len(self)}, "
            f"dimensions={list(self.dimensions.columns)})"
        )
