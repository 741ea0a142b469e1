"""Pages of the register of parties: the list, one party with its cases, and a case's party."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for

from casework import parties
from casework.errors import NotAllowed
from casework.roles import PARTY_READ_ROLES
from engine.errors import NotFound
from processes.parties import SOORTEN
from web.auth import case_engine, current_user, guard_blueprint

bp = Blueprint("partijen", __name__, url_prefix="/partijen")
guard_blueprint(bp, PARTY_READ_ROLES)


@bp.get("")
def index():
    try:
        found = parties.register(case_engine(), current_user())
    except NotAllowed:
        abort(403)
    return render_template("partijen/index.html", parties=found, soorten=SOORTEN)


@bp.get("/<int:party_id>")
def show(party_id: int):
    try:
        party, case_list = parties.party(case_engine(), current_user(), party_id)
    except NotAllowed:
        abort(403)
    except NotFound:
        abort(404)
    return render_template("partijen/show.html", party=party, cases=case_list, soorten=SOORTEN)


@bp.get("/zaak/<int:case_id>")
def by_case(case_id: int):
    try:
        party_id = parties.party_of_case(case_engine(), current_user(), case_id)
    except NotAllowed:
        abort(403)
    except NotFound:
        abort(404)
    return redirect(url_for("partijen.show", party_id=party_id, _anchor=f"zaak-{case_id}"))
