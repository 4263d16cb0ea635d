#!/usr/bin/env python3
"""Times the benchmark's steps with pandas and scikit-learn on a generated CSV, natively, and
prints one JSON line per step (the fields of `mltest-bench native`'s lines).

The steps are the engine's (src/bench.rs) written as a pandas + scikit-learn user would:
read_csv and a profile of every column; the same ten data tests in pandas; the engine's test
rows (TEST_ROWS, one 0-based data row a line) held out, SimpleImputer(mean) + StandardScaler
fitted on the rest; LogisticRegression(C=1, max_iter=100, lbfgs),
DecisionTreeClassifier(max_depth=8), GaussianNB, SVC(C=1, rbf, gamma="scale") and
KNeighborsClassifier(5) scored by accuracy on the test rows. --models names the models to
time: those `mltest-bench native` timed on the file (src/bench.rs caps the SVM's and kNN's
rows), all by default.

Usage: bench_sklearn.py CSV TEST_ROWS [--reps 5] [--models logistic_regression svm ...]
"""

import argparse
import json
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from bench_timing import median_ms

TOOL = f"pandas {pd.__version__} + scikit-learn {sklearn.__version__}"
FEATURES = [f"x{i}" for i in range(10)]
MISSING = ["", "NA", "N/A", "NaN", "null", "?"]
MODELS = {
    "logistic_regression": lambda: LogisticRegression(C=1.0, max_iter=100),
    "decision_tree": lambda: DecisionTreeClassifier(max_depth=8, min_samples_split=2, random_state=0),
    "gaussian_nb": lambda: GaussianNB(var_smoothing=1e-9),
    "svm": lambda: SVC(C=1.0, kernel="rbf", gamma="scale"),
    "knn": lambda: KNeighborsClassifier(n_neighbors=5),
}


def parse_profile(path):
    frame = pd.read_csv(path, na_values=MISSING, keep_default_na=False)
    profile = {}
    for name in frame.columns:
        column = frame[name]
        present = column.dropna()
        entry = {"missing": int(column.isna().sum()), "distinct": int(present.nunique()),
                 "top": present.value_counts().head(5).to_dict()}
        if pd.api.types.is_numeric_dtype(column):
            entry.update(min=present.min(), max=present.max(), mean=present.mean(), std=present.std(),
                         median=present.median(), histogram=np.histogram(present.to_numpy(), bins=10)[0])
        profile[name] = entry
    return frame, profile


def data_tests(frame):
    """The engine's DATA_SUITE in pandas; returns whether every test passes."""
    numeric = frame.select_dtypes("number")
    share = frame["label"].value_counts(normalize=True)
    return all([
        list(frame.columns) == FEATURES + ["label", "target"],
        not frame.isna().any().any(),
        pd.api.types.is_float_dtype(frame["x0"]),
        frame["x0"].dropna().between(-10, 10).all(),
        frame["label"].dropna().isin(["yes", "no"]).all(),
        len(frame) >= 1000,
        -0.1 <= frame["x1"].mean() <= 0.1,
        share.min() / share.max() >= 0.3,
        frame.duplicated().mean() <= 0.01,
        (numeric.nunique() > 1).all() and (frame.nunique() > 1).all(),
    ])


def split_scale(frame, test_rows):
    test = np.zeros(len(frame), dtype=bool)
    test[test_rows] = True
    scaler = make_pipeline(SimpleImputer(strategy="mean"), StandardScaler())
    x = frame[FEATURES]
    x_train = scaler.fit_transform(x[~test])
    x_test = scaler.transform(x[test])
    y = frame["label"].to_numpy()
    return x_train, x_test, y[~test], y[test]


def emit(rows, step, ms, reps, accuracy=None):
    print(json.dumps({"tool": TOOL, "rows": rows, "step": step, "ms": ms, "reps": reps, "accuracy": accuracy}),
          flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("csv")
    parser.add_argument("test_rows")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--models", nargs="*", choices=list(MODELS), default=list(MODELS))
    args = parser.parse_args()
    test_rows = np.loadtxt(args.test_rows, dtype=np.int64, ndmin=1)

    ms, reps, (frame, _) = median_ms(args.reps, lambda: parse_profile(args.csv))
    rows = len(frame)
    emit(rows, "parse_profile", ms, reps)
    ms, reps, _ = median_ms(args.reps, lambda: data_tests(frame))
    emit(rows, "data_tests", ms, reps)
    ms, reps, parts = median_ms(args.reps, lambda: split_scale(frame, test_rows))
    emit(rows, "split_scale", ms, reps)
    x_train, x_test, y_train, y_test = parts
    for name in args.models:
        make = MODELS[name]

        def train_evaluate():
            return accuracy_score(y_test, make().fit(x_train, y_train).predict(x_test))
        ms, reps, accuracy = median_ms(args.reps, train_evaluate)
        emit(rows, name, ms, reps, accuracy)
    return 0


if __name__ == "__main__":
    sys.exit(main())
