"""Health data (fields marked ``x-bijzondere-categorie``, AVG art. 9): shown only to roles that need it.

Which fields are special is read from the deployed form definitions, so a model author marks a
field once and every page that shows task data hides it. Names are matched across all forms of the
gemeente: a field name marked special in one form is hidden everywhere (errs on the safe side).
"""
from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Engine

from casework.roles import SPECIAL_CATEGORY_ROLES
from engine.storage.db import deployments, read_only
from processes.special_category import marked_fields

HIDDEN = "[afgeschermd: bijzonder persoonsgegeven]"
_CACHE: dict[tuple, frozenset[str]] = {}


def may_read(roles: frozenset[str]) -> bool:
    return bool(roles & SPECIAL_CATEGORY_ROLES)


def special_fields(db: Engine, gemeente: str) -> frozenset[str]:
    """Names of the fields marked special in any form deployed for ``gemeente`` (or shared)."""
    where = or_(deployments.c.gemeente == gemeente, deployments.c.gemeente == "*")
    with read_only(db).connect() as conn:
        marker = conn.execute(select(func.count(), func.max(deployments.c.id)).where(where)).one()
        key = (id(db), gemeente, tuple(marker))
        if key not in _CACHE:  # new deployments change the marker; the scan runs once per change
            names: set[str] = set()
            for files in conn.execute(select(deployments.c.files).where(where)).scalars():
                for name, text in json.loads(files).items():
                    if name.endswith(".json"):
                        names |= marked_fields(text)
            _CACHE[key] = frozenset(names)
    return _CACHE[key]


def redact(value: Any, names: frozenset[str]) -> Any:
    """A copy of ``value`` with every key in ``names`` (at any depth) replaced by HIDDEN."""
    if isinstance(value, dict):
        return {k: (HIDDEN if k in names and v not in (None, "") else redact(v, names))
                for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, names) for v in value]
    return value


def redact_history(history, names: frozenset[str]) -> None:
    """Hide special fields in an audit CaseHistory for display (in place; replay already ran)."""
    for step in history.steps:
        step.submitted = redact(step.submitted, names) if step.submitted else step.submitted
        step.before, step.after = redact(step.before, names), redact(step.after, names)
        step.changes = [replace(c, before=_hide(c.before), after=_hide(c.after)) if c.key in names else c
                        for c in step.changes]
    for instance in history.instances:
        instance.data = redact(instance.data, names)


def _hide(value: Any) -> Any:
    # None and the history's "missing" marker stay, so "nieuw"/"verwijderd" still show; the value not.
    return value if value is None or type(value).__name__ == "_Missing" else HIDDEN
