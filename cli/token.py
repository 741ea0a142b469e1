"""`trede token create|revoke`: API tokens per gemeente, scoped to what a system may do."""
from __future__ import annotations

import click

from cli._common import case_engine, database_option, fail
from web.api.tokens import SCOPES, issue, revoke


@click.group("token")
def command() -> None:
    """API-tokens voor andere systemen."""


@command.command("create")
@click.option("--name", required=True, help="Naam van het systeem dat het token gebruikt.")
@click.option("--gemeente", required=True)
@click.option("--scope", "scopes", multiple=True, required=True,
              type=click.Choice(sorted(SCOPES)), help="Herhaal voor meer scopes.")
@database_option
def create(name: str, gemeente: str, scopes: tuple[str, ...], database_url: str | None) -> None:
    """Geef een token uit; het wordt één keer getoond."""
    engine = case_engine(database_url)
    click.echo(issue(engine.db, name, gemeente, set(scopes), engine.clock.now()))


@command.command("revoke")
@click.option("--name", required=True)
@database_option
def revoke_command(name: str, database_url: str | None) -> None:
    """Trek alle tokens met deze naam in."""
    engine = case_engine(database_url)
    if revoke(engine.db, name, engine.clock.now()) == 0:
        fail(f"geen actief token met naam {name!r}")
    click.echo(f"ingetrokken: {name}")
