"""The wheel test's measurements (the wheel's size, the time `pip install` took), printed at
the end of the run: the README quotes them."""

MEASURED = {}


def pytest_terminal_summary(terminalreporter):
    if MEASURED:
        terminalreporter.section("the wheel")
        for name, value in MEASURED.items():
            terminalreporter.line(f"{name}: {value}")
