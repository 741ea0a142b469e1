"""`trede logboek verify [--gemeente G]`: check the processing log's hash chain and its seal."""
from __future__ import annotations

import sys

import click

from cli._common import case_engine, database_option
from engine.audit import log_chain


@click.group("logboek")
def command() -> None:
    """Het verwerkingenlogboek (Logboek Dataverwerkingen)."""


@command.command("verify")
@click.option("--gemeente", help="Alleen deze gemeente (standaard: alle).")
@database_option
def verify(gemeente: str | None, database_url: str | None) -> None:
    """Controleer per gemeente de hashketen en het zegel van het logboek. Exit 1 bij een afwijking."""
    engine = case_engine(database_url)
    with engine.reader.connect() as conn:  # a snapshot: steps go on meanwhile
        verdicts = ([log_chain.verify(conn, gemeente, engine.sealer)] if gemeente
                    else log_chain.verify_all(conn, engine.sealer))
    if not verdicts:
        click.echo("het logboek is leeg")
    bad = 0
    for v in verdicts:
        if v.ok:
            extra = f", {v.destroyed} vernietigd" if v.destroyed else ""
            extra += f", {v.before_chain} van voor de keten" if v.before_chain else ""
            click.echo(f"OK {v.gemeente}: {v.lines} regels{extra}")
        else:
            bad += 1
            click.echo(f"AFWIJKING {v.gemeente}: {v.problems[0]}")
    if bad:
        sys.exit(1)
