#!/usr/bin/env python3
"""Holds `mltest import gx` and `mltest export gx` (PRODUCT.md §13) to Great Expectations itself.

Both ways, on the bundled data (static/data/*.csv, read by pandas as GX users read them):

- import: each hand-written GX suite in tests/data/gx/ (the 1.x and the 0.18 format) is
  imported with `mltest import gx`, the mltest suite is run with `mltest run --format json`,
  and every expectation that became tests is validated by GX on the same CSV. An imported
  test names its expectation in its description (`expectations[3] …`), so GX's verdict on
  expectation 3 is compared with the tests made from it: GX passes it exactly when they all
  pass (`pass`; a failing `warn` test is not a pass, as GX's success is False whatever the
  severity). For the row-level expectations (not null, between, in set, unique, regex) GX's
  `unexpected_count` must equal the test's failing-row count.
- export: each mltest suite (the hand-written tests/data/gx/penguins-data-tests.json, the
  bundled static/suites/*.json with data tests, and each suite the import made) is exported
  with `mltest export gx`, GX validates the expectations, and they are compared with
  `mltest run` of the suite by `meta.mltest_id`: a test passes exactly when all its
  expectations do (a `*` test becomes one per column), and its failing rows are the sum of
  their unexpected counts.

Prints a table of the cases and every disagreement; exit 1 if there is one. `--pins` also
prints, for each imported suite, GX's verdict and unexpected count per mapped expectation, in
the form the Rust tests in src/gx/tests.rs pin them.

Great Expectations 1.24.1 (with pandas 3.1.1): `make gx-venv` installs it in .tools/venv-gx.

Usage: compare_gx.py MLTEST_BINARY [--pins]
"""

import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time
import warnings

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
warnings.simplefilter("ignore")

import great_expectations as gx  # noqa: E402
import pandas as pd  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "static" / "data"
GX_DIR = ROOT / "tests" / "data" / "gx"

# Each hand-written GX suite and the bundled CSV it is written for.
IMPORTS = [
    ("penguins.gx1.json", "penguins.csv"),
    ("iris.gx018.json", "iris.csv"),
    ("diabetes.gx1.json", "diabetes.csv"),
]
# Expectations whose `unexpected_count` counts rows; the distinct-values ones count values.
ROW_LEVEL = {
    "expect_column_values_to_not_be_null",
    "expect_column_values_to_be_between",
    "expect_column_values_to_be_in_set",
    "expect_column_values_to_be_unique",
    "expect_column_values_to_match_regex",
}
ROW_LEVEL_KINDS = {"not_null", "values_between", "values_in_set", "unique", "matches_regex"}

problems = []
table = []


def mltest(binary, *args, check=True):
    done = subprocess.run([binary, *args], capture_output=True, text=True)
    if check and done.returncode not in (0, 1):
        sys.exit(f"mltest {' '.join(map(str, args))} exited {done.returncode}:\n{done.stderr}")
    return done


def run_mltest(binary, suite, csv):
    """Each test's status and failing-row count, by id."""
    done = mltest(binary, "run", suite, "--data", csv, "--format", "json")
    report = json.loads(done.stdout)
    return {t["id"]: (t["status"], (t.get("failures") or {}).get("count")) for t in report["tests"]}


def as_1x(expectation):
    """A GX expectation of either format as GX 1.x reads it."""
    out = {k: v for k, v in expectation.items() if k not in ("expectation_type", "ge_cloud_id", "rendered_content")}
    out["type"] = expectation.get("type") or expectation["expectation_type"]
    return out


class Gx:
    """GX's verdicts on one CSV, read by pandas with its defaults."""

    def __init__(self, csv):
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        asset = context.data_sources.add_pandas("data").add_dataframe_asset("frame")
        frame = pd.read_csv(csv)
        self.batch = asset.add_batch_definition_whole_dataframe("all").get_batch(batch_parameters={"dataframe": frame})

    def validate(self, expectation):
        """(success, unexpected_count or None) of one expectation."""
        suite = gx.ExpectationSuite(name="one", expectations=[as_1x(expectation)])
        result = self.batch.validate(suite, result_format="SUMMARY").results[0]
        if result.exception_info and result.exception_info.get("raised_exception"):
            raise RuntimeError(f"GX raised on {expectation}: {result.exception_info.get('exception_message')}")
        return bool(result.success), result.result.get("unexpected_count")


def compare_import(binary, name, csv_name, tmp, pins):
    source, csv = GX_DIR / name, DATA / csv_name
    imported = tmp / f"imported-{name}"
    done = mltest(binary, "import", "gx", source, "--output", imported, check=False)
    if done.returncode != 0:
        problems.append(f"{name}: mltest import gx exited {done.returncode}: {done.stderr.strip()}")
        return None
    suite = json.loads(imported.read_text())
    expectations = json.loads(source.read_text())["expectations"]
    statuses = run_mltest(binary, imported, csv)
    by_index = {}
    for test in suite["tests"]:
        index = int(re.match(r"expectations\[(\d+)\]", test["description"]).group(1))
        by_index.setdefault(index, []).append(test)
    checker = Gx(csv)
    agree = 0
    pinned = []
    for index, tests in sorted(by_index.items()):
        expectation = expectations[index]
        kind = expectation.get("type") or expectation["expectation_type"]
        success, unexpected = checker.validate(expectation)
        ours = [statuses[t["id"]] for t in tests]
        passed = all(status == "pass" for status, _ in ours)
        counts_agree = True
        if kind in ROW_LEVEL and len(tests) == 1 and kind != "expect_column_distinct_values_to_be_in_set":
            counts_agree = ours[0][1] == unexpected
        if passed == success and counts_agree:
            agree += 1
        else:
            problems.append(
                f"{name} expectations[{index}] {kind}: GX success={success} unexpected={unexpected}; "
                f"mltest {[(t['id'], s, c) for t, (s, c) in zip(tests, ours)]}"
            )
        pinned.append((index, success, unexpected if kind in ROW_LEVEL else None))
    left_out = len(expectations) - len(by_index)
    table.append((name, "import", len(expectations), len(by_index), agree, left_out))
    if pins:
        print(f"\n// {name} on {csv_name}: (expectation, GX success, GX unexpected_count)")
        for index, success, count in pinned:
            shown = "None" if count is None else f"Some({count})"
            print(f"    ({index}, {str(success).lower()}, {shown}),")
    return imported


def compare_export(binary, label, suite_path, csv, tmp):
    exported = tmp / f"exported-{pathlib.Path(label).name}"
    done = mltest(binary, "export", "gx", suite_path, "--data", csv, "--output", exported, check=False)
    if done.returncode != 0:
        problems.append(f"{label}: mltest export gx exited {done.returncode}: {done.stderr.strip()}")
        return
    expectations = json.loads(exported.read_text())["expectations"]
    statuses = run_mltest(binary, suite_path, csv)
    kinds = {}
    suite_tests = json.loads(pathlib.Path(suite_path).read_text())["tests"] if str(suite_path).endswith(".json") else []
    for test in suite_tests:
        kinds[test["id"]] = test["kind"]
    checker = Gx(csv)
    groups = {}
    for expectation in expectations:
        success, unexpected = checker.validate(expectation)
        groups.setdefault(expectation["meta"]["mltest_id"], []).append((expectation["type"], success, unexpected))
    agree = 0
    for test_id, results in groups.items():
        status, count = statuses[test_id]
        success = all(s for _, s, _ in results)
        counts_agree = True
        if kinds.get(test_id) in ROW_LEVEL_KINDS and all(t in ROW_LEVEL for t, _, _ in results):
            counts_agree = count == sum(u for _, _, u in results)
        if (status == "pass") == success and counts_agree:
            agree += 1
        else:
            problems.append(f"{label} `{test_id}`: mltest {status} ({count} failing); GX {results}")
    table.append((label, "export", len(statuses), len(groups), agree, len(statuses) - len(groups)))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary, pins = sys.argv[1], "--pins" in sys.argv[2:]
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        imported = []
        for name, csv in IMPORTS:
            path = compare_import(binary, name, csv, tmp, pins)
            if path is not None:
                imported.append((f"{name} (imported)", path, DATA / csv))
        exports = [("penguins-data-tests.json", GX_DIR / "penguins-data-tests.json", DATA / "penguins.csv")]
        for suite in sorted((ROOT / "static" / "suites").glob("*.json")):
            source = json.loads(suite.read_text())["data"]["source"]
            data_kinds = {"not_null", "values_between", "values_in_set", "unique", "matches_regex",
                          "row_count_between", "column_stat_between", "columns_present", "not_constant"}
            tests = json.loads(suite.read_text())["tests"]
            if source.startswith("sample:") and any(t["kind"] in data_kinds for t in tests):
                exports.append((f"static/suites/{suite.name}", suite, DATA / f"{source[len('sample:'):]}.csv"))
        for label, path, csv in exports + imported:
            compare_export(binary, label, path, csv, tmp)

    print(f"\nGreat Expectations {gx.__version__}, pandas {pd.__version__}")
    header = ("case", "direction", "tests/expectations", "compared", "agree", "left out")
    widths = [max(len(str(row[i])) for row in table + [header]) for i in range(len(header))]
    for row in [header] + table:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)))
    compared = sum(row[3] for row in table)
    agreed = sum(row[4] for row in table)
    print(f"{agreed} of {compared} compared verdicts agree ({time.monotonic() - started:.1f} s)")
    for problem in problems:
        print("DISAGREE:", problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
