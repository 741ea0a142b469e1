"""Task form page: show, save as draft, complete."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from engine.errors import ConflictError, NotFound, StepFailed
from web.auth import case_engine, current_user
from web.tasks import view  # noqa: I001
from web.tasks.service import TaskGone, find_task, may_work, next_task_in_case, save_draft, submit

bp = Blueprint("tasks", __name__, url_prefix="/taken")
NON_FIELDS = {"csrf_token", "actie", "case_version"}


@bp.get("/<task_id>")
def show(task_id: str):
    engine, user = case_engine(), current_user()
    try:
        task = find_task(engine.db, user, task_id)
    except NotFound:
        abort(404)
    except TaskGone as gone:
        return render_template("tasks/gone.html", gone=gone), 410
    return render_template("tasks/form.html", **view.form_page(engine, user, task))


@bp.post("/<task_id>")
def post(task_id: str):
    engine, user = case_engine(), current_user()
    try:
        task = find_task(engine.db, user, task_id)
    except NotFound:
        abort(404)
    except TaskGone as gone:
        return render_template("tasks/gone.html", gone=gone), 409
    if not may_work(user, task):
        abort(403)
    raw = {k: v for k, v in request.form.items() if k not in NON_FIELDS}
    if request.form.get("actie") == "opslaan":
        save_draft(engine.db, task_id, user.username, raw)
        flash("Uw concept is opgeslagen. U kunt later verder gaan.")
        return redirect(url_for("tasks.show", task_id=task_id))
    version = request.form.get("case_version", type=int)
    try:
        errors = submit(engine, user, task, engine.task_form(task_id), raw, version)
    except TaskGone as gone:
        return render_template("tasks/gone.html", gone=gone), 409
    except ConflictError:
        page = view.form_page(engine, user, find_task(engine.db, user, task_id), raw=raw,
                              problem=view.STALE_MESSAGE)
        return render_template("tasks/form.html", **page), 409
    except StepFailed as exc:
        page = view.form_page(engine, user, task, raw=raw, problem=f"Het proces kon niet verder: {exc}")
        return render_template("tasks/form.html", **page), 422
    if errors:
        page = view.form_page(engine, user, task, raw=raw, errors=errors, version=version)
        return render_template("tasks/form.html", **page), 422
    flash(f"De taak ‘{task.title}’ is afgerond.")
    following = next_task_in_case(engine, user, task.case_id)
    if following:
        return redirect(url_for("tasks.show", task_id=following))
    return redirect(url_for("worklist.index"))
