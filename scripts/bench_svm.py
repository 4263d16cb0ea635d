#!/usr/bin/env python3
"""Times the engine's svm against scikit-learn's SVC on generated files, natively, and
checks that the two predict the same.

For each size, `mltest-bench gen` writes the file; the engine's `bench_svm` example trains
the `svm` model (C=1, rbf, gamma="scale") on the benchmark's train rows and scores its test
rows (the split and scaling of `mltest-bench native`), and writes the test rows and its
predictions. scikit-learn then fits SVC(C=1, kernel="rbf", gamma="scale") on the same
standardised rows (bench_sklearn.py's `split_scale`), with one thread, and predicts the same
test rows. Prints one JSON line per tool and size, {tool, rows, step, ms, accuracy, ...}
(the fit's support vectors, dual objective and solver steps), then one line comparing the
predictions.

Build first:
  cargo build --release --features bench --bin mltest-bench --example bench_svm

Usage: bench_svm.py [--rows 8000 20000] [--reps 3] [--c 1] [--kernel rbf] [--target DIR]
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
from sklearn.metrics.pairwise import pairwise_kernels  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

from bench_sklearn import MISSING, median_ms, split_scale  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
TOOL = f"scikit-learn {sklearn.__version__}"


def dual_objective(model):
    """libsvm's `obj` of a two-class SVC: ½ aᵀKa − Σ|a| with a = dual_coef_ (αᵢyᵢ)."""
    coef = model.dual_coef_[0]
    gamma = {"gamma": model._gamma} if model.kernel == "rbf" else {}
    kernel = pairwise_kernels(model.support_vectors_, metric=model.kernel, **gamma)
    return float(0.5 * coef @ kernel @ coef - np.abs(coef).sum())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[8000, 20000])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--c", type=float, default=1.0)
    parser.add_argument("--kernel", default="rbf", choices=["rbf", "linear"])
    parser.add_argument("--target", default=os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    args = parser.parse_args()
    release = pathlib.Path(args.target) / "release"

    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        for rows in args.rows:
            csv, test_rows, predictions = tmp / f"gen{rows}.csv", tmp / "test_rows.txt", tmp / "predictions.csv"
            subprocess.run([release / "mltest-bench", "gen", "--rows", str(rows), "--out", csv], check=True)
            engine = subprocess.run(
                [release / "examples" / "bench_svm", csv, "--reps", str(args.reps), "--c", str(args.c),
                 "--kernel", args.kernel, "--test-rows", test_rows, "--predictions", predictions],
                check=True, capture_output=True, text=True)
            ours = json.loads(engine.stdout)
            print(json.dumps(ours), flush=True)

            frame = pd.read_csv(csv, na_values=MISSING, keep_default_na=False)
            x_train, x_test, y_train, y_test = split_scale(frame, np.loadtxt(test_rows, dtype=np.int64, ndmin=1))

            def fit_predict():
                model = SVC(C=args.c, kernel=args.kernel, gamma="scale").fit(x_train, y_train)
                return model, model.predict(x_test)

            ms, reps, (model, predicted) = median_ms(args.reps, fit_predict)
            theirs = {
                "tool": TOOL, "rows": rows, "step": "svm", "ms": ms, "reps": reps,
                "accuracy": float((predicted == y_test).mean()),
                "support_vectors": int(model.n_support_.sum()),
                "objective": [dual_objective(model)],
                # Two classes: scikit-learn negates libsvm's machine, so its intercept is ρ.
                "rho": [float(model.intercept_[0])],
                "iterations": int(model.n_iter_.sum()),
            }
            print(json.dumps(theirs), flush=True)

            engine_rows = pd.read_csv(predictions, header=None)
            decision = model.decision_function(x_test)
            print(json.dumps({
                "rows": rows,
                "step": "svm agreement",
                "same_predictions": int((engine_rows[0].to_numpy() == predicted).sum()),
                "test_rows": len(predicted),
                "max_decision_gap": float(np.abs(engine_rows[1].to_numpy() - decision).max()),
                "time_ratio": ours["ms"] / ms,
            }), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
