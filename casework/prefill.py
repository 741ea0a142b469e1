"""What a task form fills in from the dossier, so nobody types what trede already knows (issue 18 item 8).

A form field declares ``"x-uit-dossier": "leeftijd"``: the client's age in whole years on today's
(Amsterdam) date, from the birth date recorded at intake. It is a suggestion on the page only:
the person sees it, can change it, and the submission is checked like any other.
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


def prefill(db: Engine, schema: Mapping[str, Any], client_id: int, today: date) -> dict[str, str]:
    """The form's fields filled from the dossier (as the page sends them: text)."""
    wanted = [name for name, prop in (schema.get("properties") or {}).items()
              if isinstance(prop, Mapping) and prop.get("x-uit-dossier") == "leeftijd"]
    if not wanted:
        return {}
    with read_only(db).connect() as conn:
        born = conn.execute(select(clients.c.geboortedatum).where(clients.c.id == client_id)).scalar()
    try:
        age = age_on(date.fromisoformat(born), today) if born else None
    except ValueError:
        age = None
    return {name: str(age) for name in wanted} if age is not None else {}
