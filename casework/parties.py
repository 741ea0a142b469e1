"""The register of providers and employers (issue 18 item 2), with its rules.

Casemanagers and teamleiders read it, each within their own gemeente: another gemeente's party does
not exist for them. A party's cases are listed as far as the reader may see them (team-only
visibility, casework/visibility.py), each with its open tasks.

They also enter and edit a party by hand (``save_party``: the page and ``POST``/``PUT /api/parties``
take this one use case; an API token of the gemeente may too): naam, soort, KvK (8 digits,
Handelsregisterwet 2007 art. 12; one party per KvK number in a gemeente), contact person, e-mail,
telefoon, address with its postcode. Every change is recorded with who and when, old -> new
(processes/parties.py ``party_changes``), in the same transaction as its processing-log line. A party
is linked to a case (``link_case``) the way an offer links its provider: the case's chained
``partij_gekoppeld`` fact, checked by verify.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from casework.accounts.admin import FormErrors
from casework.accounts.service import User
from casework.cases import visible_case
from casework.context import Context
from casework.errors import NotAllowed
from casework.plausibility import check_format
from casework.roles import PARTY_READ_ROLES
from casework.visibility import may_see_case
from engine.errors import NotFound
from engine.service import CaseEngine
from engine.storage.db import cases, utcnow, work_items
from processes import parties
from processes.aanbod import EMAIL
from processes.documents import Document, of_case

# lengths of the register's columns (processes/tables.py)
LIMITS = {"naam": 200, "contactpersoon": 200, "email": 254, "telefoon": 20, "adres": 200, "plaats": 100}
# a Dutch number of 10 digits (0117-123456, 06 12345678) or one with its country code (+31 6 ...)
_PHONE = re.compile(r"^(0\d{9}|\+\d{9,14})$")


@dataclass(frozen=True)
class OpenWork:
    task_id: str
    title: str
    claimed_by: str | None


@dataclass
class PartyCase:
    case_id: int
    case_number: str
    status: str
    created_at: datetime
    tasks: list[OpenWork] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)


def _check(user: User) -> None:
    if not user.roles & PARTY_READ_ROLES:
        raise NotAllowed("alleen casemanagers en teamleiders raadplegen het register van partijen")


def _may_write(user: User) -> None:
    if not (user.system or user.roles & PARTY_READ_ROLES):
        raise NotAllowed("alleen casemanagers en teamleiders leggen partijen vast")


def checked_fields(form: Mapping[str, Any]) -> tuple[dict[str, str | None], dict[str, str]]:
    """The party's fields as stored, and a Dutch message per field that is wrong."""
    errors: dict[str, str] = {}
    values: dict[str, str | None] = {}

    def text(name: str, required: bool = True) -> str:
        raw = form.get(name)
        value = raw.strip() if isinstance(raw, str) else ""
        label = parties.LABELS[name]
        if required and not value:
            errors[name] = f"{label}: vul dit in."
        elif len(value) > LIMITS.get(name, 255):
            errors[name] = f"{label}: gebruik hoogstens {LIMITS[name]} tekens."
        return value

    soort = text("soort")
    if soort and soort not in parties.SOORTEN:
        errors["soort"] = "Soort: kies aanbieder of werkgever."
    values["soort"] = soort
    values["naam"] = text("naam")
    kvk = text("kvk")
    if kvk:
        checked = check_format("kvk", kvk)
        if checked is None or checked[1]:
            errors["kvk"] = "KvK-nummer: " + ((checked and checked[1]) or "vul een KvK-nummer in.")
        else:
            kvk = checked[0]
    values["kvk"] = kvk
    values["contactpersoon"] = text("contactpersoon")
    email = text("email")
    if email and "email" not in errors and not EMAIL.match(email):
        errors["email"] = "E-mailadres: vul een geldig e-mailadres in, bijvoorbeeld naam@organisatie.nl."
    values["email"] = email
    telefoon = text("telefoon", required=False)
    if telefoon and "telefoon" not in errors and not _PHONE.match(re.sub(r"[\s().-]", "", telefoon)):
        errors["telefoon"] = ("Telefoon: vul een telefoonnummer in van 10 cijfers, bijvoorbeeld 0117-123456, "
                              "of met landnummer, bijvoorbeeld +31 117 123456.")
    values["telefoon"] = telefoon or None
    values["adres"] = text("adres", required=False) or None
    postcode = text("postcode", required=False)
    if postcode:
        checked = check_format("postcode", postcode)
        if checked is None or checked[1]:
            errors["postcode"] = "Postcode: " + ((checked and checked[1]) or "vul een postcode in.")
        else:
            postcode = checked[0]
    values["postcode"] = postcode or None
    values["plaats"] = text("plaats")
    return values, errors


def save_party(ctx: Context, party_id: int | None, form: Mapping[str, Any]) -> parties.Party:
    """Enter a party (``party_id`` None) or edit one of the actor's gemeente; FormErrors per field
    (also for a KvK number another party of the gemeente has), NotFound for another gemeente's party,
    NotAllowed. The change is recorded (who, when, old -> new) with the processing-log line."""
    _may_write(ctx.user)
    values, errors = checked_fields(form)
    start = utcnow()
    with ctx.engine.transaction() as tx:
        if party_id is not None and parties.get(tx.conn, ctx.user.gemeente, party_id) is None:
            raise NotFound("partij niet gevonden")
        if values["kvk"] and "kvk" not in errors:
            taken = parties.kvk_taken(tx.conn, ctx.user.gemeente, str(values["kvk"]), party_id)
            if taken:
                errors["kvk"] = (f"KvK-nummer: {taken} staat al met dit KvK-nummer in het register; "
                                 "wijzig die partij in plaats van een nieuwe aan te maken.")
        if errors:
            raise FormErrors(errors)
        if party_id is None:
            party_id = parties.create(tx.conn, ctx.user.gemeente, values, ctx.actor_name, tx.now)
            what = "partij aangemaakt"
        else:
            changed = parties.change(tx.conn, party_id, values, ctx.actor_name, tx.now)
            what = f"partij gewijzigd: {', '.join(changed) or 'niets'}"
        # an organisation, no data subject (no BSN): the line names the party's register entry
        ctx.log(ctx.write_activity(), None, f"partij {party_id}", what, True, start, tx.conn)
        found = parties.get(tx.conn, ctx.user.gemeente, party_id)
    assert found is not None
    return found


def changes(engine: CaseEngine, user: User, party_id: int) -> list[parties.Change]:
    """What was changed on the party, newest first (after ``party`` found it for the user)."""
    _check(user)
    with engine.reader.connect() as conn:
        if parties.get(conn, user.gemeente, party_id) is None:
            raise NotFound("partij niet gevonden")
        return parties.changes(conn, party_id)


def link_case(ctx: Context, party_id: int, case_number: str) -> str:
    """The case (by its number) is about this party, as an offer's case is about its provider: the
    chained ``partij_gekoppeld`` fact and its row. FormErrors on the field ``zaak`` (unknown, hidden
    or already linked); NotFound for another gemeente's party. Returns the case number."""
    _may_write(ctx.user)
    number = (case_number or "").strip().upper()
    start = utcnow()
    with ctx.engine.transaction() as tx:
        found = parties.get(tx.conn, ctx.user.gemeente, party_id)
        if found is None:
            raise NotFound("partij niet gevonden")
        case_id = tx.conn.execute(select(cases.c.id).where(cases.c.case_number == number,
                                                           cases.c.gemeente == ctx.user.gemeente)).scalar()
        try:
            ref = visible_case(tx.conn, ctx.user, case_id) if case_id is not None else None
        except NotFound:
            ref = None
        if ref is None:
            raise FormErrors({"zaak": f"Zaak: er is geen zaak {number or '(leeg)'} die u mag inzien; vul een "
                                      "zaaknummer in zoals Z2026-000123."})
        if ref.status != "open":
            raise FormErrors({"zaak": f"Zaak: zaak {ref.number} is afgesloten."})
        linked = parties.case_party(tx.conn, ref.id)
        if linked is not None:
            other = parties.get(tx.conn, ctx.user.gemeente, linked)
            raise FormErrors({"zaak": f"Zaak: zaak {ref.number} is al gekoppeld aan "
                                      f"{other.naam if other else 'een andere partij'}."})
        parties.link(tx.case(ref.id), party_id, ctx.actor_name)
        ctx.log(ctx.write_activity(), ref.bsn, ref.number, f"partij {party_id} gekoppeld", True, start,
                tx.conn)
        return ref.number


def register(engine: CaseEngine, user: User) -> list[parties.Party]:
    _check(user)
    with engine.reader.connect() as conn:
        return parties.register(conn, user.gemeente)


def party(engine: CaseEngine, user: User, party_id: int) -> tuple[parties.Party, list[PartyCase]]:
    """The party with the cases about it that the user may see; NotFound for another gemeente's."""
    _check(user)
    with engine.reader.connect() as conn:
        found = parties.get(conn, user.gemeente, party_id)
        if found is None:
            raise NotFound("partij niet gevonden")
        ids = [i for i in parties.case_ids(conn, party_id) if may_see_case(conn, user, i)]
        rows = conn.execute(select(cases.c.id, cases.c.case_number, cases.c.status, cases.c.created_at)
                            .where(cases.c.id.in_(ids), cases.c.gemeente == user.gemeente)
                            .order_by(cases.c.id.desc())).all()
        listed = [PartyCase(r.id, r.case_number, r.status, r.created_at) for r in rows]
        for case in listed:
            case.tasks = [OpenWork(t.task_id, t.title, t.claimed_by) for t in conn.execute(
                select(work_items.c.task_id, work_items.c.title, work_items.c.claimed_by)
                .where(work_items.c.case_id == case.case_id).order_by(work_items.c.created_at))]
            case.documents = of_case(conn, case.case_id)
    return found, listed


def party_of_case(engine: CaseEngine, user: User, case_id: int) -> int:
    """The party a case of the user's gemeente is about; NotFound when there is none or it is hidden."""
    _check(user)
    with engine.reader.connect() as conn:
        visible = conn.execute(select(cases.c.id).where(cases.c.id == case_id,
                                                        cases.c.gemeente == user.gemeente)).first()
        linked = parties.party_of_case(conn, case_id) if visible else None
        if linked is None or not may_see_case(conn, user, case_id):
            raise NotFound("zaak niet gevonden")
        return linked.id
