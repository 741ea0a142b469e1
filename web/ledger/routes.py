"""Ledger page: lines per status, four-eyes approval, payment, CSV for the financial system."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for

from engine.errors import ConflictError, NotFound
from processes import ledger
from web.auth import case_engine, current_user, guard_blueprint

bp = Blueprint("ledger", __name__, url_prefix="/grootboek")
guard_blueprint(bp, frozenset({"financien"}))


@bp.get("/")
def index():
    user = current_user()
    with case_engine().reader.connect() as conn:
        found = ledger.lines(conn, gemeente=user.gemeente)
    return render_template("ledger/index.html", lines=found, soorten=ledger.SOORTEN, user=user)


@bp.post("/<int:line_id>/goedkeuren")
def approve(line_id: int):
    return _act(lambda book, user: book.approve(line_id, user.username, user.roles), line_id, "goedgekeurd")


@bp.post("/<int:line_id>/betaald")
def paid(line_id: int):
    return _act(lambda book, user: book.mark_paid(line_id, user.username, user.roles), line_id, "betaald")


def _act(action, line_id: int, done: str):
    user = current_user()
    engine = case_engine()
    with engine.reader.connect() as conn:
        try:
            if ledger.get(conn, line_id).gemeente != user.gemeente:
                abort(404)  # another gemeente's line: not even confirmed to exist
        except NotFound:
            abort(404)
    try:
        action(ledger.Ledger(engine), user)
        flash(f"Regel {line_id} is {done}.", "success")
    except ConflictError as exc:
        flash(str(exc).capitalize(), "error")
    return redirect(url_for("ledger.index"))


@bp.post("/export.csv")
def export():
    user = current_user()
    body = ledger.Ledger(case_engine()).export_csv(user.gemeente, user.username)
    return Response(
        body,
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=betaalbaar.csv"},
    )
