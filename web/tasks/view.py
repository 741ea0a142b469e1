"""What the task pages need: the form page's context, and the outcome of completing a form."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import url_for

from casework.accounts.service import User
from casework.colleagues import defaults, with_user_choices
from casework.context import Context
from casework.decision import proposal_from, proposed_choice
from casework.errors import FormRefused, TaskGone
from casework.forms import Errors
from casework.prefill import lookup, prefill
from casework.tasks import OpenTask, complete_task, find_task, load_draft, may_work, next_task_in_case
from engine.errors import ConflictError, NotFound, StepFailed
from engine.scheduling.termijnen import legal_date
from engine.service import CaseEngine
from processes import documents, parties
from web import special_category
from web.dossier.present import datum
from web.forms import build_fields
from web.tasks import instructions

STALE_MESSAGE = ("Deze zaak is gewijzigd sinds u dit formulier opende. Uw invoer staat er nog; "
                 "controleer de zaak en verstuur het formulier opnieuw.")


@dataclass
class Outcome:
    """Either where to go next (done) or which page to show with which status."""

    next_url: str | None = None
    template: str = "tasks/form.html"
    context: dict[str, Any] = field(default_factory=dict)
    status: int = 200


def form_page(engine: CaseEngine, user: User, task: OpenTask, raw: dict[str, Any] | None = None,
              errors: Errors | None = None, problem: str | None = None,
              version: int | None = None) -> dict[str, Any]:
    schema = with_user_choices(engine.task_form(task.task_id) or {"properties": {}}, engine.db, user)
    draft = load_draft(engine.db, task.task_id, user.username) if raw is None else None
    data, template = _task_view(engine, task.task_id)  # one load of the process for the whole page
    # a draft as saved; else the colleague fields and what the dossier and the case know (age from
    # the birth date, what a provider sent with an offer)
    known = prefill(engine.db, schema, task.client_id, legal_date(engine.clock.now()), data)
    values = raw if raw is not None else (draft or {**known, **defaults(schema, user)})
    beslissing = schema.get("x-beslissing")
    proposal = proposal_from(data, beslissing) if beslissing else None
    fields = build_fields(schema, values, errors or {})
    # Health data (AVG art. 9) is neither shown to nor asked of roles that do not need it.
    hidden = [f for f in fields if f.special_category and not special_category.may_read(user.roles)]
    return {
        "task": task, "schema": schema, "fields": [f for f in fields if f not in hidden],
        "special_hidden": len(hidden),
        "errors": errors or {}, "problem": problem, "has_draft": draft is not None,
        # A form sent back for corrections keeps the version it was opened at, so a change by
        # someone else meanwhile is still caught.
        "case_version": version if version is not None else task.case_version,
        "may_work": may_work(user, task), "beslissing": beslissing, "proposal": proposal,
        "proposed": proposed_choice(schema, beslissing, proposal) if beslissing else None,
        "shown": shown_data(data, schema.get("x-toon")),
        "case_documents": case_documents(engine, task.case_id, schema.get("x-documenten")),
        "party": party_of(engine, task) if task.client_id is None else None,
        "party_soorten": parties.SOORTEN,
        "instructions": instructions.render(template, data) if template else None,
    }


def _task_view(engine: CaseEngine, task_id: str) -> tuple[dict, str | None]:
    try:
        return engine.task_view(task_id)
    except NotFound:  # completed meanwhile: the page says so elsewhere
        return {}, None


def shown_data(data: dict, wanted: Any) -> list[tuple[str, Any]]:
    """(label, value) of the case data a form names in ``x-toon`` ({field or dotted path: label}),
    read-only: e.g. ``aanbod.kvk``, what a provider sent with an offer."""
    if not isinstance(wanted, dict) or not wanted:
        return []
    return [(str(label), _readable(lookup(data, name))) for name, label in wanted.items()]


def _readable(value: Any) -> Any:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return datum(value) if isinstance(value, date) else value  # 1 mei 2026, as the other pages


def case_documents(engine: CaseEngine, case_id: int, soorten: Any) -> list[documents.Document]:
    """The case's documents of the kinds a form names in ``x-documenten`` (e.g. the evidence a
    provider sent), to open beside the form."""
    if not isinstance(soorten, list) or not soorten:
        return []
    return [d for d in documents.Documents(engine).list(case_id) if d.soort in soorten]


def party_of(engine: CaseEngine, task: OpenTask) -> parties.Party | None:
    """The provider or employer a case without a client is about (issue 18 item 2)."""
    with engine.reader.connect() as conn:
        return parties.party_of_case(conn, task.case_id)


def complete(ctx: Context, task: OpenTask, raw: dict[str, Any], version: int | None) -> Outcome:
    engine, user = ctx.engine, ctx.user
    try:
        complete_task(ctx, task, raw, version)
    except TaskGone as gone:
        return Outcome(template="tasks/gone.html", context={"gone": gone}, status=409)
    except FormRefused as refused:
        return Outcome(context=form_page(engine, user, task, raw=raw, errors=refused.errors, version=version),
                       status=422)
    except ConflictError:
        # Shown with the current version: having read the message, the user may send again.
        fresh = find_task(engine.db, user, task.task_id)
        return Outcome(context=form_page(engine, user, fresh, raw=raw, problem=STALE_MESSAGE), status=409)
    except StepFailed as exc:
        return Outcome(context=form_page(engine, user, task, raw=raw, problem=f"Het proces kon niet verder: "
                                                                               f"{exc}"), status=422)
    following = next_task_in_case(ctx, task.case_id)
    if following:
        return Outcome(next_url=url_for("tasks.show", task_id=following))
    return Outcome(next_url=url_for("worklist.index"))
