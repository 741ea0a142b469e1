"""`trede deploy PATH... --actor NAME` asks for a deploy; `trede deploy --approve N --actor NAME` approves it.

The same four eyes as the designer's pages (casework/designer/approvals.py): a bundle reaches running
cases only when a second procesontwerper or beheerder of the gemeente approves it, after its
validation and model tests pass. The actor is a trede account, never free text. The processes trede
starts itself come with a release and are deployed by `trede db upgrade`.
"""
from __future__ import annotations

from collections.abc import Sequence

import click

from casework.designer import approvals
from casework.people import User, acting_user
from cli._common import case_engine, database_option, fail
from engine.errors import EngineError
from engine.models.camunda import translate_bundle
from engine.models.safe_xml import parse_safe_xml
from engine.models.validation import BundleInvalid, Problem, read_model_files
from engine.service import CaseEngine


@click.command("deploy")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--actor", required=True,
              help="Uw gebruikersnaam in trede (procesontwerper of beheerder); "
                   "de uitrol geldt voor uw gemeente.")
@click.option("--approve", "approve_id", type=int, default=None,
              help="Keur uitrolverzoek N goed (vier ogen: niet uw eigen verzoek).")
@click.option("--note", default=None, help="Toelichting bij het verzoek, voor wie het beoordeelt.")
@database_option
def command(paths: tuple[str, ...], actor: str, approve_id: int | None, note: str | None,
            database_url: str | None) -> None:
    """Vraag een uitrol van procesmodellen aan, of keur er een goed (vier ogen)."""
    if approve_id is not None and paths:
        fail("geef bij --approve geen bestanden op: u keurt de bundel van het verzoek goed")
    if approve_id is None and not paths:
        fail("geef de bestanden of de map van de bundel op, of --approve N")
    engine = case_engine(database_url)
    try:
        user = acting_user(engine.db, actor)
        if approve_id is not None:
            _approve(engine, approve_id, user)
        else:
            _submit(engine, paths, user, note)
    except LookupError as exc:
        fail(str(exc))
    except EngineError as exc:  # NotAllowed, NotFound, InvalidInput: one line
        fail(str(exc))


def _submit(engine: CaseEngine, paths: Sequence[str], user: User, note: str | None) -> None:
    try:
        raw = read_model_files(paths)
    except BundleInvalid as exc:
        _problems(exc.problems)
    except OSError as exc:
        fail(f"kan niet lezen: {exc}")
    for translated in translate_bundle(raw, parse_safe_xml).notes:  # a line per Camunda translation
        click.echo(f"{translated} (vertaald)")
    files = {name: content.decode("utf-8") for name, content in raw.items()}
    submitted = approvals.submit(engine.db, user, None, None, files, note)
    if isinstance(submitted, list):
        _problems(submitted)
    request = approvals.get_pending(engine.db, submitted, user.gemeente)
    _changes(engine, request)
    click.echo(f"uitrolverzoek {submitted} ingediend voor gemeente {user.gemeente} ({request.process_id}); "
               "een tweede procesontwerper of beheerder keurt het goed op de ontwerppagina of met: "
               f"trede deploy --approve {submitted} --actor <naam>")


def _approve(engine: CaseEngine, approve_id: int, user: User) -> None:
    _changes(engine, approvals.get_pending(engine.db, approve_id, user.gemeente))
    decision = approvals.approve(engine, approve_id, user)
    if not decision.approved:
        for problem in decision.problems:
            click.echo(problem, err=True)
        fail(decision.message)
    request = approvals.get_pending(engine.db, approve_id, user.gemeente)
    click.echo(f"uitrolverzoek {approve_id} goedgekeurd (ingediend door {request.submitted_by}, akkoord "
               f"{user.username}): {decision.message}")


def _changes(engine: CaseEngine, request: approvals.Pending) -> None:
    """What the request changes against the active version: what the second person approves."""
    lines = approvals.changes(engine.db, request).lines()
    click.echo(f"wijzigingen ten opzichte van de actieve versie ({len(lines)}):")
    for line in lines:
        click.echo(f"  {line}")


def _problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
    fail(f"niet uitgerold: {len(problems)} probleem/problemen")
