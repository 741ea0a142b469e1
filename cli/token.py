"""`trede token create|list|revoke`: API tokens per gemeente, scoped to what a system may do."""
from __future__ import annotations

from datetime import timedelta

import click

from casework.accounts.api_tokens import MAX_DAYS, SCOPES, issue, revoke, tokens
from cli._common import case_engine, database_option, fail, settings


@click.group("token")
def command() -> None:
    """API-tokens voor andere systemen."""


@command.command("create")
@click.option("--name", required=True, help="Naam van het systeem dat het token gebruikt.")
@click.option("--gemeente", required=True)
@click.option("--scope", "scopes", multiple=True, required=True,
              type=click.Choice(sorted(SCOPES)), help="Herhaal voor meer scopes.")
@click.option("--days", type=click.IntRange(1, MAX_DAYS), default=None,
              help="Geldigheid in dagen (standaard TREDE_API_TOKEN_DAYS, anders 90).")
@database_option
def create(name: str, gemeente: str, scopes: tuple[str, ...], days: int | None,
           database_url: str | None) -> None:
    """Geef een token uit; het wordt één keer getoond."""
    engine = case_engine(database_url)
    now = engine.clock.now()
    days = days or settings().api_token_days
    try:
        token = issue(engine.db, name, gemeente, set(scopes), now, days=days)
    except ValueError as exc:  # TREDE_API_TOKEN_DAYS beyond a year
        fail(str(exc))
    click.echo(token)
    click.echo(f"geldig tot {(now + timedelta(days=days)).date().isoformat()}", err=True)


@command.command("list")
@click.option("--gemeente", default=None)
@database_option
def list_command(gemeente: str | None, database_url: str | None) -> None:
    """Toon de tokens: naam, gemeente, geldig tot, laatst gebruikt, scopes (nooit het token zelf)."""
    engine = case_engine(database_url)
    now = engine.clock.now()
    for t in tokens(engine.db, gemeente):
        if t.revoked_at is not None:
            state = f"ingetrokken {t.revoked_at.date().isoformat()}"
        elif t.expires_at is None or t.expires_at <= now:
            state = "verlopen"
        else:
            state = "actief"
        until = t.expires_at.date().isoformat() if t.expires_at else "-"
        used = t.last_used_at.strftime("%Y-%m-%d %H:00") if t.last_used_at else "nooit"
        click.echo(f"{t.name}\t{t.gemeente}\t{state}\tgeldig tot {until}\tlaatst gebruikt {used}\t"
                   f"{' '.join(t.scopes)}")


@command.command("revoke")
@click.option("--name", required=True)
@database_option
def revoke_command(name: str, database_url: str | None) -> None:
    """Trek alle tokens met deze naam in."""
    engine = case_engine(database_url)
    if revoke(engine.db, name, engine.clock.now()) == 0:
        fail(f"geen actief token met naam {name!r}")
    click.echo(f"ingetrokken: {name}")
