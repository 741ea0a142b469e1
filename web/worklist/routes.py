"""Worklist: list with filters, sorting and search, and the claim/release/reassign buttons.

Filters and sorting are GET parameters, so a filtered list survives Back and a bookmark. The search
text can hold a BSN or a name, so it is POSTed and comes back sealed in the URL (``zoek``, see
web/worklist/search_token.py): never readable in an access log or the browser history.
"""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from casework import dossier_summary
from casework.errors import NotAllowed, TaskGone
from casework.people import covered_by, users_in_gemeente
from casework.roles import CASE_READ_ROLES, CASEWORK_ROLES
from casework.tasks import claim_task, find_task, reassign_task, release_task, take_over_task
from engine.errors import ConflictError, NotFound
from engine.storage.db import read_only
from web.auth import case_engine, current_user, guard_blueprint, role_required, safe_next
from web.context import page_context
from web.dossier.present import LOCAL
from web.worklist import caseload, deadlines, search_token
from web.worklist.service import SORTS, STATUSES, Filters, allowed_views, worklist

bp = Blueprint("worklist", __name__, url_prefix="/werkvoorraad")
guard_blueprint(bp, CASE_READ_ROLES)


@bp.route("", methods=["GET", "POST"])
def index():
    if request.method == "POST":
        return _search_redirect()
    args, user = request.args, current_user()
    token = args.get("zoek", "")
    search = search_token.unseal(current_app.secret_key or "", user.username, token) if token else ""
    if search is None:
        flash("De zoekopdracht in deze link hoort bij een andere gebruiker of is ongeldig; zoek opnieuw.",
              "error")
        token, search = "", ""
    filters = Filters(view=args.get("view", "mijn"), process=args.get("process", ""),
                      status=args.get("status", ""), page=args.get("page", 1, type=int) or 1,
                      search=search, sort=args.get("sort", "termijn"),
                      descending=args.get("richting") == "af")
    if filters.view == "clienten":
        return _caseload(filters)
    page = worklist(case_engine().db, user, filters)
    views = allowed_views(user, covering=bool(page.covered))
    here = {"view": filters.view, "process": filters.process or None, "status": filters.status or None,
            "sort": filters.sort_key if filters.sort_key != "termijn" else None,
            "richting": "af" if filters.descending else None, "zoek": token or None}
    people = dossier_summary.names(case_engine().db, user.gemeente)
    return render_template("worklist/index.html", page=page, filters=filters, views=views, statuses=STATUSES,
                           sorts=SORTS, here=here, naam=lambda username: people.get(username, username))


def _caseload(filters: Filters):
    db, user = case_engine().db, current_user()
    with read_only(db).connect() as conn:
        views = allowed_views(user, covering=bool(covered_by(conn, user)))
    return render_template("worklist/clienten.html", views=views, filters=filters,
                           found=caseload.my_clients(db, user), limit=caseload.LIMIT,
                           today=datetime.now(LOCAL).date())


def _search_redirect():
    """The filter form is posted; the answer is the GET list with the search text sealed."""
    form, user = request.form, current_user()
    text = form.get("q", "").strip()
    params = {"view": form.get("view", "mijn"), "process": form.get("process") or None,
              "status": form.get("status") or None, "sort": form.get("sort") or None,
              "richting": form.get("richting") or None,
              "zoek": search_token.seal(current_app.secret_key or "", user.username, text) if text else None}
    return redirect(url_for("worklist.index", **params), code=303)


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
