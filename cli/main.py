"""Entry point of the `trede` console script.

Every module in this package that defines a module-level ``command`` (a click command or group)
is registered automatically, so adding a command never means editing a shared list.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys

import click

import cli


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def trede() -> None:
    """trede: BPMN/DMN-procesorkestratie voor re-integratie onder de Participatiewet."""


def _register_commands() -> None:
    for info in sorted(pkgutil.iter_modules(cli.__path__), key=lambda m: m.name):
        if info.name in {"main"} or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"cli.{info.name}")
        command = getattr(module, "command", None)
        if isinstance(command, click.Command):
            trede.add_command(command)


_register_commands()


def main() -> None:
    """Run the CLI; user errors exit 2 with one line, never a traceback."""
    try:
        trede(standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
