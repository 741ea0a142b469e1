"""Form fields that choose a colleague: ``"x-gebruiker": "<rol>"`` in a form definition.

Such a field offers the gemeente's active users with that role and is filled in with the user who
opens the form, when that user has the role. What it stores is a user name, so a process can hand
later tasks to that person (the task property ``assignee``, engine/assignment.py).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Engine

from casework.people import User, users_in_gemeente

MARK = "x-gebruiker"
EMPTY = "Niemand: de werkvoorraad van het team"


def _marked(schema: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    props = schema.get("properties") or {}
    return {name: prop for name, prop in props.items() if isinstance(prop, dict) and prop.get(MARK)}


def with_user_choices(schema: Mapping[str, Any], db: Engine, user: User) -> dict[str, Any]:
    """The schema with every colleague field turned into a choice of the users it may name."""
    marked = _marked(schema)
    if not marked:
        return dict(schema)
    props = dict(schema.get("properties") or {})
    for name, prop in marked.items():
        colleagues = users_in_gemeente(db, user.gemeente, str(prop[MARK]))
        props[name] = {**prop, "type": "string", "x-widget": "select", "x-leeg": EMPTY,
                       "enum": [c.username for c in colleagues], "x-enumNames": [c.naam for c in colleagues]}
    return {**schema, "properties": props}


def defaults(schema: Mapping[str, Any], user: User) -> dict[str, str]:
    """The user who opens the form, in each colleague field that may name them (of a resolved schema)."""
    return {name: user.username for name, prop in _marked(schema).items()
            if user.username in (prop.get("enum") or [])}
