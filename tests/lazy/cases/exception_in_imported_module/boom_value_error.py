import sys

sys.__dict__.setdefault("_lazyc_case_boom_runs", []).append(__name__)
if not getattr(sys, "_lazyc_case_boom_fixed", False):
    raise ValueError("boom: value error")
VALUE = "fixed"
