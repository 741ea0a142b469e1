"""Pages of the register of parties: the list, one party with its cases and its changes, a case's
party, and entering, editing and linking a party by hand (the rules: casework/parties.py)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from casework import parties
from casework.accounts.admin import FormErrors
from casework.dossier_summary import names
from casework.errors import NotAllowed
from casework.roles import PARTY_READ_ROLES
from engine.errors import NotFound
from processes.parties import EDITABLE, LABELS, SOORTEN
from web.auth import case_engine, current_user, guard_blueprint
from web.context import page_context

bp = Blueprint("partijen", __name__, url_prefix="/partijen")
guard_blueprint(bp, PARTY_READ_ROLES)


@bp.get("")
def index():
    try:
        found = parties.register(case_engine(), current_user())
    except NotAllowed:
        abort(403)
    return render_template("partijen/index.html", parties=found, soorten=SOORTEN)


def _show(party_id: int, errors: dict[str, str] | None = None, zaak: str = "", code: int = 200):
    try:
        party, case_list = parties.party(case_engine(), current_user(), party_id)
        changes = parties.changes(case_engine(), current_user(), party_id)
    except NotAllowed:
        abort(403)
    except NotFound:
        abort(404)
    people = names(case_engine().db, current_user().gemeente)
    return render_template("partijen/show.html", party=party, cases=case_list, soorten=SOORTEN,
                           changes=changes, labels=LABELS, errors=errors or {}, zaak=zaak,
                           naam=lambda u: people.get(u, u)), code


@bp.get("/<int:party_id>")
def show(party_id: int):
    return _show(party_id)


def _form(party_id: int | None, form: dict[str, str], errors: dict[str, str], code: int = 200):
    return render_template("partijen/form.html", party_id=party_id, form=form, errors=errors, soorten=SOORTEN,
                           labels=LABELS), code


@bp.get("/nieuw")
def new():
    return _form(None, {"soort": "werkgever"}, {})


@bp.get("/<int:party_id>/wijzigen")
def edit(party_id: int):
    try:
        party, _ = parties.party(case_engine(), current_user(), party_id)
    except NotAllowed:
        abort(403)
    except NotFound:
        abort(404)
    return _form(party_id, {name: getattr(party, name) or "" for name in EDITABLE}, {})


@bp.post("/nieuw")
def create():
    return _save(None)


@bp.post("/<int:party_id>/wijzigen")
def update(party_id: int):
    return _save(party_id)


def _save(party_id: int | None):
    form = {name: request.form.get(name, "") for name in EDITABLE}
    try:
        saved = parties.save_party(page_context(current_user()), party_id, form)
    except FormErrors as exc:
        return _form(party_id, form, exc.errors, 422)
    except NotAllowed:
        abort(403)
    except NotFound:
        abort(404)
    flash(f"{saved.naam} is {'gewijzigd' if party_id else 'opgenomen in het register'}.", "success")
    return redirect(url_for("partijen.show", party_id=saved.id))


@bp.post("/<int:party_id>/zaken")
def link(party_id: int):
    zaak = request.form.get("zaak", "")
    try:
        number = parties.link_case(page_context(current_user()), party_id, zaak)
    except FormErrors as exc:
        return _show(party_id, exc.errors, zaak, 422)
    except NotAllowed:
        abort(403)
    except NotFound:
        abort(404)
    flash(f"Zaak {number} is gekoppeld aan deze partij.", "success")
    return redirect(url_for("partijen.show", party_id=party_id, _anchor="zaken-kop"))


@bp.get("/zaak/<int:case_id>")
def by_case(case_id: int):
    try:
        party_id = parties.party_of_case(case_engine(), current_user(), case_id)
    except NotAllowed:
        abort(403)
    except NotFound:
        abort(404)
    return redirect(url_for("partijen.show", party_id=party_id, _anchor=f"zaak-{case_id}"))
