"""The dxlab style context restores only its own settings (a Jupyter regression)."""

from __future__ import annotations

import matplotlib as mpl

from dxlab.plots._style import STYLE, style


def test_style_restores_only_its_own_keys():
    before_font = mpl.rcParams["font.sans-serif"]
    interactive = mpl.rcParams["interactive"]
    try:
        with style():
            assert mpl.rcParams["font.sans-serif"] == STYLE["font.sans-serif"]
            # What the inline backend does on the first figure of a notebook session:
            mpl.rcParams["interactive"] = not interactive
        assert mpl.rcParams["font.sans-serif"] == before_font
        assert mpl.rcParams["interactive"] == (not interactive), "a setting made inside must survive the context"
    finally:
        mpl.rcParams["interactive"] = interactive
