"""Benchmarks: each `bench_*.py` module has a `main()` that times dxlab against named peers in the same run."""
