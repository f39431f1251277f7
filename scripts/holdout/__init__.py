"""Hold-out comparison of dxlab.stats against R (see run.py)."""
