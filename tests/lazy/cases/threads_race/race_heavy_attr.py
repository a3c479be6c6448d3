import sys
import time

sys.__dict__.setdefault("_lazyc_race_runs", []).append(__name__)
time.sleep(0.2)          # keep the other threads waiting while the body runs
SHARED = object()
