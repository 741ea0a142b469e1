"""`trede retention`: close cases with their result, list what is due, destroy with four eyes."""
from __future__ import annotations

import click

from casework import closing, destruction
from casework.accounts.admin import FormErrors
from casework.errors import NotAllowed
from casework.people import acting_user
from cli._common import case_engine, database_option, fail
from engine.errors import EngineError
from processes.retention import RESULTATEN


@click.group("retention")
def command() -> None:
    """Bewaartermijnen en vernietiging (selectielijst)."""


@command.command("close")
@click.argument("case_number")
@click.option("--resultaat", required=True, type=click.Choice(sorted(RESULTATEN)))
@click.option("--actor", required=True, help="Uw gebruikersnaam in trede (de regels van uw rol gelden).")
@database_option
def close(case_number: str, resultaat: str, actor: str, database_url: str | None) -> None:
    """Sluit een zaak af met haar resultaat (dat de bewaartermijn bepaalt)."""
    engine = case_engine(database_url)
    try:
        user = acting_user(engine.db, actor)
        rule = closing.close_case(engine, user, engine.case_id_of(case_number), resultaat)
    except (EngineError, LookupError, NotAllowed, FormErrors) as exc:
        fail(str(exc))
    click.echo(f"{case_number} afgesloten: {rule.omschrijving} (selectielijst {rule.selectielijstklasse}, "
               f"bewaren {rule.bewaartermijn})")


@command.command("due")
@click.option("--gemeente", required=True)
@database_option
def due(gemeente: str, database_url: str | None) -> None:
    """Zaken waarvan de bewaartermijn verstreken is."""
    for row in case_engine(database_url).due_for_destruction(gemeente):
        click.echo(f"{row['case_number']}\t{row['resultaat']}\t{row['archiefactiedatum']}")


@command.command("propose")
@click.argument("case_numbers", nargs=-1, required=True)
@click.option("--gemeente", required=True)
@click.option("--actor", required=True, help="Uw gebruikersnaam in trede (de regels van uw rol gelden).")
@database_option
def propose(case_numbers: tuple[str, ...], gemeente: str, actor: str, database_url: str | None) -> None:
    """Stel een vernietigingslijst op."""
    engine = case_engine(database_url)
    try:
        list_id = destruction.propose(engine, acting_user(engine.db, actor, gemeente), list(case_numbers))
    except (EngineError, LookupError, NotAllowed, FormErrors) as exc:
        fail(str(exc))
    click.echo(f"vernietigingslijst {list_id} opgesteld ({len(case_numbers)} zaken); "
               "goedkeuren door een ander")


@command.command("approve")
@click.argument("list_id", type=int)
@click.option("--gemeente", required=True)
@click.option("--actor", required=True, help="Uw gebruikersnaam in trede (de regels van uw rol gelden).")
@database_option
def approve(list_id: int, gemeente: str, actor: str, database_url: str | None) -> None:
    """Keur een vernietigingslijst goed: de zaken worden vernietigd."""
    engine = case_engine(database_url)
    try:
        count = destruction.approve(engine, acting_user(engine.db, actor, gemeente), list_id)
    except (EngineError, LookupError, NotAllowed, FormErrors) as exc:
        fail(str(exc))
    click.echo(f"{count} zaken vernietigd (lijst {list_id}); een verslag van de vernietiging blijft bewaard")
