"""Prints the DMN TCK figure at the end of any run that ran tests/dmn/test_tck.py."""
from __future__ import annotations

from tests.dmn.tck import figure_lines


def pytest_terminal_summary(terminalreporter):
    for line in figure_lines():
        terminalreporter.write_line(line)
