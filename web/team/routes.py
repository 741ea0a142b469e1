"""Team page: who holds how much work, absences with a vervanger, and caseload handover.

For a teamleider (their own team) and a beheerder (the whole gemeente). It shows names and task
counts only, no client data, so a beheerder needs no access to case data to use it.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from casework.accounts.admin import FormErrors
from casework.accounts.adminlog import recent
from casework.roles import CASEWORK_ROLES
from casework.team import absence, handover
from casework.team.scope import in_scope
from engine.errors import NotFound
from web.auth import case_engine, current_user, guard_blueprint

LEADS = frozenset({"teamleider", "beheerder"})
LOGGED = ("caseload_overgedragen", "casemanager_gewijzigd", "afwezigheid_gemeld", "afwezigheid_beeindigd")

bp = Blueprint("team", __name__, url_prefix="/team")
guard_blueprint(bp, LEADS)


@bp.get("")
def index():
    return _page()


def _page(errors: dict[str, str] | None = None, code: int = 200):
    engine, user = case_engine(), current_user()
    with engine.reader.connect() as conn:
        members = in_scope(conn, user)
    names = [m.username for m in members]
    return render_template(
        "team/index.html", members=members, counts=handover.open_claimed(engine, user.gemeente),
        workers=[m for m in members if m.roles & CASEWORK_ROLES],
        absences=absence.absence_list(engine.db, user.gemeente, names), today=absence.today(),
        log=[line for line in recent(engine.db, user.gemeente, actions=LOGGED) if line.subject in names],
        errors=errors or {}, form=request.form), code


@bp.post("/overdracht")
def hand_over():
    try:
        result = handover.hand_over(case_engine(), current_user(), request.form.get("van", ""),
                                    request.form.get("naar", ""))
    except FormErrors as exc:
        return _page(exc.errors, 422)
    tasks = "taak" if result.moved == 1 else "taken"
    flash(f"{result.moved} {tasks} overgedragen aan {request.form['naar']}.")
    if result.skipped:
        flash("Niet overgedragen: " + "; ".join(result.skipped) + ".", "error")
    return redirect(url_for("team.index"))


@bp.post("/afwezigheid")
def mark_absent():
    try:
        absence.mark_absent(case_engine().db, current_user(), request.form.to_dict())
    except FormErrors as exc:
        return _page(exc.errors, 422)
    flash("De afwezigheid is vastgelegd. De vervanger ziet de taken onder Waarneming.")
    return redirect(url_for("team.index"))


@bp.post("/afwezigheid/<int:absence_id>/beeindigen")
def end_absence(absence_id: int):
    try:
        absence.end_absence(case_engine().db, current_user(), absence_id)
    except NotFound:
        abort(404)
    flash("De afwezigheid is beëindigd.")
    return redirect(url_for("team.index"))
