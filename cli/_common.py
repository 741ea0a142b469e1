"""What every command shares: the engine, and user errors as one line with exit 2."""
from __future__ import annotations

import sys
from typing import NoReturn

import click

import cli.schema  # noqa: F401 - every package's tables and retention hooks, for every command
from engine.service import CaseEngine
from processes.wiring import build_case_engine


def fail(message: str, code: int = 2) -> NoReturn:
    click.echo(f"trede: {message}", err=True)
    sys.exit(code)


def case_engine(database_url: str | None = None) -> CaseEngine:
    return build_case_engine(database_url)


database_option = click.option(
    "--database-url", envvar="TREDE_DATABASE_URL", default=None,
    help="Database (default: TREDE_DATABASE_URL, else instance/trede.db).")
