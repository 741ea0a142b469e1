"""`trede incident`: the cases the worker put aside because a step failed; retry or cancel them.

As the beheer page /beheer/incidenten, through the same use cases (casework/incidents.py): the
actor is a beheerder of the gemeente (``--actor``), and every incident shown or acted on is logged.
"""
from __future__ import annotations

import click

from casework import incidents
from casework.accounts.admin import FormErrors
from casework.context import Channel, Context
from casework.errors import NotAllowed
from casework.people import acting_user
from cli._common import case_engine, database_option, fail, settings
from engine.errors import EngineError
from engine.scheduling.incidents import Incident

_ACTOR = click.option("--actor", required=True, help="Uw gebruikersnaam in trede (beheerder).")


@click.group("incident")
def command() -> None:
    """Incidenten: zaken waarvan een stap op de achtergrond faalde."""


def _context(actor: str, database_url: str | None, name: str) -> Context:
    engine = case_engine(database_url)
    try:
        user = acting_user(engine.db, actor)
    except LookupError as exc:
        fail(str(exc))
    return Context(engine, user, Channel("cli", name=f"trede incident {name}"), settings().pseudonymizer())


def _line(incident: Incident) -> str:
    when = incident.last_at.strftime("%Y-%m-%d %H:%M")
    return (f"{incident.id}\t{incident.case_number}\t{incident.element or incident.process_id}\t"
            f"{incident.occurrences}x\t{when}\t{incident.error}")


@command.command("list")
@_ACTOR
@database_option
def list_(actor: str, database_url: str | None) -> None:
    """De open incidenten van uw gemeente (nummer, zaak, element, hoe vaak, laatst, fout)."""
    ctx = _context(actor, database_url, "list")
    try:
        shown = incidents.list_incidents(ctx)
    except NotAllowed as exc:
        fail(str(exc))
    if not shown:
        click.echo("geen open incidenten")
    for incident in shown:
        click.echo(_line(incident))


@command.command("retry")
@click.argument("incident_id", type=int)
@_ACTOR
@database_option
def retry(incident_id: int, actor: str, database_url: str | None) -> None:
    """Probeer de stap opnieuw (na een herstel, zoals een migratie naar een verbeterde versie)."""
    ctx = _context(actor, database_url, "retry")
    try:
        incident = incidents.retry_incident(ctx, incident_id)
    except (EngineError, NotAllowed) as exc:
        fail(str(exc))
    if incident.status == "open":  # failed again: still an incident, one occurrence more
        fail(f"incident {incident.id} ({incident.case_number}) mislukte opnieuw "
             f"({incident.occurrences} keer): {incident.error}")
    click.echo(f"incident {incident.id} ({incident.case_number}): opnieuw geprobeerd, de zaak loopt weer")


@command.command("cancel")
@click.argument("incident_id", type=int)
@click.option("--reden", required=True, help="Waarom het proces wordt beëindigd (komt in de zaakhistorie).")
@_ACTOR
@database_option
def cancel(incident_id: int, reden: str, actor: str, database_url: str | None) -> None:
    """Beëindig het proces van het incident, met een reden."""
    ctx = _context(actor, database_url, "cancel")
    try:
        incident = incidents.cancel_incident(ctx, incident_id, reden)
    except (EngineError, NotAllowed, FormErrors) as exc:
        fail(str(exc))
    click.echo(f"incident {incident.id} ({incident.case_number}): proces beëindigd")
