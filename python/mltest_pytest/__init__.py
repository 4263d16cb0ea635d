"""mltest's pytest plugin (PRODUCT.md §13): suite files run as pytest tests.

The `mltest` wheel installs the `mltest` command and this package, which pytest loads through
its ``pytest11`` entry point. pytest then collects files named ``mltest*.json``,
``*.mltest.json`` or ``*.mltest.yaml`` (``.yml`` too) and runs each once through the command
(``mltest run FILE --format json``); every test of the suite becomes one pytest item named by
its id, which passes, fails, warns or skips as the test's status says. ``--mltest-data CSV``
runs the suites on another file (the command's ``--data``).

The engine is the command, not Python: :mod:`mltest_pytest.command` finds and runs it,
:mod:`mltest_pytest.plugin` turns its JSON report into pytest's nodes and failure text.
"""

from .command import MltestRunError, find_command, run_suite

__all__ = ["MltestRunError", "find_command", "run_suite"]
