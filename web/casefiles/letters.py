"""A beschikking's letter and its review step (issue 18 item 9): read the concept, mark it checked,
send it to the addressee's address. The rules are in casework/letters.py; this page only translates."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from casework import letters
from casework.accounts.admin import FormErrors
from casework.dossier_summary import names
from casework.errors import NotAllowed
from casework.letter_templates import read as letter_settings
from casework.roles import CASE_READ_ROLES
from engine.errors import ConflictError, NotFound
from processes import beschikking
from web.auth import case_engine, current_user, guard_blueprint, role_required
from web.casefiles.routes import _case_in_gemeente, _sentence
from web.context import page_context

bp = Blueprint("brieven", __name__, url_prefix="/zaak")
guard_blueprint(bp, CASE_READ_ROLES)


def _letter(case_id: int, beschikking_id: int) -> tuple[int, beschikking.Beschikking, list]:
    client_id = _case_in_gemeente(case_id)
    found, _ = beschikking.BezwaarService(case_engine()).list(case_id)
    letter = next((b for b in found if b.id == beschikking_id), None)
    if letter is None:
        abort(404)
    return client_id, letter, found


def _page(case_id: int, beschikking_id: int, errors: dict[str, str] | None = None,
          form: dict[str, str] | None = None, code: int = 200):
    client_id, letter, found = _letter(case_id, beschikking_id)
    settings = letter_settings(case_engine().db, current_user().gemeente)
    people = names(case_engine().db, current_user().gemeente)
    return render_template("casefiles/brief.html", case_id=case_id, client_id=client_id, b=letter,
                           statussen=beschikking.BRIEF_STATUS, toestand=beschikking.letter_state(letter),
                           vier_ogen=settings.vier_ogen,
                           naam=lambda u: people.get(u or "", u or ""), errors=errors or {},
                           form=form if form is not None else letters.last_address(found)), code


@bp.get("/<int:case_id>/brief/<int:beschikking_id>")
def show(case_id: int, beschikking_id: int):
    return _page(case_id, beschikking_id)


@bp.post("/<int:case_id>/brief/<int:beschikking_id>/controleren")
@role_required(*letters.LETTER_ROLES)
def check(case_id: int, beschikking_id: int):
    _letter(case_id, beschikking_id)
    try:
        letters.check_letter(page_context(current_user()), case_id, beschikking_id)
    except FormErrors as exc:
        return _page(case_id, beschikking_id, errors={"controle": " ".join(exc.errors.values())}, code=422)
    except ConflictError as exc:
        return _page(case_id, beschikking_id, errors={"controle": _sentence(exc)}, code=409)
    except (NotFound, NotAllowed):
        abort(404)
    flash("De brief is gecontroleerd en kan worden verzonden.", "success")
    return redirect(url_for("brieven.show", case_id=case_id, beschikking_id=beschikking_id))


@bp.post("/<int:case_id>/brief/<int:beschikking_id>/verzenden")
@role_required(*letters.LETTER_ROLES)
def send(case_id: int, beschikking_id: int):
    _letter(case_id, beschikking_id)
    form = {k: request.form.get(k, "") for k in ("straat", "postcode", "woonplaats")}
    try:
        sent = letters.send_letter(page_context(current_user()), case_id, beschikking_id, form)
    except FormErrors as exc:
        return _page(case_id, beschikking_id, errors=exc.errors, form=form, code=422)
    except ConflictError as exc:
        return _page(case_id, beschikking_id, errors={"verzenden": _sentence(exc)}, form=form, code=409)
    except (NotFound, NotAllowed):
        abort(404)
    flash(f"De beschikking is verzonden; de bezwaartermijn loopt tot en met {sent.bezwaar_einde:%d-%m-%Y}.",
          "success")
    return redirect(url_for("brieven.show", case_id=case_id, beschikking_id=beschikking_id))
