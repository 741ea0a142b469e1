"""`trede note add ZAAKNUMMER --tekst ... --actor U`: a note on a case, as the dossier page adds it.

Through the same use case (casework/notes.py): who may write notes, the Dutch message, the note
with its ``note_added`` event in the case's chain and the processing-log line, in one transaction.
The actor is a named, active trede user (``--actor``).
"""
from __future__ import annotations

import click

from casework.context import Channel, Context
from casework.errors import NotAllowed
from casework.notes import add_note
from casework.people import acting_user
from cli._common import case_engine, database_option, fail, settings
from engine.errors import EngineError


def context(actor: str, database_url: str | None, name: str) -> Context:
    """The acting user's context on the CLI channel (shared by `trede document`)."""
    engine = case_engine(database_url)
    try:
        user = acting_user(engine.db, actor)
    except LookupError as exc:
        fail(str(exc))
    return Context(engine, user, Channel("cli", name=name), settings().pseudonymizer())


@click.group("note")
def command() -> None:
    """Notities bij een zaak."""


@command.command("add")
@click.argument("zaaknummer")
@click.option("--tekst", required=True, help="De tekst van de notitie (kan gezondheidsgegevens bevatten).")
@click.option("--actor", required=True, help="Uw gebruikersnaam in trede.")
@database_option
def add(zaaknummer: str, tekst: str, actor: str, database_url: str | None) -> None:
    """Voeg een notitie toe aan de zaak (met haar gebeurtenis in de zaakhistorie)."""
    ctx = context(actor, database_url, "trede note add")
    try:
        note_id = add_note(ctx, None, ctx.engine.case_id_of(zaaknummer.strip()), tekst)
    except (EngineError, NotAllowed) as exc:
        fail(str(exc))
    click.echo(f"notitie {note_id} toegevoegd aan zaak {zaaknummer.strip()}")
