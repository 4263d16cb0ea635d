#!/usr/bin/env python3
"""Times Evidently 0.7.23's `DataDriftPreset` on the drift benchmark's two files (a reference
and a current CSV from `mltest-bench gen`, the current one with `--shift`), natively, and
prints one JSON line per step (the fields of `mltest-bench drift`'s lines). BENCHMARKS.md.

The steps, each as a user of pandas + Evidently writes it:

- `drift_parse`: `pd.read_csv` of both files (mltest's missing-cell tokens, as
  scripts/bench_sklearn.py reads).
- `drift`: the columns declared as mltest types them (`label` categorical, every other column
  numerical; no target, no prediction, as mltest's DRIFT_SUITE names none), `Dataset.from_pandas`
  of both frames (its time is also given apart, `dataset_ms`), then
  `Report([DataDriftPreset()], include_tests=True).run(current, reference)`: the snapshot with
  each column's drift score and test and the share of drifted columns with its test (mltest's
  drift test gives the same: each column's statistic and decision, the share and the verdict).
  Evidently's `run` also computes what its widgets draw (each column's histograms, and the
  per-column drift again for the legacy metrics it renders from); that is part of the call and
  cannot be left out. Nothing is written: no HTML, no JSON.
- `drift_stattests`: Evidently's statistics alone, the floor of the work: for each column,
  ±inf and missing cells dropped, `get_stattest` (the `auto` choice) and the stattest called
  with its default threshold, as `get_one_column_drift` does.

With `--found FOUND` (what `mltest-bench drift --found` wrote) the two sides' results are
compared before anything is timed: the verdict, the share, the drifted columns, and each
column's method and statistic (1e-9 relative, or 1e-12 absolute); both are printed, and any
difference ends the script with exit 1.

Evidently 0.7.23 needs pandas 2 (it does not import with pandas 3): run this with
`.tools/venv-evidently`'s python (`make evidently-venv`).

Usage: bench_drift.py REFERENCE CURRENT [--reps 5] [--found FOUND]
"""

import argparse
import json
import sys
import time
import warnings

import evidently
import numpy as np
import pandas as pd
from evidently import DataDefinition, Dataset, Report
from evidently.legacy.calculations.stattests.registry import get_stattest
from evidently.legacy.core import ColumnType
from evidently.presets import DataDriftPreset
from bench_timing import median_ms

warnings.simplefilter("ignore")
TOOL = f"pandas {pd.__version__} + Evidently {evidently.__version__}"
MISSING = ["", "NA", "N/A", "NaN", "null", "?"]
CATEGORICAL = ["label"]
# Evidently's stattest names → mltest's method names (scripts/compare_drift.py's NAMES).
NAMES = {"ks": "ks", "chisquare": "chi2", "z": "z", "wasserstein": "wasserstein", "jensenshannon": "jensen_shannon",
         "psi": "psi"}


def emit(rows, step, ms, reps, **fields):
    print(json.dumps({"tool": TOOL, "rows": rows, "step": step, "ms": ms, "reps": reps, **fields}), flush=True)


def read(reference, current):
    return tuple(pd.read_csv(path, na_values=MISSING, keep_default_na=False) for path in (reference, current))


def definition(frame):
    return DataDefinition(numerical_columns=[c for c in frame.columns if c not in CATEGORICAL],
                          categorical_columns=[c for c in frame.columns if c in CATEGORICAL])


def report(ref, cur):
    """The `drift` step: returns the snapshot and how long `Dataset.from_pandas` took (ms)."""
    started = time.perf_counter()
    schema = definition(cur)
    datasets = [Dataset.from_pandas(frame, data_definition=schema) for frame in (cur, ref)]
    dataset_ms = (time.perf_counter() - started) * 1000
    return Report([DataDriftPreset()], include_tests=True).run(*datasets), dataset_ms


def found_in(snapshot):
    """The snapshot's verdict, share, drifted columns and per-column scores, as mltest's
    `bench::drift_found` gives them (a column's ValueDrift test fails when it drifted)."""
    out = snapshot.dict()
    share = next(m["value"]["share"] for m in out["metrics"] if m["config"]["type"].endswith("DriftedColumnsCount"))
    scores = {m["config"]["column"]: m["value"] for m in out["metrics"] if m["config"]["type"].endswith("ValueDrift")}
    drifted, verdict = [], "PASS"
    for test in out["tests"]:
        column = test["metric_config"]["params"].get("column")
        if column is None:
            verdict = "PASS" if test["status"] == "SUCCESS" else "FAIL"
        elif test["status"] == "FAIL":
            drifted.append(column)
    columns = [{"column": c, "statistic": score, "drifted": c in drifted} for c, score in scores.items()]
    return {"verdict": verdict, "share": share, "drifted": drifted, "columns": columns}


def stattests(ref, cur):
    """Evidently's statistics alone: per column, `auto`'s stattest and its result."""
    out = []
    for column in cur.columns:
        kind = ColumnType.Categorical if column in CATEGORICAL else ColumnType.Numerical
        r, c = (s.replace([np.inf, -np.inf], np.nan).dropna() for s in (ref[column], cur[column]))
        stattest = get_stattest(r, c, kind, None)
        result = stattest(r, c, kind, None)
        out.append({"column": column, "method": NAMES[stattest.name], "statistic": float(result.drift_score),
                    "drifted": bool(result.drifted)})
    return out


def close(a, b):
    return abs(a - b) <= 1e-12 or abs(a - b) <= 1e-9 * abs(b)


def check(ours, theirs, per_column):
    """Compares mltest's results (`ours`, from --found) with Evidently's; returns the
    differences, each a sentence."""
    problems = []
    if ours["verdict"] != theirs["verdict"]:
        problems.append(f"verdict: mltest {ours['verdict']}, Evidently {theirs['verdict']}")
    if not close(ours["share"], theirs["share"]):
        problems.append(f"share: mltest {ours['share']}, Evidently {theirs['share']}")
    if sorted(ours["drifted"]) != sorted(theirs["drifted"]):
        problems.append(f"drifted columns: mltest {ours['drifted']}, Evidently {theirs['drifted']}")
    mine = {o["column"]: o for o in ours["columns"]}
    if set(mine) != {o["column"] for o in per_column}:
        problems.append(f"columns: mltest {sorted(mine)}, Evidently {sorted(o['column'] for o in per_column)}")
    for o in per_column:
        m = mine.get(o["column"])
        if m is None:
            continue
        if m["method"] != o["method"]:
            problems.append(f"{o['column']}: method mltest {m['method']}, Evidently {o['method']}")
        elif m["statistic"] is None or not close(m["statistic"], o["statistic"]):
            problems.append(f"{o['column']}: {o['method']} mltest {m['statistic']}, Evidently {o['statistic']}")
        if m["drifted"] != o["drifted"]:
            problems.append(f"{o['column']}: drifted mltest {m['drifted']}, Evidently {o['drifted']}")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("reference")
    parser.add_argument("current")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--found", help="mltest-bench drift --found's JSON, to compare with")
    args = parser.parse_args()

    ms, reps, (ref, cur) = median_ms(args.reps, lambda: read(args.reference, args.current))
    rows = len(cur)
    emit(rows, "drift_parse", ms, reps)
    # The check runs before the timings: a mismatch is reported without waiting for them.
    snapshot, _ = report(ref, cur)
    theirs = found_in(snapshot)
    per_column = stattests(ref, cur)
    for o in per_column:
        o["drifted_in_report"] = o["column"] in theirs["drifted"]
    # The report's ValueDrift scores are the stattests' (one code path in Evidently).
    report_scores = {c["column"]: c["statistic"] for c in theirs["columns"]}
    inconsistent = [o["column"] for o in per_column
                    if not close(report_scores[o["column"]], o["statistic"]) or o["drifted"] != o["drifted_in_report"]]
    if inconsistent:
        sys.exit(f"Evidently's report and its stattests disagree on {inconsistent}")
    print(f"# Evidently: {theirs['verdict']}, share {theirs['share']}, drifted {theirs['drifted']}", file=sys.stderr)
    if args.found:
        with open(args.found, encoding="utf-8") as f:
            ours = json.load(f)
        print(f"# mltest:    {ours['verdict']}, share {ours['share']}, drifted {ours['drifted']}", file=sys.stderr)
        for o in per_column:
            m = next((x for x in ours["columns"] if x["column"] == o["column"]), {})
            print(f"#   {o['column']:<8} {o['method']:<15} mltest {m.get('statistic')!s:<22} "
                  f"Evidently {o['statistic']!s:<22} drifted {m.get('drifted')} / {o['drifted']}", file=sys.stderr)
        problems = check(ours, theirs, per_column)
        if problems:
            print("mltest and Evidently DISAGREE on the drift of these files:", file=sys.stderr)
            for p in problems:
                print(f"  - {p}", file=sys.stderr)
            return 1
        print("# mltest and Evidently agree: verdict, share, drifted columns, methods and statistics (1e-9)",
              file=sys.stderr)

    ms, reps, (snapshot, dataset_ms) = median_ms(args.reps, lambda: report(ref, cur))
    emit(rows, "drift", ms, reps, dataset_ms=dataset_ms, verdict=theirs["verdict"], share=theirs["share"],
         drifted=theirs["drifted"])
    ms, reps, _ = median_ms(args.reps, lambda: stattests(ref, cur))
    emit(rows, "drift_stattests", ms, reps)
    return 0


if __name__ == "__main__":
    sys.exit(main())
