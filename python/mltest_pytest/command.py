"""The `mltest` command as the plugin uses it: where it is, and one run of a suite.

The wheel puts the command in the scripts folder of the environment it is installed into,
beside the interpreter's own scripts (``.venv/bin/mltest``); a pytest run from that
environment finds it there even when the environment is not on ``PATH`` (``.venv/bin/pytest``
called by its path, as CI scripts do). Only then is ``PATH`` searched.
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig

_NAME = "mltest.exe" if os.name == "nt" else "mltest"


class MltestRunError(Exception):
    """A suite that could not be run: the command said why on stderr (exit status 2), or it
    could not be found or started, or its report could not be read."""


def find_command():
    """The path of the `mltest` command, or None: the environment's scripts folder (where
    pip put the wheel's command), the interpreter's folder, the user scheme's scripts folder
    (``pip install --user``), then ``PATH``."""
    folders = [sysconfig.get_path("scripts"), os.path.dirname(sys.executable)]
    try:
        folders.append(sysconfig.get_path("scripts", sysconfig.get_preferred_scheme("user")))
    except (AttributeError, KeyError):  # Python < 3.10, or no user scheme
        pass
    for folder in folders:
        if not folder:
            continue
        candidate = os.path.join(folder, _NAME)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("mltest")


def run_suite(command, suite, data=None):
    """Runs the suite file `suite` (``mltest run SUITE --format json``, with ``--data DATA``
    when given) and returns its JSON report as a dict. A verdict of fail (exit status 1) is a
    report like any other; a run that could not happen raises :class:`MltestRunError` with
    the command's message."""
    args = [command, "run", os.fspath(suite), "--format", "json"]
    if data is not None:
        args += ["--data", os.fspath(data)]
    try:
        done = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    except OSError as err:
        raise MltestRunError(f"cannot start {command}: {err}") from err
    stderr = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode not in (0, 1):
        said = stderr or "(nothing on stderr)"
        raise MltestRunError(f"mltest could not run the suite (exit status {done.returncode}):\n{said}")
    try:
        report = json.loads(done.stdout)
    except ValueError as err:
        raise MltestRunError(f"mltest's report is not JSON ({err}); stderr:\n{stderr}") from err
    if not isinstance(report, dict) or not isinstance(report.get("tests"), list):
        raise MltestRunError("mltest's report has no `tests` list")
    return report
