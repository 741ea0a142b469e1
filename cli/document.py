"""`trede document add ZAAKNUMMER BESTAND --soort S --actor U`: a document for a case, as the case
file's upload page adds it.

Through the same use case (casework/documents.py): who may upload, which kinds, the bytes checked
(PDF, PNG, JPEG or plain text; at most 10 MB), the row with its ``document_added`` event and the
processing-log line, in one transaction. The actor is a named, active trede user (``--actor``).
"""
from __future__ import annotations

from pathlib import Path

import click

from casework.documents import MAX_BYTES, UPLOAD_SOORTEN, upload_document
from casework.errors import NotAllowed
from cli._common import database_option, fail
from cli.note import context
from engine.errors import EngineError


@click.group("document")
def command() -> None:
    """Documenten bij een zaak."""


@command.command("add")
@click.argument("zaaknummer")
@click.argument("bestand", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--soort", required=True, type=click.Choice(sorted(UPLOAD_SOORTEN)),
              help="Soort document.")
@click.option("--actor", required=True, help="Uw gebruikersnaam in trede.")
@database_option
def add(zaaknummer: str, bestand: Path, soort: str, actor: str, database_url: str | None) -> None:
    """Voeg een document toe aan de zaak (met zijn gebeurtenis in de zaakhistorie)."""
    try:
        if bestand.stat().st_size > MAX_BYTES:
            fail(f"bestand: het bestand is groter dan {MAX_BYTES // (1024 * 1024)} MB")
        content = bestand.read_bytes()
    except OSError:
        fail(f"bestand: {bestand} is niet te lezen")
    ctx = context(actor, database_url, "trede document add")
    try:
        doc = upload_document(ctx, ctx.engine.case_id_of(zaaknummer.strip()), soort, bestand.name, content)
    except (EngineError, NotAllowed) as exc:
        fail(str(exc))
    click.echo(f"document {doc.id} ({doc.filename}, {doc.content_type}, {doc.size} bytes, "
               f"sha256 {doc.sha256}) toegevoegd aan zaak {zaaknummer.strip()}")
