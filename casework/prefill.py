"""What a task form fills in from the dossier, so nobody types what trede already knows (issue 18 item 8).

A form field declares ``"x-uit-dossier": "leeftijd"``: the client's age in whole years on today's
(Amsterdam) date, from the birth date recorded at intake. A field declares ``"x-uit-zaak": "path"``:
the value the case's data holds there (``aanbod.plaats``: a key inside an object), e.g. what a
provider sent with an offer (issue 18 item 2). Either is a suggestion on the page only: the person
sees it, can change it, and the submission is checked like any other.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from engine.storage.db import clients, read_only


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def lookup(data: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path in the case data (None where the path leads nowhere)."""
    value: Any = data
    for key in path.split("."):
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def as_text(value: Any) -> str:
    """A value as a form page sends it: a checkbox "ja", a number or date as text."""
    if isinstance(value, bool):
        return "ja" if value else ""
    return "" if value is None else str(value)


def from_case(schema: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, str]:
    """The fields that name a path in the case data (``x-uit-zaak``), as text; empty ones left out."""
    found = {}
    for name, prop in (schema.get("properties") or {}).items():
        path = prop.get("x-uit-zaak") if isinstance(prop, Mapping) else None
        if isinstance(path, str) and (text := as_text(lookup(data, path))):
            found[name] = text
    return found


def prefill(db: Engine, schema: Mapping[str, Any], client_id: int | None, today: date,
            data: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The form's fields filled from the dossier and the case data (as the page sends them: text)."""
    known = from_case(schema, data or {})
    wanted = [name for name, prop in (schema.get("properties") or {}).items()
              if isinstance(prop, Mapping) and prop.get("x-uit-dossier") == "leeftijd"]
    if not wanted or client_id is None:  # a case about a party has no birth date
        return known
    with read_only(db).connect() as conn:
        born = conn.execute(select(clients.c.geboortedatum).where(clients.c.id == client_id)).scalar()
    try:
        age = age_on(date.fromisoformat(born), today) if born else None
    except ValueError:
        age = None
    return {**known, **({name: str(age) for name in wanted} if age is not None else {})}
