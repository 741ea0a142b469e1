"""`trede db upgrade`: bring the database schema to the newest version, and the system processes.

The processes trede itself starts (deadline escalation, a new decision after a gegrond bezwaar)
are deployed with every upgrade: the same bundle twice is one version, a changed one a new version.
"""
from __future__ import annotations

import click

from cli._common import case_engine, database_option, fail, settings
from cli.schema import upgrade
from engine.storage.db import database_url as resolve_url
from processes import system_models


@click.group("db")
def command() -> None:
    """Databasebeheer."""


@command.command("upgrade")
@database_option
def upgrade_command(database_url: str | None) -> None:
    """Migreer de database naar de nieuwste versie (Alembic)."""
    url = resolve_url(database_url or settings().database_url)
    try:
        upgrade(url)
    except Exception as exc:  # noqa: BLE001 - report, never a traceback
        fail(f"migratie mislukt: {str(exc).splitlines()[0]}")
    click.echo(f"database bijgewerkt ({url.split('://')[0]})")
    try:
        click.echo(system_models.load(case_engine(url)))
    except Exception as exc:  # noqa: BLE001 - report, never a traceback
        fail(f"systeemprocessen niet uitgerold: {str(exc).splitlines()[0]}")
