"""Worklist: list with filters and search, and the claim/release/reassign buttons.

The search text can hold a BSN, so it only ever travels in a POST body: never in a URL, which
would end up in access logs and browser history.
"""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from casework.errors import NotAllowed, TaskGone
from casework.people import users_in_gemeente
from casework.roles import CASE_READ_ROLES, CASEWORK_ROLES
from casework.tasks import claim_task, find_task, reassign_task, release_task, take_over_task
from engine.errors import ConflictError, NotFound
from web.auth import case_engine, current_user, guard_blueprint, role_required, safe_next
from web.context import page_context
from web.dossier.present import LOCAL
from web.worklist import deadlines
from web.worklist.service import STATUSES, Filters, allowed_views, worklist

bp = Blueprint("worklist", __name__, url_prefix="/werkvoorraad")
guard_blueprint(bp, CASE_READ_ROLES)


@bp.route("", methods=["GET", "POST"])
def index():
    source = request.form if request.method == "POST" else request.args
    filters = Filters(view=source.get("view", "mijn"), process=source.get("process", ""),
                      status=source.get("status", ""), page=source.get("page", 1, type=int) or 1,
                      search=request.form.get("q", "") if request.method == "POST" else "")
    user = current_user()
    page = worklist(case_engine().db, user, filters)
    views = allowed_views(user, covering=bool(page.covered))
    return render_template("worklist/index.html", page=page, filters=filters, views=views, statuses=STATUSES)


@bp.get("/termijnen")
def deadlines_page():
    """Termijnbewaking: open fatale termijnen of the cases this user may see, soonest first."""
    soon = request.args.get("binnenkort") == "1"
    found, total = deadlines.open_deadlines(case_engine(), current_user(), datetime.now(LOCAL).date(), soon)
    return render_template("worklist/termijnen.html", found=found, total=total, soon=soon,
                           soon_days=deadlines.SOON_DAYS, limit=deadlines.LIMIT)


@bp.post("/<task_id>/claimen")
def claim(task_id: str):
    return _act(task_id, lambda ctx, task: claim_task(ctx, task.task_id), "U heeft de taak geclaimd.")


@bp.post("/<task_id>/overnemen")
def take_over(task_id: str):
    """A task held by an absent colleague, taken over by their vervanger or a teammate."""
    return _act(task_id, lambda ctx, task: take_over_task(ctx, task.task_id), "U heeft de taak overgenomen.")


@bp.post("/<task_id>/vrijgeven")
def release(task_id: str):
    return _act(task_id, lambda ctx, task: release_task(ctx, task.task_id), "De taak is vrijgegeven.")


@bp.route("/<task_id>/toewijzen", methods=["GET", "POST"])
@role_required("teamleider")
def reassign(task_id: str):
    task = _task(task_id)
    if request.method == "POST":
        target = request.form.get("medewerker", "")
        return _act(task_id, lambda ctx, task: reassign_task(ctx, task.task_id, target),
                    "De taak is toegewezen.", back=url_for("worklist.index", view="alle"))
    people = [u for u in users_in_gemeente(case_engine().db, current_user().gemeente)
              if u.roles & CASEWORK_ROLES]
    return render_template("worklist/reassign.html", task=task, people=people)


def _task(task_id: str):
    try:
        return find_task(case_engine().db, current_user(), task_id)
    except (NotFound, TaskGone):
        abort(404)


def _act(task_id: str, action, done: str, back: str | None = None):
    task = _task(task_id)
    try:
        action(page_context(current_user()), task)
        flash(done)
    except (ConflictError, NotAllowed) as exc:
        flash(f"Dat lukte niet: {exc}.", "error")
    return redirect(safe_next(request.form.get("next")) or back or url_for("worklist.index"))
