"""What every command shares: the settings, the engine, and user errors as one line with exit 2."""
from __future__ import annotations

import sys
from typing import NoReturn

import click

import cli.schema  # noqa: F401 - every package's tables and retention hooks, for every command
from casework.settings import Settings, SettingsError
from engine.service import CaseEngine
from processes.wiring import build_case_engine


def fail(message: str, code: int = 2) -> NoReturn:
    click.echo(f"trede: {message}", err=True)
    sys.exit(code)


def load_settings() -> Settings:
    """The environment's settings; a bad value ends the command with one line (exit 2)."""
    try:
        return Settings.from_environ()
    except SettingsError as exc:
        fail(str(exc))


def settings() -> Settings:
    """The settings of this run: read once by the `trede` group (cli/main.py) and kept on its context."""
    ctx = click.get_current_context(silent=True)
    found = ctx.find_object(Settings) if ctx is not None else None
    return found if found is not None else load_settings()


def case_engine(database_url: str | None = None, using: Settings | None = None) -> CaseEngine:
    """The engine on ``database_url`` (--database-url), else the settings' database, with their keys."""
    using = using or settings()
    return build_case_engine(database_url or using.database_url, sealer=using.sealer(),
                             data_keys=using.data_key_source(), max_state_bytes=using.max_state_kb * 1024)


database_option = click.option(
    "--database-url", default=None,
    help="Database (default: TREDE_DATABASE_URL, else instance/trede.db).")
