"""`trede message send|dead|replay`: messages from other systems, by hand or from scripts."""
from __future__ import annotations

import json
import sys

import click

from cli._common import case_engine, database_option, fail
from engine.errors import EngineError
from engine.scheduling import inbox
from processes.bsn import check_bsn, normalize_bsn


@click.group("message")
def command() -> None:
    """Berichten (bijvoorbeeld 'UWV advies beschut werk ontvangen')."""


@command.command("send")
@click.argument("name")
@click.option("--gemeente", required=True)
@click.option("--case", "case_number", help="Zaaknummer als correlatiesleutel.")
@click.option("--bsn", help="BSN als correlatiesleutel (wordt nergens gelogd).")
@click.option("--payload", default="{}", help="JSON-object met de inhoud van het bericht.")
@click.option("--key", "idempotency_key", help="Idempotentiesleutel: twee keer dezelfde = één effect.")
@database_option
def send(name: str, gemeente: str, case_number: str | None, bsn: str | None, payload: str,
         idempotency_key: str | None, database_url: str | None) -> None:
    """Lever een bericht af bij de zaak die erop wacht."""
    if bool(case_number) == bool(bsn):
        fail("geef --case of --bsn (één van beide)")
    if bsn and check_bsn(bsn):
        fail(f"--bsn ongeldig: {check_bsn(bsn)}")
    try:
        body = json.loads(payload)
    except ValueError as exc:
        fail(f"--payload is geen geldige JSON: {exc}")
    if not isinstance(body, dict):
        fail("--payload moet een JSON-object zijn")
    correlation = {"case_number": case_number} if case_number else {"bsn": normalize_bsn(bsn)}
    try:
        receipt = inbox.receive(case_engine(database_url), name, gemeente, correlation, body,
                                idempotency_key, actor="cli")
    except EngineError as exc:
        fail(str(exc))
    if receipt.status == "dead":
        click.echo(f"niet afgeleverd (bewaard als onbestelbaar bericht {receipt.inbox_id}): {receipt.reason}",
                   err=True)
        sys.exit(1)
    extra = " (herhaling: geen nieuw effect)" if receipt.duplicate else ""
    click.echo(f"afgeleverd bij {receipt.delivered} procesinstantie(s){extra}")


@command.command("dead")
@click.option("--gemeente", required=True)
@database_option
def dead(gemeente: str, database_url: str | None) -> None:
    """Toon de onbestelbare berichten."""
    for letter in inbox.dead_letters(case_engine(database_url), gemeente):
        click.echo(f"{letter['id']}\t{letter['received_at']}\t{letter['name']}\t{letter['reason']}")


@command.command("replay")
@click.argument("message_id", type=int)
@click.option("--gemeente", required=True)
@database_option
def replay(message_id: int, gemeente: str, database_url: str | None) -> None:
    """Lever een onbestelbaar bericht opnieuw af."""
    try:
        receipt = inbox.replay(case_engine(database_url), message_id, gemeente, actor="cli")
    except EngineError as exc:
        fail(str(exc))
    click.echo(f"afgeleverd bij {receipt.delivered} procesinstantie(s)")
