#!/usr/bin/env python3
"""Times k nearest neighbours (k = 5) in the engine and in scikit-learn on generated CSVs,
on one thread, and counts the test rows where their predictions agree.

For each CSV, the engine's timing example (examples/knn_timing.rs, built with
`cargo build --release --features bench --example knn_timing`) splits and standardises the
rows as the benchmark does, times the `knn` model's fit and predict, and writes its test rows
and predicted labels. The same rows are then standardised with scikit-learn
(SimpleImputer(mean) + StandardScaler fitted on the train rows, as bench_sklearn.py) and
KNeighborsClassifier(n_neighbors=5) is timed fitting and predicting them, by the same rule
(the median of REPS runs after a warm-up run; a first run over 3 s is the only one).
BLAS and OpenMP are held to one thread, as the engine has one. The inputs are every column
but `label` and `target`, so a file may have more than the generator's ten.

Prints one JSON line per tool and file ({tool, rows, step, ms, cpu_ms, reps, accuracy}); the
scikit-learn line adds `algorithm` (what `algorithm="auto"` chose) and `agree` (test rows
predicted alike) out of `test_rows`. With --brute, KNeighborsClassifier(algorithm="brute")
is timed too.

With --bundled MLTEST, the `mltest` binary's knn predictions on each bundled data set (as
compare_sklearn.py trains and splits them) are compared row by row with scikit-learn's, one
JSON line per data set ({data, task, algorithm, agree, test_rows}); no timing.

Usage: bench_knn.py EXAMPLE CSV... [--reps 5] [--brute] [--methods kd_tree scan]
       bench_knn.py --bundled MLTEST

The files: `mltest-bench gen --rows N --out F` (ten inputs), or `EXAMPLE gen N INPUTS F` for
another number of inputs (thirty: scikit-learn's rule then searches by brute force).
"""

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import pathlib  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.metrics import accuracy_score  # noqa: E402
from sklearn.neighbors import KNeighborsClassifier  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

import compare_sklearn  # noqa: E402
from bench_sklearn import MISSING, TOOL  # noqa: E402


def split_scale(frame, test_rows):
    """bench_sklearn.split_scale on every column but `label` and `target` (the engine's
    inputs), so files of more than ten inputs are read alike."""
    test = np.zeros(len(frame), dtype=bool)
    test[test_rows] = True
    x = frame.drop(columns=["label", "target"])
    scaler = make_pipeline(SimpleImputer(strategy="mean"), StandardScaler())
    y = frame["label"].to_numpy()
    return scaler.fit_transform(x[~test]), scaler.transform(x[test]), y[~test], y[test]


def median_ms(reps, step):
    """The median wall and CPU time of `reps` runs after one untimed warm-up run; a first run
    over 3 s is the only one and counts (bench_sklearn.median_ms's rule, with the CPU time,
    which moves less than the wall time on a machine shared with other work)."""
    def timed():
        wall, cpu = time.perf_counter(), time.process_time()
        result = step()
        return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, result

    first, first_cpu, result = timed()
    if first > 3000:
        return first, first_cpu, 1, result
    runs = [timed() for _ in range(reps)]
    return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), reps,
            runs[-1][2])


def engine(example, csv, workdir, reps, methods):
    test_rows, predictions = workdir / "test_rows.txt", workdir / "predictions.txt"
    run = subprocess.run([example, csv, str(test_rows), str(predictions), str(reps), *methods],
                         capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise SystemExit(f"{example} failed on {csv}: {run.stderr}{run.stdout}")
    rows = np.loadtxt(test_rows, dtype=np.int64, ndmin=1)
    labels = pathlib.Path(predictions).read_text().split()
    return run.stdout.strip().splitlines(), rows, np.array(labels, dtype=object)


def sklearn_knn(csv, test_rows, reps, algorithm):
    frame = pd.read_csv(csv, na_values=MISSING, keep_default_na=False)
    x_train, x_test, y_train, y_test = split_scale(frame, test_rows)

    def fit_predict():
        model = KNeighborsClassifier(n_neighbors=5, algorithm=algorithm).fit(x_train, y_train)
        return model, model.predict(x_test)

    ms, cpu_ms, runs, (model, predicted) = median_ms(reps, fit_predict)
    return len(frame), ms, cpu_ms, runs, model._fit_method, predicted, accuracy_score(y_test, predicted)


def bundled(mltest):
    """Row-by-row agreement of the knn predictions on the bundled data sets."""
    cases = [(s, t, "classification", compare_sklearn.CLASSIFIERS["knn"])
             for s, t in compare_sklearn.CLASSIFICATION.items()]
    cases += [(s, t, "regression", compare_sklearn.REGRESSORS["knn"])
              for s, t in compare_sklearn.REGRESSION.items()]
    with tempfile.TemporaryDirectory() as tmp:
        for sample, target, task, (params, make_model) in cases:
            spec = compare_sklearn.suite(sample, target, task, "knn", params)
            ours = compare_sklearn.mltest_predictions(mltest, pathlib.Path(tmp), spec).set_index("line")["y_pred"]
            _, theirs, model = compare_sklearn.sklearn_predict(sample, target, make_model, set(ours.index))
            if task == "classification":
                alike = [str(ours[line]) == str(value) for line, value in theirs.items()]
            else:
                alike = [abs(float(ours[line]) - value) <= 1e-9 * max(1.0, abs(value)) for line, value in theirs.items()]
            print(json.dumps({"data": sample, "task": task, "algorithm": model._fit_method,
                              "agree": sum(alike), "test_rows": len(alike)}), flush=True)
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("example", nargs="?")
    parser.add_argument("csv", nargs="*")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--brute", action="store_true")
    parser.add_argument("--methods", nargs="*", default=[])
    parser.add_argument("--bundled", metavar="MLTEST")
    args = parser.parse_args()
    if args.bundled:
        return bundled(args.bundled)
    if not args.example or not args.csv:
        parser.error("give the example and at least one CSV, or --bundled MLTEST")
    with tempfile.TemporaryDirectory() as tmp, threadpool_limits(limits=1):
        for csv in args.csv:
            lines, test_rows, ours = engine(args.example, csv, pathlib.Path(tmp), args.reps, args.methods)
            for line in lines:
                print(line, flush=True)
            for algorithm in ["auto"] + (["brute"] if args.brute else []):
                rows, ms, cpu_ms, runs, chosen, theirs, accuracy = sklearn_knn(csv, test_rows, args.reps, algorithm)
                agree = int((np.asarray(theirs, dtype=object) == ours).sum())
                print(json.dumps({"tool": TOOL, "rows": rows, "step": "knn", "ms": ms, "cpu_ms": cpu_ms, "reps": runs,
                                  "accuracy": accuracy, "algorithm": chosen, "agree": agree,
                                  "test_rows": len(test_rows)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
