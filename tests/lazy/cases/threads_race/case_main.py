"""8 threads race to the first use of the same pending name (inside a function, through a
from-import name, and through outside attribute access): every thread gets the same
object, the imported module's body runs exactly once (counted in a list kept on sys,
which is never a lazy binding), and nothing fails.
"""
import os
import sys
import threading

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"
N = 8


def race(fn):
    barrier = threading.Barrier(N, timeout=60)
    results = [None] * N
    errors = []

    def worker(i):
        try:
            barrier.wait()
            results[i] = fn()
        except BaseException as e:      # report every failure, not only the first
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
        assert not t.is_alive(), "thread hung"
    if errors:
        raise errors[0]
    return results


def main():
    import race_mod
    names = ["race_heavy", "race_heavy_from", "race_heavy_attr"]
    for n in names:
        assert (n in sys.modules) == (not LAZY), n

    got = race(race_mod.get_module)
    assert all(g is sys.modules["race_heavy"] for g in got), got

    got = race(race_mod.get_shared)
    assert all(g is sys.modules["race_heavy_from"].SHARED for g in got), got

    got = race(lambda: race_mod.race_heavy_attr)
    assert all(g is sys.modules["race_heavy_attr"] for g in got), got

    runs = sorted(sys._lazyc_race_runs)
    assert runs == sorted(names), runs
    print("OK")


if __name__ == "__main__":
    main()
