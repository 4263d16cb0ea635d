#!/usr/bin/env python3
"""Trains each mltest model family and its scikit-learn counterpart on the same rows, and
prints their test scores side by side.

For every bundled data set and model family, a suite is written, `mltest run --predictions`
trains and predicts, and the predictions file says which CSV lines were the test rows. The
same preprocessing and model are then fitted with scikit-learn on the remaining rows and
scored on those lines, so the two numbers differ only by the implementations.

Usage: compare_sklearn.py MLTEST_BINARY [--max-diff 0.02]   (exit 1 when a gap is larger)
"""

import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import ElasticNet, LinearRegression, LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, r2_score
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "static" / "data"
MISSING = ["", "NA", "N/A", "NaN", "null", "?"]

CLASSIFICATION = {"iris": "species", "penguins": "species", "wine": "cultivar", "breast_cancer": "diagnosis"}
REGRESSION = {"diabetes": "progression"}

CLASSIFIERS = {
    "logistic_regression": ({"max_iterations": 100, "c": 1.0}, lambda: LogisticRegression(C=1.0, max_iter=100)),
    "decision_tree": ({"max_depth": 4}, lambda: DecisionTreeClassifier(max_depth=4, random_state=0)),
    "gaussian_nb": ({}, lambda: GaussianNB()),
    "knn": ({"k": 5}, lambda: KNeighborsClassifier(n_neighbors=5)),
    "svm": ({"c": 1.0, "kernel": "rbf"}, lambda: SVC(C=1.0, kernel="rbf", gamma="scale")),
}
REGRESSORS = {
    "linear_regression": ({}, lambda: LinearRegression()),
    "ridge": ({"alpha": 1.0}, lambda: Ridge(alpha=1.0)),
    "elastic_net": ({"alpha": 0.1, "l1_ratio": 0.5}, lambda: ElasticNet(alpha=0.1, l1_ratio=0.5, max_iter=1000)),
    "knn": ({"k": 10}, lambda: KNeighborsRegressor(n_neighbors=10)),
    "decision_tree_regressor": ({"max_depth": 4}, lambda: DecisionTreeRegressor(max_depth=4, random_state=0)),
}


def suite(sample, target, task, kind, params):
    return {
        "version": 1,
        "name": f"{sample} {kind}",
        "data": {"source": f"sample:{sample}"},
        "target": target,
        "task": task,
        "split": {"test_size": 0.2, "seed": 42, "stratify": task == "classification"},
        "preprocess": [{"impute": "mean"}, {"scale": "standard"}, {"one_hot": "auto"}],
        "model": {"kind": kind, **params},
        "tests": [{"id": "end-to-end", "kind": "pipeline_end_to_end"}],
    }


def mltest_predictions(binary, workdir, spec):
    path = workdir / "suite.json"
    path.write_text(json.dumps(spec))
    out = workdir / "predictions.csv"
    run = subprocess.run([binary, "run", str(path), "--predictions", str(out), "--format", "json"],
                         capture_output=True, text=True)
    if run.returncode not in (0, 1):
        raise SystemExit(f"mltest failed on {spec['name']}: {run.stderr}")
    return pd.read_csv(out, keep_default_na=False)


def sklearn_predict(sample, target, make_model, test_lines):
    """The test rows' targets and scikit-learn's predictions of them, both indexed by CSV line,
    and the fitted model."""
    frame = pd.read_csv(DATA / f"{sample}.csv", na_values=MISSING, keep_default_na=False)
    frame["__line"] = np.arange(len(frame)) + 2  # the header is line 1
    frame = frame[frame[target].notna()]
    test = frame["__line"].isin(test_lines)
    features = [c for c in frame.columns if c not in (target, "__line")]
    categorical = [c for c in features if not pd.api.types.is_numeric_dtype(frame[c])]
    numeric = [c for c in features if c not in categorical]
    pre = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="mean"), StandardScaler()), numeric),
        ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")), categorical),
    ])
    model = make_pipeline(pre, make_model())
    model.fit(frame.loc[~test, features], frame.loc[~test, target])
    lines = frame.loc[test, "__line"]
    predicted = pd.Series(model.predict(frame.loc[test, features]), index=lines)
    return frame.loc[test, target].set_axis(lines), predicted, model[-1]


def sklearn_score(sample, target, task, make_model, test_lines):
    truth, predicted, _ = sklearn_predict(sample, target, make_model, test_lines)
    if task == "classification":
        return accuracy_score(truth, predicted)
    return r2_score(truth, predicted)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mltest")
    parser.add_argument("--max-diff", type=float, default=0.02)
    args = parser.parse_args()

    cases = [(s, t, "classification", k, p, m) for s, t in CLASSIFICATION.items() for k, (p, m) in CLASSIFIERS.items()]
    cases += [(s, t, "regression", k, p, m) for s, t in REGRESSION.items() for k, (p, m) in REGRESSORS.items()]
    print(f"scikit-learn {sklearn.__version__}, same split (test_size 0.2, seed 42) and preprocessing")
    print(f"{'data':<14} {'model':<24} {'metric':<9} {'mltest':>8} {'sklearn':>8} {'diff':>8}")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        workdir = pathlib.Path(tmp)
        for sample, target, task, kind, params, make_model in cases:
            predictions = mltest_predictions(args.mltest, workdir, suite(sample, target, task, kind, params))
            if task == "classification":
                ours = float((predictions["y_true"].astype(str) == predictions["y_pred"].astype(str)).mean())
                metric = "accuracy"
            else:
                ours = r2_score(predictions["y_true"].astype(float), predictions["y_pred"].astype(float))
                metric = "r2"
            theirs = sklearn_score(sample, target, task, make_model, set(predictions["line"]))
            diff = ours - theirs
            worst = max(worst, abs(diff))
            flag = "" if abs(diff) <= args.max_diff else "  <-- over the limit"
            print(f"{sample:<14} {kind:<24} {metric:<9} {ours:>8.4f} {theirs:>8.4f} {diff:>+8.4f}{flag}")
    print(f"largest gap: {worst:.4f} (limit {args.max_diff})")
    return 0 if worst <= args.max_diff else 1


if __name__ == "__main__":
    sys.exit(main())
