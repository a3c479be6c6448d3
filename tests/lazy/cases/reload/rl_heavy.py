import sys

sys.__dict__.setdefault("_lazyc_heavy_runs", []).append(__name__)
