"""`trede retention`: close cases with their result, list what is due, destroy with four eyes."""
from __future__ import annotations

import click

from cli._common import case_engine, database_option, fail
from engine.errors import EngineError
from processes.retention import RESULTATEN, retention_of


@click.group("retention")
def command() -> None:
    """Bewaartermijnen en vernietiging (selectielijst)."""


@command.command("close")
@click.argument("case_number")
@click.option("--resultaat", required=True, type=click.Choice(sorted(RESULTATEN)))
@click.option("--actor", required=True)
@database_option
def close(case_number: str, resultaat: str, actor: str, database_url: str | None) -> None:
    """Sluit een zaak af met haar resultaat (dat de bewaartermijn bepaalt)."""
    engine = case_engine(database_url)
    rule = retention_of(resultaat)
    try:
        case_id = engine.case_id_of(case_number)
        engine.close_case(case_id, resultaat, rule.bewaartermijn, actor)
    except EngineError as exc:
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
@click.option("--actor", required=True)
@database_option
def propose(case_numbers: tuple[str, ...], gemeente: str, actor: str, database_url: str | None) -> None:
    """Stel een vernietigingslijst op."""
    try:
        list_id = case_engine(database_url).create_destruction_list(gemeente, list(case_numbers), actor)
    except EngineError as exc:
        fail(str(exc))
    click.echo(f"vernietigingslijst {list_id} opgesteld ({len(case_numbers)} zaken); "
               "goedkeuren door een ander")


@command.command("approve")
@click.argument("list_id", type=int)
@click.option("--gemeente", required=True)
@click.option("--actor", required=True)
@database_option
def approve(list_id: int, gemeente: str, actor: str, database_url: str | None) -> None:
    """Keur een vernietigingslijst goed: de zaken worden vernietigd."""
    try:
        count = case_engine(database_url).approve_destruction_list(list_id, gemeente, actor)
    except EngineError as exc:
        fail(str(exc))
    click.echo(f"{count} zaken vernietigd (lijst {list_id}); een verslag van de vernietiging blijft bewaard")
