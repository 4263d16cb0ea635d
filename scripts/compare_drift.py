#!/usr/bin/env python3
"""Re-checks mltest's drift statistics (PRODUCT.md §12) against Evidently 0.7.23 itself.

For each pair of data sets (the bundled iris and penguins cut in halves, and generated pairs:
shifted normals, a small and a large reference for `auto`'s branches, ties, a new category,
a constant column, a binary column), one suite holds a `drift` test per column and method
(every method that applies, and `auto`); `mltest run --reference REF --data CUR --format
json` runs it, and each test's `drift[]` entry is compared with Evidently's stattest on the
same columns (missing and ±inf cells dropped): the score (p-value or distance) to 1e-9
relative or 1e-12 absolute, and the method `auto` chose. Prints the table and the largest
gap; exit 1 beyond the bound.

Evidently 0.7.23 needs pandas 2 (it does not import with pandas 3): `make compare` runs this
in its own venv, `.tools/venv-evidently`.

Usage: compare_drift.py MLTEST_BINARY
"""

import json
import math
import pathlib
import subprocess
import sys
import tempfile
import warnings

import evidently
import numpy as np
import pandas as pd
import scipy
from evidently.legacy.calculations.stattests import (chi_stat_test, jensenshannon_stat_test, ks_stat_test,
                                                      psi_stat_test, wasserstein_stat_test, z_stat_test)
from evidently.legacy.calculations.stattests.registry import get_stattest
from evidently.legacy.core import ColumnType

warnings.simplefilter("ignore")
ROOT = pathlib.Path(__file__).resolve().parent.parent
EVIDENTLY = {"ks": ks_stat_test, "chi2": chi_stat_test, "z": z_stat_test, "wasserstein": wasserstein_stat_test,
             "jensen_shannon": jensenshannon_stat_test, "psi": psi_stat_test}
NAMES = {"ks": "ks", "chisquare": "chi2", "z": "z", "wasserstein": "wasserstein", "jensenshannon": "jensen_shannon", "psi": "psi"}
NUMERIC = ["ks", "wasserstein", "jensen_shannon", "psi", "auto"]
CATEGORICAL = ["chi2", "z", "jensen_shannon", "psi", "auto"]
rows = []


def numeric_kind(series):
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def run_case(binary, case, reference, current, tmp):
    ref_path, cur_path = tmp / f"{case}-reference.csv", tmp / f"{case}-current.csv"
    reference.to_csv(ref_path, index=False)
    current.to_csv(cur_path, index=False)
    ref, cur = pd.read_csv(ref_path), pd.read_csv(cur_path)
    tests, plan = [], []
    for column in cur.columns:
        numeric = numeric_kind(ref[column]) and numeric_kind(cur[column])
        for method in (NUMERIC if numeric else CATEGORICAL):
            if method == "z" and len(set(ref[column].dropna()) | set(cur[column].dropna())) > 2:
                continue
            test_id = f"{column}-{method}"
            tests.append({"id": test_id, "kind": "drift", "column": column, "method": method})
            plan.append((test_id, column, method, numeric))
    suite = {"version": 1, "data": {"source": "file", "path": cur_path.name}, "tests": tests}
    suite_path = tmp / f"{case}.json"
    suite_path.write_text(json.dumps(suite))
    done = subprocess.run([binary, "run", str(suite_path), "--data", str(cur_path), "--reference", str(ref_path),
                           "--format", "json"], capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"mltest failed on {case}: {done.stderr}")
    report = {t["id"]: t for t in json.loads(done.stdout)["tests"]}
    for test_id, column, method, numeric in plan:
        test = report[test_id]
        if not test.get("drift"):
            rows.append((case, test_id, "error", test["message"], None, math.inf))
            continue
        ours = test["drift"][0]
        kind = ColumnType.Numerical if numeric else ColumnType.Categorical
        clean = lambda s: s.replace([np.inf, -np.inf], np.nan).dropna()
        r, c = clean(ref[column]), clean(cur[column])
        if method == "auto":
            chosen = NAMES[get_stattest(r, c, kind, None).name]
            if ours["method"] != chosen:
                rows.append((case, test_id, ours["method"], chosen, None, math.inf))
                continue
            method = chosen
        theirs = EVIDENTLY[method](r, c, kind, None).drift_score
        score = ours["statistic"]
        if score is None or (isinstance(theirs, float) and math.isnan(theirs)):
            gap = 0.0 if score is None and math.isnan(theirs) else math.inf
        elif math.isinf(theirs) or math.isinf(score):
            gap = 0.0 if score == theirs else math.inf
        else:
            absolute = abs(score - theirs)
            # The bound: 1e-9 relative, or 1e-12 absolute (p-values near 0); the gap shown is
            # the relative one, or 0 within the absolute bound.
            gap = absolute / abs(theirs) if theirs != 0 else absolute
            if absolute <= 1e-12:
                gap = min(gap, 1e-9)
        rows.append((case, test_id, ours["method"], score, float(theirs), gap))


def normals(rng, n, mean, sd, decimals=None):
    x = rng.normal(mean, sd, n)
    return np.round(x, decimals) if decimals is not None else x


def cases():
    iris = pd.read_csv(ROOT / "static/data/iris.csv")
    penguins = pd.read_csv(ROOT / "static/data/penguins.csv")
    yield "iris-halves", iris.iloc[:75], iris.iloc[75:]
    yield "penguins-halves", penguins.iloc[:172], penguins.iloc[172:]
    rng = np.random.default_rng(12)
    small = pd.DataFrame({"x": normals(rng, 30, 0, 1), "ties": normals(rng, 30, 0, 1, 1),
                          "colour": rng.choice(["red", "green", "blue"], 30), "flag": rng.choice(["yes", "no"], 30),
                          "constant": [7] * 30})
    shifted = pd.DataFrame({"x": normals(rng, 40, 0.8, 1), "ties": normals(rng, 40, 0.5, 1, 1),
                            "colour": rng.choice(["red", "green", "blue", "violet"], 40), "flag": rng.choice(["yes", "no"], 40, p=[0.8, 0.2]),
                            "constant": [7] * 40})
    yield "small-shifted", small, shifted
    large = pd.DataFrame({"x": normals(rng, 3000, 0, 1), "few": rng.integers(0, 4, 3000),
                          "colour": rng.choice(["red", "green", "blue"], 3000)})
    later = pd.DataFrame({"x": normals(rng, 2000, 0.1, 1.2), "few": rng.integers(0, 5, 2000),
                          "colour": rng.choice(["red", "green", "blue"], 2000, p=[0.5, 0.3, 0.2])})
    yield "large-reference", large, later


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        for case, reference, current in cases():
            run_case(binary, case, reference, current, pathlib.Path(tmp))
    print(f"Evidently {evidently.__version__}, SciPy {scipy.__version__}, pandas {pd.__version__}, numpy {np.__version__}")
    print(f"{'case':<18} {'test':<28} {'method':<15} {'mltest':>24} {'Evidently':>24} {'gap':>9}")
    for case, test_id, method, ours, theirs, gap in rows:
        print(f"{case:<18} {test_id:<28} {method:<15} {ours!s:>24} {theirs!s:>24} {gap:9.1e}")
    worst = max(rows, key=lambda r: r[5])
    beyond = [r for r in rows if r[5] > 1e-9]
    print(f"{len(rows)} values; largest gap {worst[5]:.1e} ({worst[0]}: {worst[1]}); {len(beyond)} beyond 1e-9 (relative, or 1e-12 absolute)")
    sys.exit(1 if beyond else 0)


if __name__ == "__main__":
    main()
