#!/usr/bin/env python3
"""Re-checks mltest's numbers on a model brought as predictions (PRODUCT.md §9–§11) against
the peers that define them: scikit-learn for metrics and calibration, fairlearn's
MetricFrame for each slice's metric and fairlearn's fairness measures, pandas' qcut for the
quantile bins.

Two cases: the bundled penguins_predictions sample (a binary model's `sex_pred` and
`p_male`), and iris with a multiclass model's per-class probabilities made here by
scikit-learn's cross_val_predict. For each, one suite of every test kind is run with
`mltest run --format json`; every observed value, every slice's value and every group's
rates are compared with the peer's. Prints the table and the largest gap; exit 1 when a gap
is above 1e-9 (relative, or absolute under 1).

Usage: compare_fairness.py MLTEST_BINARY
"""

import functools
import json
import pathlib
import subprocess
import sys
import tempfile

import fairlearn
import fairlearn.metrics as fm
import numpy as np
import pandas as pd
import sklearn
from sklearn import metrics as skm
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

ROOT = pathlib.Path(__file__).resolve().parent.parent
TOLERANCE = 1e-9
rows = []


def compare(case, what, ours, theirs):
    gap = abs(ours - theirs) if ours is not None and theirs is not None else float("inf")
    scale = max(1.0, abs(theirs)) if theirs is not None else 1.0
    rows.append((case, what, ours, theirs, gap / scale))


def run(binary, suite, csv_path):
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "suite.json"
        suite["data"] = {"source": "file", "path": csv_path.name}
        path.write_text(json.dumps(suite))
        command = [binary, "run", str(path), "--data", str(csv_path), "--format", "json"]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode not in (0, 1):
            sys.exit(f"mltest failed: {done.stderr}")
        return {t["id"]: t for t in json.loads(done.stdout)["tests"]}


def ece(y, p, n_bins):
    """Expected calibration error over scikit-learn's calibration_curve bins."""
    prob_true, prob_pred = sklearn.calibration.calibration_curve(y, p, n_bins=n_bins, strategy="uniform")
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    counts = np.bincount(np.searchsorted(edges[1:-1], p), minlength=n_bins)
    counts = counts[counts > 0]
    return float(np.sum(counts / len(p) * np.abs(prob_true - prob_pred)))


def groups(df, by, bins=None):
    if bins is None:
        return df[by].astype(str)
    return pd.qcut(df[by], bins, duplicates="drop").astype(str)


def slices(case, report, frame):
    """Each slice's value in the report against MetricFrame's by_group, in slice order."""
    by_group = frame.by_group
    ours = [s for s in report["slices"] if s["name"] != "(missing)"]
    for ours_slice, (name, theirs) in zip(ours, by_group.items()):
        compare(case, f'{report["id"]} [{ours_slice["name"]} = {name}]', ours_slice["value"], float(theirs))
    if len(ours) != len(by_group):
        compare(case, f'{report["id"]} slice count', len(ours), len(by_group))


def binary(binary_path):
    case = "penguins_predictions"
    csv = ROOT / "static/data/penguins_predictions.csv"
    df = pd.read_csv(csv).dropna(subset=["sex"])
    y, pred, p = df["sex"], df["sex_pred"], df["p_male"]
    yb, pb = (y == "male").astype(int), (pred == "male").astype(int)
    tests = [
        {"id": "acc", "kind": "metric_threshold", "metric": "accuracy", "op": ">", "value": 0},
        {"id": "f1", "kind": "metric_threshold", "metric": "f1", "op": ">", "value": 0},
        {"id": "auc", "kind": "metric_threshold", "metric": "roc_auc", "op": ">", "value": 0},
        {"id": "ll", "kind": "metric_threshold", "metric": "log_loss", "op": ">", "value": 0},
        {"id": "acc-species", "kind": "slice_metric", "metric": "accuracy", "op": ">", "value": 0, "by": "species", "min_rows": 1},
        {"id": "f1-island", "kind": "slice_gap", "metric": "f1", "average": "macro", "by": "island", "max_gap": 1, "min_rows": 1},
        {"id": "auc-mass", "kind": "slice_metric", "metric": "roc_auc", "op": ">", "value": 0, "by": "body_mass_g", "bins": 4, "min_rows": 1},
        {"id": "recall-flipper", "kind": "slice_metric", "metric": "recall", "op": ">", "value": 0, "by": "flipper_length_mm", "bins": 5, "min_rows": 1},
        {"id": "brier", "kind": "calibration", "measure": "brier", "max": 1},
        {"id": "ece", "kind": "calibration", "measure": "ece", "max": 1},
        {"id": "ece-7", "kind": "calibration", "measure": "ece", "max": 1, "n_bins": 7},
    ]
    measures = {
        "demographic_parity_difference": fm.demographic_parity_difference,
        "demographic_parity_ratio": fm.demographic_parity_ratio,
        "equalized_odds_difference": fm.equalized_odds_difference,
        "equalized_odds_ratio": fm.equalized_odds_ratio,
    }
    for by in ["species", "island"]:
        for name in measures:
            bound = {"min": 0} if name.endswith("ratio") else {"max": 1}
            tests.append({"id": f"{name}-{by}", "kind": "fairness", "by": by, "measure": name, **bound})
    suite = {"version": 1, "target": "sex", "task": "classification",
             "model": {"kind": "predictions", "prediction": "sex_pred", "scores": "p_male"}, "tests": tests}
    report = run(binary_path, suite, csv)
    compare(case, "accuracy", report["acc"]["observed"], skm.accuracy_score(y, pred))
    compare(case, "f1", report["f1"]["observed"], skm.f1_score(y, pred, pos_label="male"))
    compare(case, "roc_auc", report["auc"]["observed"], skm.roc_auc_score(yb, p))
    compare(case, "log_loss", report["ll"]["observed"], skm.log_loss(y, np.c_[1 - p, p], labels=["female", "male"]))
    slices(case, report["acc-species"], fm.MetricFrame(metrics=skm.accuracy_score, y_true=y, y_pred=pred, sensitive_features=groups(df, "species")))
    f1_macro = functools.partial(skm.f1_score, average="macro")
    frame = fm.MetricFrame(metrics=f1_macro, y_true=y, y_pred=pred, sensitive_features=groups(df, "island"))
    slices(case, report["f1-island"], frame)
    compare(case, "f1-island gap", report["f1-island"]["observed"], float(frame.difference()))
    slices(case, report["auc-mass"], fm.MetricFrame(metrics=skm.roc_auc_score, y_true=yb, y_pred=p, sensitive_features=groups(df, "body_mass_g", 4)))
    recall = functools.partial(skm.recall_score, pos_label="male")
    slices(case, report["recall-flipper"], fm.MetricFrame(metrics=recall, y_true=y, y_pred=pred, sensitive_features=groups(df, "flipper_length_mm", 5)))
    compare(case, "brier", report["brier"]["observed"], skm.brier_score_loss(yb, p))
    compare(case, "ece", report["ece"]["observed"], ece(yb, p, 10))
    compare(case, "ece (7 bins)", report["ece-7"]["observed"], ece(yb, p, 7))
    for by in ["species", "island"]:
        sf = groups(df, by)
        for name, measure in measures.items():
            test = report[f"{name}-{by}"]
            compare(case, f"{name} by {by}", test["observed"], float(measure(yb, pb, sensitive_features=sf)))
        frame = fm.MetricFrame(metrics={"sel": fm.selection_rate, "tpr": fm.true_positive_rate, "fpr": fm.false_positive_rate},
                               y_true=yb, y_pred=pb, sensitive_features=sf)
        for group, ours in zip(frame.by_group.index, report[f"demographic_parity_ratio-{by}"]["slices"]):
            for key, theirs in [("selection_rate", "sel"), ("tpr", "tpr"), ("fpr", "fpr")]:
                compare(case, f"{by}={group} {key}", ours["rates"][key], float(frame.by_group.loc[group, theirs]))


def multiclass(binary_path, tmp):
    case = "iris (per-class scores)"
    iris = pd.read_csv(ROOT / "static/data/iris.csv")
    x = iris.drop(columns="species")
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    proba = cross_val_predict(LogisticRegression(C=0.05, max_iter=1000), x, iris["species"], cv=folds, method="predict_proba")
    classes = sorted(iris["species"].unique())
    df = iris.copy()
    for k, c in enumerate(classes):
        df[f"p_{c}"] = proba[:, k].round(6)
    # Rounded scores: the prediction is their argmax, the first class on a tie.
    scores = df[[f"p_{c}" for c in classes]].to_numpy()
    df["pred"] = [classes[i] for i in scores.argmax(axis=1)]
    csv = pathlib.Path(tmp) / "iris_predictions.csv"
    df.to_csv(csv, index=False)
    y, pred = df["species"], df["pred"]
    tests = [
        {"id": "acc", "kind": "metric_threshold", "metric": "accuracy", "op": ">", "value": 0},
        {"id": "f1", "kind": "metric_threshold", "metric": "f1", "average": "macro", "op": ">", "value": 0},
        {"id": "auc", "kind": "metric_threshold", "metric": "roc_auc", "op": ">", "value": 0},
        {"id": "ll", "kind": "metric_threshold", "metric": "log_loss", "op": ">", "value": 0},
        {"id": "f1-sepal", "kind": "slice_metric", "metric": "f1", "average": "macro", "op": ">", "value": 0, "by": "sepal_length", "bins": 3, "min_rows": 1},
        {"id": "brier", "kind": "calibration", "measure": "brier", "max": 2},
        {"id": "ece", "kind": "calibration", "measure": "ece", "max": 1},
    ]
    suite = {"version": 1, "target": "species", "task": "classification",
             "model": {"kind": "predictions", "prediction": "pred", "scores": {c: f"p_{c}" for c in classes}}, "tests": tests}
    report = run(binary_path, suite, csv)
    compare(case, "accuracy", report["acc"]["observed"], skm.accuracy_score(y, pred))
    compare(case, "f1 macro", report["f1"]["observed"], skm.f1_score(y, pred, average="macro"))
    compare(case, "roc_auc ovr", report["auc"]["observed"], skm.roc_auc_score(y, scores, multi_class="ovr"))
    compare(case, "log_loss", report["ll"]["observed"], skm.log_loss(y, scores, labels=classes))
    f1_macro = functools.partial(skm.f1_score, average="macro")
    slices(case, report["f1-sepal"], fm.MetricFrame(metrics=f1_macro, y_true=y, y_pred=pred, sensitive_features=groups(df, "sepal_length", 3)))
    compare(case, "brier (multiclass)", report["brier"]["observed"], skm.brier_score_loss(y, scores, labels=classes))
    top = scores.max(axis=1)
    right = (np.array(classes)[scores.argmax(axis=1)] == y.to_numpy()).astype(int)
    compare(case, "ece (top label)", report["ece"]["observed"], ece(right, top, 10))


def main():
    binary_path = sys.argv[1]
    binary(binary_path)
    with tempfile.TemporaryDirectory() as tmp:
        multiclass(binary_path, tmp)
    print(f"scikit-learn {sklearn.__version__}, fairlearn {fairlearn.__version__}, pandas {pd.__version__}")
    print(f"{'case':<24} {'value':<58} {'mltest':>20} {'peer':>20} {'gap':>9}")
    for case, what, ours, theirs, gap in rows:
        print(f"{case:<24} {what:<58} {ours!s:>20} {theirs!s:>20} {gap:9.1e}")
    worst = max(rows, key=lambda r: r[4])
    beyond = [r for r in rows if r[4] > TOLERANCE]
    print(f"{len(rows)} values; largest gap {worst[4]:.1e} ({worst[0]}: {worst[1]}); {len(beyond)} beyond {TOLERANCE:g}")
    sys.exit(1 if beyond else 0)


if __name__ == "__main__":
    main()
