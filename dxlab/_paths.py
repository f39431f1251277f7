"""Where the project folder is, for code that reads data/ and writes reports/ relative to it."""

from __future__ import annotations

from pathlib import Path

__all__ = ["project_root"]


def project_root(start: Path | None = None) -> Path:
    """The folder holding ``pyproject.toml`` and ``dxlab/`` at or above ``start`` (default: the working
    directory), so notebooks running in ``notebooks/`` and commands run from the top find the same data."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").exists() and (folder / "dxlab").is_dir():
            return folder
    return here
