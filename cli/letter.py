"""`trede letter list|check|send`: a beschikking's review step (issue 18 item 9), as the letter page.

Through the same use cases (casework/letters.py): concept -> gecontroleerd by someone other than the
person who decided where the gemeente asks for four eyes, then verzonden to the addressee's address;
each step a chained event of the case with its processing-log line. The actor is a named, active
trede user (``--actor``); a refusal is one Dutch line and exit 2.
"""
from __future__ import annotations

import click

from casework import letters
from casework.accounts.admin import FormErrors
from casework.cases import visible_case
from casework.errors import NotAllowed
from cli._common import database_option, fail
from cli.note import context
from engine.errors import EngineError, NotFound
from processes import beschikking


def _refused(exc: Exception) -> str:
    text = "; ".join(exc.errors.values()) if isinstance(exc, FormErrors) else str(exc)
    return text[:1].upper() + text[1:]


@click.group("letter")
def command() -> None:
    """Brieven van beschikkingen: controleren en verzenden."""


@command.command("list")
@click.argument("zaaknummer")
@click.option("--actor", required=True, help="Uw gebruikersnaam in trede.")
@database_option
def list_letters(zaaknummer: str, actor: str, database_url: str | None) -> None:
    """De brieven van de zaak met hun stap (concept, gecontroleerd, verzonden, ingetrokken)."""
    ctx = context(actor, database_url, "trede letter list")
    try:
        case_id = ctx.engine.case_id_of(zaaknummer.strip())
        with ctx.engine.reader.connect() as conn:
            visible_case(conn, ctx.user, case_id)
        found, _ = beschikking.BezwaarService(ctx.engine).list(case_id)
    except NotFound:  # the number typed; the same words for no such case and another gemeente's
        fail(f"Zaak {zaaknummer.strip()} niet gevonden")
    except EngineError as exc:
        fail(_refused(exc))
    for letter in found:
        state = beschikking.letter_state(letter)
        click.echo(f"{letter.id}\t{letter.onderwerp}: {letter.besluit}\t{state}")


@command.command("check")
@click.argument("brief", type=int)
@click.option("--actor", required=True, help="Uw gebruikersnaam in trede.")
@database_option
def check(brief: int, actor: str, database_url: str | None) -> None:
    """Markeer de brief (het nummer uit `trede letter list`) als gecontroleerd."""
    ctx = context(actor, database_url, "trede letter check")
    try:
        checked = letters.check_letter(ctx, letters.case_of_letter(ctx, brief), brief)
    except (EngineError, NotAllowed, FormErrors) as exc:
        fail(_refused(exc))
    click.echo(f"brief {checked.id} gecontroleerd door {actor}; hij kan worden verzonden")


@command.command("send")
@click.argument("brief", type=int)
@click.option("--straat", required=True, help="Straat en huisnummer van de geadresseerde.")
@click.option("--postcode", required=True, help="Postcode, bijvoorbeeld 4501 AB.")
@click.option("--woonplaats", required=True, help="Woonplaats van de geadresseerde.")
@click.option("--actor", required=True, help="Uw gebruikersnaam in trede.")
@database_option
def send(brief: int, straat: str, postcode: str, woonplaats: str, actor: str,
         database_url: str | None) -> None:
    """Verzend de gecontroleerde brief; hij krijgt de datum van vandaag (Awb 3:41, 6:8)."""
    ctx = context(actor, database_url, "trede letter send")
    try:
        sent = letters.send_letter(ctx, letters.case_of_letter(ctx, brief), brief,
                                   {"straat": straat, "postcode": postcode, "woonplaats": woonplaats})
    except (EngineError, NotAllowed, FormErrors) as exc:
        fail(_refused(exc))
    assert sent.verzonden_op is not None and sent.bezwaar_einde is not None
    click.echo(f"brief {sent.id} verzonden op {sent.verzonden_op:%d-%m-%Y}; de bezwaartermijn loopt tot en "
               f"met {sent.bezwaar_einde:%d-%m-%Y}")
