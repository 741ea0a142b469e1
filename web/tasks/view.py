"""What the task form template needs, gathered in one place."""
from __future__ import annotations

from typing import Any

from engine.service import CaseEngine
from web.accounts.service import User
from web.forms import Errors, build_fields
from web.tasks.decision import proposal_for, proposed_choice
from web.tasks.service import OpenTask, load_draft, may_work

STALE_MESSAGE = ("Deze zaak is gewijzigd sinds u dit formulier opende. Uw invoer staat er nog; "
                 "controleer de zaak en verstuur het formulier opnieuw.")


def form_page(engine: CaseEngine, user: User, task: OpenTask, raw: dict[str, Any] | None = None,
              errors: Errors | None = None, problem: str | None = None,
              version: int | None = None) -> dict[str, Any]:
    schema = engine.task_form(task.task_id) or {"properties": {}}
    draft = load_draft(engine.db, task.task_id, user.username) if raw is None else None
    values = raw if raw is not None else (draft or {})
    beslissing = schema.get("x-beslissing")
    proposal = proposal_for(engine, task.case_id, beslissing) if beslissing else None
    return {
        "task": task, "schema": schema, "fields": build_fields(schema, values, errors or {}),
        "errors": errors or {}, "problem": problem, "has_draft": draft is not None,
        # A stale form keeps the version it was opened with, so the conflict is detected.
        "case_version": version if version is not None else task.case_version,
        "may_work": may_work(user, task), "beslissing": beslissing, "proposal": proposal,
        "proposed": proposed_choice(schema, beslissing, proposal) if beslissing else None,
    }
