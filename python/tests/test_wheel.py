"""The wheel as a user gets it (`make wheel-test`): installed with pip into a fresh venv, with
pytest from PyPI at the version pinned in scripts/setup.sh; its `mltest` command runs with no
Rust toolchain on PATH, and pytest with its plugin runs the suites of python/example.

Run by the tools venv's pytest (`.tools/venv-wheel`) after `make wheel`; MLTEST_WHEELS names
the folder of the built wheel (default target/wheels). The fresh venv is made beside it, in
wheel-test/venv, and made anew on every run.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from conftest import MEASURED

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "python" / "example"
PASSING = EXAMPLE / "mltest_iris.json"
FAILING = EXAMPLE / "penguins.mltest.yaml"
# Absolute: the tests run pytest from other folders (a relative CARGO_TARGET_DIR or none).
WHEELS = (ROOT / os.environ.get("MLTEST_WHEELS", "target/wheels")).resolve()
# No cargo, no target/release, no venv: the wheel's command must be found beside the venv's
# Python, and run with nothing of Rust's.
BARE_PATH = os.pathsep.join(p for p in ("/usr/local/bin", "/usr/bin", "/bin") if os.path.isdir(p))


@pytest.fixture(scope="module")
def wheel():
    wheels = sorted(WHEELS.glob("mltest-*.whl"))
    assert len(wheels) == 1, f"one mltest wheel expected in {WHEELS} (make wheel), found {wheels}"
    MEASURED["wheel"] = f"{wheels[0].name}, {wheels[0].stat().st_size / 1e6:.2f} MB"
    return wheels[0]


@pytest.fixture(scope="module")
def venv(wheel):
    """A fresh venv with the wheel and pytest installed by pip, as a user installs them."""
    venv = WHEELS.parent / "wheel-test" / "venv"
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    start = time.monotonic()
    subprocess.run(
        [venv / "bin" / "pip", "install", "--quiet", "--disable-pip-version-check", wheel]
        + [f"pytest=={pytest.__version__}"],
        check=True,
    )
    MEASURED["pip install (the wheel and pytest, fresh venv)"] = f"{time.monotonic() - start:.1f} s"
    return venv


def run(args, cwd=ROOT):
    """Runs a command with the bare PATH; returns (exit status, stdout + stderr)."""
    env = {"PATH": BARE_PATH, "LANG": "C.UTF-8", "HOME": os.environ.get("HOME", "/tmp")}
    done = subprocess.run(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return done.returncode, done.stdout


def pytest_in(venv, *args, cwd=ROOT):
    return run([venv / "bin" / "python", "-m", "pytest", "-p", "no:cacheprovider", *map(str, args)], cwd=cwd)


def report_of(venv, suite):
    """The suite's JSON report from the installed command: what pytest's items must say."""
    code, out = run([venv / "bin" / "mltest", "run", suite, "--format", "json"])
    assert code in (0, 1), out
    return json.loads(out)


def test_the_wheel_holds_the_command_and_the_plugin_only(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert any(re.fullmatch(r"mltest-[^/]+\.data/scripts/mltest", n) for n in names), names
    assert {"mltest_pytest/__init__.py", "mltest_pytest/command.py", "mltest_pytest/plugin.py"} <= set(names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    declared = zipfile.ZipFile(wheel).read(entry_points).decode().replace(" ", "")
    assert "[pytest11]\nmltest=mltest_pytest.plugin" in declared
    assert not any(n.startswith(("example/", "tests/", "python/")) for n in names), names


def test_pip_installs_a_command_that_runs_without_rust(venv):
    code, out = run([venv / "bin" / "mltest", "--version"])
    assert (code, out.strip()) == (0, "mltest 0.1.0")
    code, out = run([venv / "bin" / "mltest", "run", PASSING])
    assert code == 0, out


def test_pytest_runs_each_test_of_each_suite_and_fails_with_the_failing_suite(venv, tmp_path):
    junit = tmp_path / "junit.xml"
    code, out = pytest_in(venv, EXAMPLE, f"--junitxml={junit}")
    assert code == 1, out
    assert "2 failed, 9 passed, 1 skipped, 1 warning" in out, out
    assert "plugins: mltest-0.1.0" in out, out

    cases = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        cases.setdefault(case.get("classname"), []).append(case)
    classnames = [(PASSING, "python.example.mltest_iris.json"), (FAILING, "python.example.penguins.mltest.yaml")]
    for suite, classname in classnames:
        tests = report_of(venv, suite)["tests"]
        got = cases[classname]
        # One testcase per test of the suite, named by its id, in the suite's order.
        assert [c.get("name") for c in got] == [t["id"] for t in tests]
        for case, test in zip(got, tests):
            failure, skipped = case.find("failure"), case.find("skipped")
            assert (failure is not None) == (test["status"] in ("fail", "error")), test["id"]
            assert (skipped is not None) == (test["status"] == "skipped"), test["id"]
            if failure is None:
                continue
            # The explanation, then the execution table, then the failing rows.
            assert failure.get("message") == test["message"]
            text = failure.text
            assert text.startswith(test["message"] + "\n\n| Step | Action")
            assert "| Step | Action" in text and "| Evaluation" in text and "| Result" in text
            for step in test["steps"]:
                assert f"| {step['step']} " in text and step["action"] in text
            assert f"Failing rows: {test['failures']['count']}" in text
            first = test["failures"]["sample"][0]
            assert f"line {first['line']}" in text
    penguins = cases["python.example.penguins.mltest.yaml"]
    failed = [c.get("name") for c in penguins if c.find("failure") is not None]
    assert failed == ["bill-length-known", "body-mass-range"]


def test_the_passing_suite_alone_passes_with_its_warning_and_its_skip(venv):
    code, out = pytest_in(venv, PASSING, "-rs")
    assert code == 0, out
    assert "7 passed, 1 skipped, 1 warning" in out, out
    assert "MltestWarning: no-duplicates: 1 of 150 rows repeat an earlier row" in out, out
    # Both point at the test in the suite file.
    assert "\n  python/example/mltest_iris.json:15: MltestWarning" in out, out
    assert "mltest_iris.json:18: disabled in the suite" in out, out


def test_mltest_data_runs_the_suites_on_another_file(venv):
    code, out = pytest_in(venv, PASSING, "--mltest-data", "static/data/penguins.csv")
    assert code == 1, out
    # The iris suite on penguins: its schema and ranges fail, its model cannot train.
    assert "FAILED python/example/mltest_iris.json::schema" in out, out


def test_a_suite_that_cannot_run_fails_its_collection_with_mltests_message(venv, tmp_path):
    (tmp_path / "mltest_typo.json").write_text(
        '{"version": 1, "data": {"source": "sample:iris"},'
        ' "tests": [{"id": "a", "kind": "not_nul", "column": "*"}]}'
    )
    # Not a suite file's name: left to other plugins.
    (tmp_path / "notes.json").write_text("{}")
    code, out = pytest_in(venv, tmp_path, cwd=tmp_path)
    assert code == 2, out  # pytest's status for an interrupted collection
    assert "ERROR collecting mltest_typo.json" in out, out
    assert "mltest could not run the suite (exit status 2)" in out, out
    assert "tests[0] (`a`).kind: `not_nul` is not a test kind; did you mean `not_null`? kinds: " in out, out
    assert "notes.json" not in out, out


def test_each_suite_runs_once_per_session(venv, tmp_path):
    log = tmp_path / "runs.log"
    wrapper = tmp_path / "mltest"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {venv / "bin" / "mltest"} "$@"\n')
    wrapper.chmod(0o755)
    code, out = pytest_in(venv, EXAMPLE, "--mltest-command", wrapper)
    assert code == 1, out
    runs = log.read_text().splitlines()
    assert sorted(runs) == sorted(f"run {s} --format json" for s in (PASSING, FAILING)), runs
