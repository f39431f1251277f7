"""Every project path of dxlab, found by one rule.

The project folder is ``$DXLAB_PROJECT`` when set; otherwise the nearest folder at or above the starting
folder (default: the working directory) that holds ``pyproject.toml`` beside a ``dxlab/`` package or a
``data/`` folder; otherwise the starting folder itself. Notebooks running in ``notebooks/``, commands run
from the top and a class server started anywhere inside the project therefore read and write the same files.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "ENV_VAR",
    "PROCESSED_RESPONSES",
    "project_root",
    "data_dir",
    "raw_dir",
    "processed_dir",
    "reports_dir",
    "notebooks_dir",
    "workshop_dir",
    "processed_responses",
    "responses_store",
]

ENV_VAR = "DXLAB_PROJECT"
# The cleaned responses, relative to the project folder.
PROCESSED_RESPONSES = Path("data") / "processed" / "responses.parquet"


def _is_project(folder: Path) -> bool:
    return (folder / "pyproject.toml").is_file() and ((folder / "dxlab").is_dir() or (folder / "data").is_dir())


def project_root(start: str | Path | None = None) -> Path:
    """The project folder (see the module's rule) for ``start``.

    >>> import tempfile
    >>> top = Path(tempfile.mkdtemp()).resolve()
    >>> (top / "data").mkdir(); (top / "pyproject.toml").touch(); (top / "notebooks").mkdir()
    >>> project_root(top / "notebooks") == top
    True
    """
    if start is None and os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser().resolve()
    here = Path(start if start is not None else Path.cwd()).expanduser().resolve()
    for folder in (here, *here.parents):
        if _is_project(folder):
            return folder
    return here


def data_dir(start: str | Path | None = None) -> Path:
    """``data/`` of the project."""
    return project_root(start) / "data"


def raw_dir(start: str | Path | None = None) -> Path:
    """``data/raw/``: survey exports and the class response store, as received."""
    return data_dir(start) / "raw"


def processed_dir(start: str | Path | None = None) -> Path:
    """``data/processed/``: cleaned responses, scores and statistics tables."""
    return data_dir(start) / "processed"


def workshop_dir(start: str | Path | None = None) -> Path:
    """``data/workshop/``: CX workshop files."""
    return data_dir(start) / "workshop"


def reports_dir(start: str | Path | None = None) -> Path:
    """``reports/``: rendered enterprise and sector reports."""
    return project_root(start) / "reports"


def notebooks_dir(start: str | Path | None = None) -> Path:
    """``notebooks/`` of a source checkout."""
    return project_root(start) / "notebooks"


def processed_responses(start: str | Path | None = None) -> Path:
    """``data/processed/responses.parquet``: the cleaned responses the analyses read."""
    return project_root(start) / PROCESSED_RESPONSES


def responses_store(start: str | Path | None = None) -> Path:
    """``data/raw/responses.sqlite``: the questionnaire's response store."""
    return raw_dir(start) / "responses.sqlite"
