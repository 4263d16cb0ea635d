"""pytest's side of the plugin: which files are suites, one item per test of a suite, and the
failure text of a test (its explanation, its execution table, its failing rows).

A suite is run when pytest collects its file, because the items are the suite's tests and
only a run says what they are (the ids of a YAML suite cannot be read without a YAML parser,
and the suite must be valid anyway). Each suite runs once per session; its items read their
status from that one report. A suite that cannot run (exit status 2: a misspelt kind, a
missing file) fails the file's collection with mltest's message, as a Python file with a
syntax error does.

Status to pytest outcome: ``pass`` passes; ``warn`` (a failing test of severity ``warn``)
passes with an :class:`MltestWarning`; ``fail`` and ``error`` (could not be evaluated) fail;
``skipped`` (disabled, or a stage it needs failed) skips with the reason.
"""

import os
import re
import warnings
from pathlib import Path

import pytest

from .command import MltestRunError, find_command, run_suite

# Names of suite files, besides ``mltest*.json``.
SUFFIXES = (".mltest.json", ".mltest.yaml", ".mltest.yml")

# The widest cell of an execution table, as in the command's text report.
MAX_CELL = 64
# The most failing rows printed (the report carries at most 20).
MAX_ROWS = 20


def is_suite_file(name):
    """Whether a file named `name` is collected as a suite."""
    return name.endswith(SUFFIXES) or (name.startswith("mltest") and name.endswith(".json"))


class MltestWarning(UserWarning):
    """A test of severity ``warn`` failed: reported, and the item still passes."""


_RUNS = pytest.StashKey[dict]()


def pytest_addoption(parser):
    group = parser.getgroup("mltest", "mltest suite files (mltest*.json, *.mltest.json, *.mltest.yaml)")
    group.addoption(
        "--mltest-data",
        metavar="CSV",
        default=None,
        help="run every suite on CSV instead of the data it names (mltest run --data)",
    )
    group.addoption(
        "--mltest-command",
        metavar="PATH",
        default=None,
        help="the mltest command to run (default: the one installed beside this Python, then PATH)",
    )


def pytest_configure(config):
    config.stash[_RUNS] = {}


def pytest_collect_file(file_path, parent):
    if is_suite_file(file_path.name):
        return SuiteFile.from_parent(parent, path=file_path)
    return None


def _report(config, path):
    """The suite's report, run on the first call for (path, data) in this session."""
    data = config.getoption("mltest_data")
    if data is not None:
        data = Path(config.invocation_params.dir, data)
    key = (str(path), str(data))
    runs = config.stash[_RUNS]
    if key not in runs:
        try:
            command = config.getoption("mltest_command") or find_command()
            if command is None:
                raise MltestRunError(
                    "the mltest command was not found beside this Python nor on PATH; "
                    "install it (pip install mltest) or give --mltest-command PATH"
                )
            runs[key] = run_suite(command, path, data)
        except MltestRunError as err:
            runs[key] = err
    found = runs[key]
    if isinstance(found, MltestRunError):
        raise found
    return found


class SuiteFile(pytest.File):
    """A suite file: its items are the suite's tests, in the suite's order."""

    def collect(self):
        report = _report(self.config, self.path)
        for test in report["tests"]:
            yield SuiteTest.from_parent(self, name=str(test.get("id")), test=test)

    def repr_failure(self, excinfo):
        if excinfo.errisinstance(MltestRunError):
            # pytest's heading names the file; mltest's message names it again, with the field.
            return str(excinfo.value)
        return super().repr_failure(excinfo)


class SuiteTestFailed(Exception):
    """The test's status is ``fail`` or ``error``."""


class SuiteTest(pytest.Item):
    """One test of a suite, named by its id, with its entry of the report."""

    def __init__(self, *, test, **kwargs):
        super().__init__(**kwargs)
        self.test = test
        # In JUnit XML as the testcase's properties: a warning is a pass there.
        for field in ("kind", "status"):
            if field in test:
                self.user_properties.append((f"mltest_{field}", str(test[field])))

    def runtest(self):
        status = self.test.get("status")
        message = printable(str(self.test.get("message", "")))
        if status == "pass":
            return
        if status == "warn":
            path, line, _ = self.reportinfo()
            # Shown as pytest shows test files: relative to where pytest was started.
            try:
                path = os.path.relpath(path, self.config.invocation_params.dir)
            except ValueError:  # another drive, on Windows
                path = os.fspath(path)
            warnings.warn_explicit(f"{self.name}: {message}", MltestWarning, path, (line or 0) + 1)
            return
        if status == "skipped":
            # Reported at the test in the suite file, not at this line of the plugin.
            line = self.reportinfo()[1]
            try:
                skipped = pytest.skip.Exception(message, _use_item_location=line is not None)
            except TypeError:  # a pytest without the flag
                skipped = pytest.skip.Exception(message)
            raise skipped
        raise SuiteTestFailed(message)

    def repr_failure(self, excinfo):
        if excinfo.errisinstance(SuiteTestFailed):
            return FailureText(self.test)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, _line_of(self.path, self.name), f"{self.name} ({self.test.get('kind')})"


def _line_of(path, test_id):
    """The 0-based line where the suite gives the test's id (`"id": "x"` or `id: x`), so a
    report points at the test in the file; None when it cannot be told."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    key = r"""(?:^|[\s{,-])["']?id["']?\s*:\s*"""
    given = re.compile(key + r"""(["']?)""" + re.escape(test_id) + r"""\1\s*(?:$|[,}#])""")
    return next((number for number, line in enumerate(lines) if given.search(line)), None)


class FailureText:
    """The failure of a test as pytest prints it and writes it in JUnit XML: the explanation
    (also the one line of pytest's summary and the XML's ``message``), the execution table
    Step | Action | Evaluation | Result, and a sample of the failing rows."""

    def __init__(self, test):
        message = printable(str(test.get("message", "")))
        if test.get("status") == "error":
            message = f"could not be evaluated: {message}"
        lines = [message, ""]
        steps = test.get("steps") or []
        rows = [
            [str(s.get("step", "")), cut(s.get("action")), cut(s.get("evaluation")), cut(s.get("result"))]
            for s in steps
        ]
        lines += grid(["Step", "Action", "Evaluation", "Result"], rows)
        failures = test.get("failures") or {}
        sample = (failures.get("sample") or [])[:MAX_ROWS]
        if failures.get("count"):
            lines += ["", f"Failing rows: {failures['count']} (first {len(sample)} shown)"]
            width = max((len(str(c.get("line", ""))) for c in sample), default=1)
            for cell in sample:
                value = cell.get("value", "")
                shown = f'"{printable(str(value))}"' if value != "" else "(missing)"
                line = str(cell.get("line", "")).ljust(width)
                lines.append(f"  line {line}  {printable(str(cell.get('column', '')))} = {shown}")
        self.text = "\n".join(lines)
        self.reprcrash = _Crash(message)

    def toterminal(self, tw):
        for line in self.text.splitlines():
            tw.line(line)

    def __str__(self):
        return self.text


class _Crash:
    """What pytest's one-line summary and JUnit's ``message`` read of a failure."""

    def __init__(self, message):
        self.message = message
        self.path = None
        self.lineno = None


def grid(header, rows):
    """A Markdown-style table, each column padded to its widest cell, as the command prints."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]

    def line(cells):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"

    return [line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]


def cut(text):
    """A cell on one line, cut to MAX_CELL characters with `…`."""
    text = printable("" if text is None else str(text))
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def printable(text):
    """`text` on one line, safe for a terminal or a CI log: the report's strings may quote
    the data, and a control character there could colour the log, move the cursor or start a
    CI command. Escaped as the command's text report escapes them (`\\n`, `\\u{1b}`)."""
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return _UNSAFE.sub(lambda m: named.get(m.group(), f"\\u{{{ord(m.group()):x}}}"), text)
