#!/usr/bin/env python3
"""Slices, fairness and calibration on a model brought as predictions, at scale: mltest (the
native command) against fairlearn's MetricFrame and measures and scikit-learn's calibration
functions, on the same generated file in the same run (BENCHMARKS.md).

The file: N rows (default 1,000,000; numpy seed 2026) of a `group` (8 levels, unequal
sizes), a numeric `x`, a `yes`/`no` label `y`, a model's probability `p` of `yes` (a noisy
function of the label, worse in two groups) and its prediction `pred` (`p > 0.5`).

mltest runs one suite of seven tests with `mltest run --format json`: its wall time includes
starting the process and reading the CSV; `timings_ms.tests` is the tests alone. The peers
read the same CSV with pandas (timed apart) and compute the same seven numbers; both sides'
numbers are compared (to 1e-9) so the two columns time the same work.

Usage: bench_groups.py MLTEST_BINARY [--rows N] [--reps R]
"""

import argparse
import json
import pathlib
import subprocess
import sys
import tempfile
import time

import fairlearn
import fairlearn.metrics as fm
import numpy as np
import pandas as pd
import sklearn
from sklearn import metrics as skm
from sklearn.calibration import calibration_curve

ROOT = pathlib.Path(__file__).resolve().parent.parent


def generate(path, n):
    rng = np.random.default_rng(2026)
    group = rng.choice([f"g{k}" for k in range(8)], size=n, p=[0.3, 0.2, 0.15, 0.1, 0.1, 0.07, 0.05, 0.03])
    y = rng.random(n) < 0.4
    noise = np.where(np.isin(group, ["g5", "g7"]), 1.6, 0.8)
    logit = np.where(y, 1.0, -1.0) + rng.normal(0.0, noise)
    p = np.round(1.0 / (1.0 + np.exp(-logit)), 6)
    df = pd.DataFrame({
        "group": group,
        "x": np.round(rng.normal(50.0, 10.0, n), 3),
        "y": np.where(y, "yes", "no"),
        "p": p,
        "pred": np.where(p > 0.5, "yes", "no"),
    })
    df.to_csv(path, index=False)


TESTS = [
    {"id": "acc-by-group", "kind": "slice_metric", "metric": "accuracy", "op": ">=", "value": 0, "by": "group"},
    {"id": "auc-by-x", "kind": "slice_metric", "metric": "roc_auc", "op": ">=", "value": 0, "by": "x", "bins": 10},
    {"id": "f1-gap", "kind": "slice_gap", "metric": "f1", "by": "group", "max_gap": 1},
    {"id": "dp", "kind": "fairness", "by": "group", "measure": "demographic_parity_difference", "max": 1},
    {"id": "eo", "kind": "fairness", "by": "group", "measure": "equalized_odds_ratio", "min": 0},
    {"id": "brier", "kind": "calibration", "measure": "brier", "max": 1},
    {"id": "ece", "kind": "calibration", "measure": "ece", "max": 1},
]


def run_mltest(binary, csv):
    suite = {"version": 1, "data": {"source": "file", "path": csv.name}, "target": "y", "task": "classification",
             "model": {"kind": "predictions", "prediction": "pred", "scores": "p"}, "tests": TESTS}
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "suite.json"
        path.write_text(json.dumps(suite))
        started = time.perf_counter()
        done = subprocess.run([binary, "run", str(path), "--data", str(csv), "--format", "json"],
                              capture_output=True, text=True)
        wall = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"mltest failed: {done.stderr}")
    report = json.loads(done.stdout)
    observed = {t["id"]: t["observed"] for t in report["tests"]}
    return wall, report["timings_ms"]["tests"] / 1000.0, observed


def ece(y, p, n_bins=10):
    prob_true, prob_pred = calibration_curve(y, p, n_bins=n_bins, strategy="uniform")
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    counts = np.bincount(np.searchsorted(edges[1:-1], p), minlength=n_bins)
    counts = counts[counts > 0]
    return float(np.sum(counts / len(p) * np.abs(prob_true - prob_pred)))


def run_peers(csv):
    started = time.perf_counter()
    df = pd.read_csv(csv)
    read = time.perf_counter() - started
    started = time.perf_counter()
    y, pred, p, group = df["y"], df["pred"], df["p"].to_numpy(), df["group"]
    yb, pb = (y == "yes").to_numpy().astype(int), (pred == "yes").to_numpy().astype(int)
    acc = fm.MetricFrame(metrics=skm.accuracy_score, y_true=y, y_pred=pred, sensitive_features=group).group_min()
    bins = pd.qcut(df["x"], 10, duplicates="drop")
    auc = fm.MetricFrame(metrics=skm.roc_auc_score, y_true=yb, y_pred=p, sensitive_features=bins).group_min()
    f1 = fm.MetricFrame(metrics=skm.f1_score, y_true=yb, y_pred=pb, sensitive_features=group).difference()
    dp = fm.demographic_parity_difference(yb, pb, sensitive_features=group)
    eo = fm.equalized_odds_ratio(yb, pb, sensitive_features=group)
    brier = skm.brier_score_loss(yb, p)
    e = ece(yb, p)
    compute = time.perf_counter() - started
    observed = {"acc-by-group": acc, "auc-by-x": auc, "f1-gap": f1, "dp": dp, "eo": eo, "brier": brier, "ece": e}
    return read, compute, observed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    out = ROOT / "target" / "bench-data"
    out.mkdir(parents=True, exist_ok=True)
    csv = out / f"groups_{args.rows}.csv"
    if not csv.exists():
        generate(csv, args.rows)
    mltest_runs = [run_mltest(args.binary, csv) for _ in range(args.reps)]
    peer_runs = [run_peers(csv) for _ in range(args.reps)]
    ours, theirs = mltest_runs[0][2], peer_runs[0][2]
    for key, value in theirs.items():
        gap = abs(ours[key] - value) / max(1.0, abs(value))
        if gap > 1e-9:
            sys.exit(f"{key}: mltest {ours[key]} vs peer {value}: the two sides do not compute the same")
    median = lambda xs: sorted(xs)[len(xs) // 2]
    wall, tests = median([r[0] for r in mltest_runs]), median([r[1] for r in mltest_runs])
    read, compute = median([r[0] for r in peer_runs]), median([r[1] for r in peer_runs])
    size = csv.stat().st_size / 1e6
    print(f"{args.rows} rows ({size:.1f} MB), median of {args.reps}; scikit-learn {sklearn.__version__}, "
          f"fairlearn {fairlearn.__version__}, pandas {pd.__version__}; 7 numbers equal to 1e-9")
    print("| step | mltest | pandas + fairlearn + scikit-learn | ratio |")
    print("|---|---|---|---|")
    print(f"| the seven tests (slices, fairness, calibration) | {tests:.2f} s | {compute:.2f} s | {compute / tests:.1f}× faster |")
    print(f"| read the CSV + the seven tests (mltest: the whole command) | {wall:.2f} s | {read + compute:.2f} s | {(read + compute) / wall:.1f}× faster |")


if __name__ == "__main__":
    main()
