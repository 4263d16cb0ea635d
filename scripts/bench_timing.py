"""The benchmarks' timing rule, shared by the Python sides (scripts/bench_*.py), as the page
and `mltest-bench` time: the median of `reps` runs after one untimed warm-up run; a first
run over 3 s is the only one and counts."""

import statistics
import time


def median_ms(reps, step):
    """(median ms, runs timed, the last result) of calling `step`."""
    started = time.perf_counter()
    result = step()
    first = (time.perf_counter() - started) * 1000
    if first > 3000:
        return first, 1, result
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        result = step()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(times), result
