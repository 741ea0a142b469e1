"""The register of parties: providers (aanbieders) and employers (werkgevers), issue 18 item 2.

A party is an organisation, not an inwoner: it has a KvK number (8 digits, Handelsregisterwet 2007
art. 12), never a BSN, and its cases are its own. A public offer (processes/aanbod.py) creates the
party or brings it up to date (found again by its KvK number within the gemeente) and opens a case
of its own about it; the case names its party in the chained fact ``partij_gekoppeld``, from which
the row of ``party_cases`` follows (verify checks it, processes/projections.py).
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from engine.storage.db import cases
from engine.storage.rows import inserted_id
from engine.unit_of_work import CaseWork
from processes.tables import parties, party_cases, party_changes

LINKED = "partij_gekoppeld"
SOORTEN = {"aanbieder": "Aanbieder", "werkgever": "Werkgever"}
FIELDS = ("naam", "kvk", "contactpersoon", "email", "telefoon", "adres", "plaats")
# what a person enters by hand: the offer's fields, the kind of party and a postcode
EDITABLE = ("soort", "naam", "kvk", "contactpersoon", "email", "telefoon", "adres", "postcode", "plaats")
LABELS = {"soort": "Soort", "naam": "Naam", "kvk": "KvK-nummer", "contactpersoon": "Contactpersoon",
          "email": "E-mailadres", "telefoon": "Telefoon", "adres": "Adres", "postcode": "Postcode",
          "plaats": "Plaats"}


@dataclass(frozen=True)
class Party:
    id: int
    gemeente: str
    soort: str
    naam: str
    kvk: str
    contactpersoon: str
    email: str
    telefoon: str | None
    adres: str | None
    plaats: str
    created_at: datetime
    updated_at: datetime
    open_cases: int = 0
    postcode: str | None = None


@dataclass(frozen=True)
class Change:
    """One change of a party: who, when, and each field it changed (old, new)."""

    actor: str
    at: datetime
    wat: str  # aangemaakt | gewijzigd
    fields: dict[str, tuple[str | None, str | None]]


def _record(conn: Connection, party_id: int, actor: str, now: datetime, wat: str,
            changed: Mapping[str, tuple[Any, Any]]) -> None:
    conn.execute(party_changes.insert().values(party_id=party_id, actor=actor, at=now, wat=wat,
                                               changes=json.dumps({k: list(v) for k, v in changed.items()})))


def _changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {k: (before.get(k), v) for k, v in after.items() if (before.get(k) or None) != (v or None)}


def kvk_taken(conn: Connection, gemeente: str, kvk: str, other_than: int | None = None) -> str | None:
    """The name of the gemeente's party with this KvK number (another than ``other_than``), if any."""
    query = select(parties.c.naam).where(parties.c.gemeente == gemeente, parties.c.kvk == kvk)
    if other_than is not None:
        query = query.where(parties.c.id != other_than)
    return conn.execute(query).scalar()


def create(conn: Connection, gemeente: str, values: Mapping[str, Any], actor: str, now: datetime) -> int:
    """A party entered by hand (``values``: the EDITABLE fields, checked by the caller)."""
    party_id = inserted_id(conn.execute(parties.insert().values(gemeente=gemeente, created_at=now,
                                                                updated_at=now, **values)))
    _record(conn, party_id, actor, now, "aangemaakt", {k: (None, v) for k, v in values.items() if v})
    return party_id


def change(conn: Connection, party_id: int, values: Mapping[str, Any], actor: str, now: datetime) -> dict:
    """The party edited by hand; the fields that changed (old, new), recorded with who and when."""
    before = conn.execute(select(parties).where(parties.c.id == party_id)).mappings().one()
    changed = _changed(before, values)
    if changed:
        conn.execute(update(parties).where(parties.c.id == party_id).values(**values, updated_at=now))
        _record(conn, party_id, actor, now, "gewijzigd", changed)
    return changed


def changes(conn: Connection, party_id: int) -> list[Change]:
    """The party's changes, newest first."""
    rows = conn.execute(select(party_changes).where(party_changes.c.party_id == party_id)
                        .order_by(party_changes.c.id.desc())).mappings().all()
    return [Change(r["actor"], r["at"], r["wat"],
                   {k: (v[0], v[1]) for k, v in json.loads(r["changes"]).items()}) for r in rows]


def save(conn: Connection, gemeente: str, soort: str, fields: Mapping[str, Any], now: datetime,
         actor: str) -> int:
    """The party with this KvK number in the gemeente, made or brought up to date with ``fields`` (an
    offer), the change recorded as ``actor``'s."""
    values = {name: (fields.get(name) or None) if name in ("telefoon", "adres") else fields[name]
              for name in FIELDS}
    found = conn.execute(select(parties).where(parties.c.gemeente == gemeente,
                                               parties.c.kvk == values["kvk"])).mappings().first()
    if found is not None:
        changed = _changed(found, {**values, "soort": soort})
        if changed:
            conn.execute(update(parties).where(parties.c.id == found["id"])
                         .values(**values, soort=soort, updated_at=now))
            _record(conn, found["id"], actor, now, "gewijzigd", changed)
        return int(found["id"])
    return create(conn, gemeente, {**values, "soort": soort}, actor, now)


def link(case: CaseWork, party_id: int, actor: str) -> None:
    """The case is about this party: its row and the chained fact, in the case's transaction."""
    row = case.conn.execute(select(parties.c.naam, parties.c.kvk).where(parties.c.id == party_id)).one()
    case.conn.execute(party_cases.insert().values(case_id=case.id, party_id=party_id))
    case.append(LINKED, actor, {"party_id": party_id, "naam": row.naam, "kvk": row.kvk})


def case_party(conn: Connection, case_id: int) -> int | None:
    return conn.execute(select(party_cases.c.party_id).where(party_cases.c.case_id == case_id)).scalar()


def party_of_case(conn: Connection, case_id: int) -> Party | None:
    row = conn.execute(select(parties).join(party_cases, party_cases.c.party_id == parties.c.id)
                       .where(party_cases.c.case_id == case_id)).mappings().first()
    return _party(row) if row is not None else None


def names_of_cases(conn: Connection, case_ids: list[int]) -> dict[int, str]:
    """case id -> the party's name, for lists that show what a case is about."""
    if not case_ids:
        return {}
    return dict(conn.execute(select(party_cases.c.case_id, parties.c.naam)
                             .join(parties, parties.c.id == party_cases.c.party_id)
                             .where(party_cases.c.case_id.in_(case_ids))).all())


def register(conn: Connection, gemeente: str) -> list[Party]:
    """The gemeente's parties by name, each with its number of open cases."""
    open_cases = (select(func.count())
                  .select_from(party_cases.join(cases, cases.c.id == party_cases.c.case_id))
                  .where(party_cases.c.party_id == parties.c.id, cases.c.status == "open")
                  .correlate(parties).scalar_subquery())
    rows = conn.execute(select(parties, open_cases.label("open_cases")).where(parties.c.gemeente == gemeente)
                        .order_by(func.lower(parties.c.naam), parties.c.id)).mappings().all()
    return [_party(r) for r in rows]


def get(conn: Connection, gemeente: str, party_id: int) -> Party | None:
    row = conn.execute(select(parties).where(parties.c.id == party_id, parties.c.gemeente == gemeente)
                       ).mappings().first()
    return _party(row) if row is not None else None


def case_ids(conn: Connection, party_id: int) -> list[int]:
    return list(conn.execute(select(party_cases.c.case_id).where(party_cases.c.party_id == party_id)
                             .order_by(party_cases.c.case_id)).scalars())


def _party(row: Mapping[str, Any]) -> Party:
    return Party(**{k: row[k] for k in Party.__dataclass_fields__ if k in row})
