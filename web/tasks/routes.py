"""Task form page: show, save as draft, complete (the rules: casework/tasks.py)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from casework.errors import HeldByOther, NotAllowed, TaskGone
from casework.roles import CASE_READ_ROLES
from casework.tasks import find_task, save_draft
from engine.errors import NotFound
from web.audit.ldv import note_subject, processes_personal_data
from web.auth import case_engine, current_user, guard_blueprint
from web.context import page_context
from web.tasks import view

bp = Blueprint("tasks", __name__, url_prefix="/taken")
guard_blueprint(bp, CASE_READ_ROLES)
NON_FIELDS = {"csrf_token", "actie", "case_version"}


@bp.get("/<task_id>")
@processes_personal_data("dossier-raadplegen")
def show(task_id: str):
    engine, user = case_engine(), current_user()
    task = _task_or_gone(task_id)
    if isinstance(task, TaskGone):
        return render_template("tasks/gone.html", gone=task), 410
    note_subject(task.bsn, object_ref=task.case_number)
    return render_template("tasks/form.html", **view.form_page(engine, user, task))


@bp.post("/<task_id>")
def post(task_id: str):
    """Save or complete; the use case checks, writes and logs (taak-afhandelen)."""
    task = _task_or_gone(task_id)
    if isinstance(task, TaskGone):
        return render_template("tasks/gone.html", gone=task), 409
    ctx = page_context(current_user())
    raw = {k: v for k, v in request.form.items() if k not in NON_FIELDS}
    try:
        if request.form.get("actie") == "opslaan":
            save_draft(ctx, task, raw)
            flash("Uw concept is opgeslagen. U kunt later verder gaan.")
            return redirect(url_for("tasks.show", task_id=task_id))
        result = view.complete(ctx, task, raw, request.form.get("case_version", type=int))
    except (NotAllowed, HeldByOther):
        abort(403)
    if result.next_url:
        flash(f"De taak ‘{task.title}’ is afgerond.")
        return redirect(result.next_url)
    return render_template(result.template, **result.context), result.status


def _task_or_gone(task_id: str):
    try:
        return find_task(case_engine().db, current_user(), task_id)
    except NotFound:
        abort(404)
    except TaskGone as gone:
        return gone
