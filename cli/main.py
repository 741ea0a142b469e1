"""Entry point of the `trede` console script.

Every module in this package that defines a module-level ``command`` (a click command or group)
is a command of the same name. Modules are imported only when their command runs (or for
``--help``), so `trede bsn check` does not pay for loading the engine and the database layer.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys

import click

import cli


def _command_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(cli.__path__)
                  if m.name != "main" and not m.name.startswith("_"))


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return _command_modules()

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in _command_modules():
            return None
        command = getattr(importlib.import_module(f"cli.{name}"), "command", None)
        return command if isinstance(command, click.Command) else None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.pass_context
def trede(ctx: click.Context) -> None:
    """trede: BPMN/DMN-procesorkestratie voor re-integratie onder de Participatiewet."""
    from casework import log_privacy
    from cli._common import load_settings

    log_privacy.install()  # BSNs never in logs, also in errors we do not write ourselves

    ctx.obj = load_settings()  # every TREDE_* variable read once; commands find it on the context


def main() -> None:
    """Run the CLI; user errors exit 2 with one line, never a traceback."""
    try:
        trede(standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
