"""A beschikking's review step (issue 18 item 9): concept -> gecontroleerd -> verzonden.

Only a verzonden letter counts as sent (Awb 3:41) and starts the objection term (Awb 6:8). Each
step is a chained event of the case (processes/beschikking.py ``check`` and ``send``) written in the
same transaction as its processing-log line. Where the gemeente's setting asks for it (four eyes,
casework/letter_templates.py) the letter is checked by someone other than the person who decided.
"""
from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from casework.accounts.admin import FormErrors
from casework.bezwaar import _field_error
from casework.cases import visible_case
from casework.context import Context
from casework.errors import NotAllowed
from casework.letter_templates import letter_settings
from casework.plausibility import check_format
from engine.errors import InvalidInput, NotFound
from engine.storage.db import cases, utcnow
from processes import beschikking
from processes.beschikking import Beschikking
from processes.tables import beschikkingen

LETTER_ROLES = frozenset({"casemanager", "teamleider"})


def _may(ctx: Context) -> None:
    # another system through an API token of the gemeente (casework.people.system_user) may too: it is
    # never the person who decided, so four eyes hold as in the browser
    if not (ctx.user.system or ctx.user.roles & LETTER_ROLES):
        raise NotAllowed("alleen een casemanager of teamleider controleert en verzendt brieven")


def case_of_letter(ctx: Context, beschikking_id: int) -> int:
    """The case of a beschikking of the actor's gemeente (the API and the CLI name a letter by its
    id); NotFound for another gemeente's, as if it did not exist. Who may see the case is checked by
    the use case itself (``visible_case``)."""
    with ctx.engine.reader.connect() as conn:
        found = conn.execute(select(beschikkingen.c.case_id)
                             .join(cases, cases.c.id == beschikkingen.c.case_id)
                             .where(beschikkingen.c.id == beschikking_id,
                                    cases.c.gemeente == ctx.user.gemeente)).scalar()
    if found is None:
        raise NotFound(f"brief {beschikking_id} bestaat niet")
    return int(found)


def check_letter(ctx: Context, case_id: int, beschikking_id: int) -> Beschikking:
    """The letter is read and correct: concept -> gecontroleerd (FormErrors when the actor decided
    it and the gemeente asks for four eyes; ConflictError when it is no longer a concept)."""
    _may(ctx)
    start = utcnow()
    with ctx.engine.transaction() as tx:
        case = visible_case(tx.conn, ctx.user, case_id)
        work = tx.case(case_id)
        settings = letter_settings(tx.conn, ctx.user.gemeente)
        try:
            found = beschikking.check(work, beschikking_id, ctx.actor_name, four_eyes=settings.vier_ogen)
        except InvalidInput as exc:
            raise _field_error(exc) from exc
        ctx.log(ctx.write_activity(), case.bsn, case.number, f"beschikking {beschikking_id} gecontroleerd",
                True, start, tx.conn)
        return found


def send_letter(ctx: Context, case_id: int, beschikking_id: int, form: Mapping[str, str]) -> Beschikking:
    """gecontroleerd -> verzonden, to the addressee at the address in ``form`` (straat, postcode,
    woonplaats), in the gemeente's template, dated today."""
    _may(ctx)
    errors = {}
    straat, postcode, plaats = ((form.get(k) or "").strip() for k in ("straat", "postcode", "woonplaats"))
    if not straat or len(straat) > 200:
        errors["straat"] = "Straat en huisnummer: vul het adres van de geadresseerde in."
    checked = check_format("postcode", postcode)
    if checked is None or checked[1]:
        errors["postcode"] = "Postcode: " + ((checked and checked[1]) or "vul een postcode in.")
    if not plaats or len(plaats) > 100:
        errors["woonplaats"] = "Woonplaats: vul de woonplaats in."
    if errors:
        raise FormErrors(errors)
    adres = f"{straat}\n{checked[0] if checked else postcode}  {plaats.upper()}"
    start = utcnow()
    with ctx.engine.transaction() as tx:
        case = visible_case(tx.conn, ctx.user, case_id)
        work = tx.case(case_id)
        settings = letter_settings(tx.conn, ctx.user.gemeente)
        try:
            found = beschikking.send(work, beschikking_id, ctx.actor_name, adres=adres,
                                     hoofd=settings.hoofd)
        except InvalidInput as exc:
            raise _field_error(exc) from exc
        ctx.log(ctx.write_activity(), case.bsn, case.number, f"beschikking {beschikking_id} verzonden", True,
                start, tx.conn)
        return found


def last_address(letters: list[Beschikking]) -> dict[str, str]:
    """The address the latest sent letter of the case went to, to fill in the next one."""
    for letter in reversed(letters):
        if letter.adres:
            straat, _, rest = letter.adres.partition("\n")
            postcode, _, plaats = rest.partition("  ")
            return {"straat": straat, "postcode": postcode, "woonplaats": plaats.title()}
    return {}
