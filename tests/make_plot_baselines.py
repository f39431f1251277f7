"""Regenerate the baseline images of ``tests/test_plots_images.py``.

Run from the project root after an intended change to a figure, then look at every PNG before committing::

    python -m tests.make_plot_baselines            # all cases
    python -m tests.make_plot_baselines radar_six  # only some
"""

from __future__ import annotations

import sys

from .test_plots_images import BASELINE, CASES, render


def main(names: list[str]) -> int:
    unknown = [n for n in names if n not in CASES]
    if unknown:
        print(f"unknown case(s) {', '.join(unknown)}; cases are {', '.join(sorted(CASES))}", file=sys.stderr)
        return 2
    BASELINE.mkdir(parents=True, exist_ok=True)
    for name in names or sorted(CASES):
        path = render(name, BASELINE / f"{name}.png")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
