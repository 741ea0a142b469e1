"""Beheer pages. Every lookup is within the beheerder's gemeente (another gemeente's user: 404);
the rules themselves (last beheerder, never delete, the log) live in casework/accounts/admin.py."""
from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for

from casework import destruction, incidents, letter_templates
from casework.accounts import admin, teams
from casework.accounts.adminlog import recent
from casework.roles import ROLES
from casework.team.caseload import caseload
from engine.errors import ConflictError, NotFound
from engine.scheduling import inbox
from engine.storage.db import read_only
from web.auth import case_engine, current_user, guard_blueprint
from web.context import page_context

bp = Blueprint("beheer", __name__, url_prefix="/beheer")
guard_blueprint(bp, frozenset({"beheerder"}))


@bp.get("")
def index():
    return _index()


def _index(errors: dict[str, str] | None = None, code: int = 200):
    db, user = case_engine().db, current_user()
    with read_only(db).connect() as conn:
        scoped = teams.team_scoped(conn, user.gemeente)
    return render_template("beheer/index.html", users=admin.accounts(db, user.gemeente),
                           teams=teams.team_list(db, user.gemeente), scoped=scoped, roles=ROLES,
                           log=recent(db, user.gemeente), errors=errors or {}, form=request.form), code


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
def new():
    db, user = case_engine().db, current_user()
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            created = admin.create_account(db, user, request.form.to_dict(), request.form.getlist("rollen"))
            flash(f"Gebruiker {created.username} is aangemaakt.")
            return redirect(url_for("beheer.user", user_id=created.id))
        except admin.FormErrors as exc:
            errors = exc.errors
    return render_template("beheer/new.html", roles=ROLES, team_options=_team_options(user.gemeente),
                           errors=errors, form=request.form,
                           chosen=request.form.getlist("rollen")), 422 if errors else 200


@bp.get("/gebruikers/<int:user_id>")
def user(user_id: int):
    return _user_page(user_id)


def _user_page(user_id: int, errors: dict[str, str] | None = None, code: int = 200):
    db, me = case_engine().db, current_user()
    try:
        found = admin.account(db, me, user_id)
    except NotFound:
        abort(404)
    with read_only(db).connect() as conn:
        load = caseload(conn, me.gemeente, found.username) if found.active else None
    return render_template("beheer/user.html", account=found, roles=ROLES, errors=errors or {},
                           successor_first=admin.successor_first(found.naam, load)
                           if load and load.case_ids else None,
                           team_options=_team_options(me.gemeente),
                           log=recent(db, me.gemeente, found.username),
                           form=request.form), code


@bp.post("/gebruikers/<int:user_id>/rollen")
def roles(user_id: int):
    return _change(user_id, lambda db, me: admin.change_roles(
        db, me, user_id, request.form.getlist("rollen"), request.form.get("team", "")),
        "De rollen en het team zijn opgeslagen.")


@bp.post("/gebruikers/<int:user_id>/status")
def status(user_id: int):
    active = request.form.get("actief") == "ja"
    reason = request.form.get("reden", "")
    return _change(user_id, lambda db, me: admin.set_active(db, me, user_id, active, reason),
                   "De gebruiker is weer actief." if active else "De gebruiker is gedeactiveerd.")


@bp.post("/gebruikers/<int:user_id>/wachtwoord")
def password(user_id: int):
    return _change(user_id, lambda db, me: admin.reset_password(db, me, user_id, request.form.to_dict()),
                   "Het nieuwe wachtwoord is ingesteld. Geef het persoonlijk door.")


def _change(user_id: int, action, done: str):
    try:
        action(case_engine().db, current_user())
    except NotFound:
        abort(404)
    except admin.FormErrors as exc:
        return _user_page(user_id, exc.errors, 422)
    flash(done)
    return redirect(url_for("beheer.user", user_id=user_id))


@bp.post("/teams")
def team_create():
    try:
        teams.create_team(case_engine().db, current_user(), request.form.get("teamnaam", ""))
    except admin.FormErrors as exc:
        return _index(exc.errors, 422)
    flash("Het team is aangemaakt.")
    return redirect(url_for("beheer.index", _anchor="teams"))


@bp.post("/teams/<int:team_id>")
def team_rename(team_id: int):
    try:
        teams.rename_team(case_engine(), current_user(), team_id, request.form.get("teamnaam", ""))
    except NotFound:
        abort(404)
    except admin.FormErrors as exc:
        return _index({f"teamnaam-{team_id}": exc.errors["teamnaam"]}, 422)
    flash("Het team is hernoemd.")
    return redirect(url_for("beheer.index", _anchor="teams"))


@bp.post("/instellingen")
def settings():
    teams.set_team_scoped(case_engine().db, current_user(), request.form.get("team_scoped") == "ja")
    flash("De instelling is opgeslagen.")
    return redirect(url_for("beheer.index", _anchor="instellingen"))


@bp.route("/briefsjabloon", methods=["GET", "POST"])
def letter_template():
    """The gemeente's letter template (casework/letter_templates.py): name, sender, signature, logo."""
    db, user = case_engine().db, current_user()
    errors: dict[str, str] = {}
    if request.method == "POST":
        upload = request.files.get("brief_logo")
        logo = upload.read() if upload and upload.filename else None
        try:
            letter_templates.save(db, user, request.form.to_dict(), logo,
                                  remove_logo=request.form.get("logo_weg") == "ja")
        except admin.FormErrors as exc:
            errors = exc.errors
        else:
            flash("De briefsjabloon is opgeslagen; nieuwe brieven gebruiken hem.")
            return redirect(url_for("beheer.letter_template"))
    settings = letter_templates.read(db, user.gemeente)
    form = request.form if errors else {
        "brief_naam": settings.hoofd.naam, "brief_afzender": settings.hoofd.afzender,
        "brief_ondertekening": settings.hoofd.ondertekening,
        "brief_vier_ogen": "ja" if settings.vier_ogen else ""}
    return render_template("beheer/briefsjabloon.html", form=form, errors=errors,
                           has_logo=settings.has_logo), 422 if errors else 200


@bp.get("/briefsjabloon/voorbeeld.pdf")
def letter_preview():
    """A sample beschikking in the gemeente's template, to see the letterhead before a real letter."""
    pdf = letter_templates.sample_letter(case_engine().db, current_user().gemeente)
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", download_name="voorbeeldbrief.pdf")


def _team_options(gemeente: str) -> list[tuple[str, str]]:
    return [(t.name, t.name) for t in teams.team_list(case_engine().db, gemeente)]


@bp.get("/berichten")
def dead_letters():
    """Messages no waiting case matched (issue 5): what came in, when, and why it was not delivered."""
    letters = inbox.dead_letters(case_engine(), current_user().gemeente)
    return render_template("beheer/berichten.html", letters=letters)


@bp.post("/berichten/<int:message_id>/opnieuw")
def replay_message(message_id: int):
    user = current_user()
    try:
        receipt = inbox.replay(case_engine(), message_id, user.gemeente, user.username)
    except inbox.StillUndeliverable as exc:  # still no case waiting for it: it stays in the list
        flash(f"Bericht {message_id} is niet afgeleverd: {exc}. Het blijft in de lijst.", "error")
    except NotFound:  # not a dead letter of this gemeente
        abort(404)
    else:
        flash(f"Bericht {message_id} is opnieuw aangeboden en afgeleverd bij {receipt.delivered} zaak/zaken.")
    return redirect(url_for("beheer.dead_letters"))


@bp.get("/vernietiging")
def destruction_page(errors: dict[str, str] | None = None, code: int = 200):
    """Closed cases past their retention period, and the four-eyes destruction lists."""
    due, lists = destruction.overview(case_engine(), current_user().gemeente)
    return render_template("beheer/vernietiging.html", due=due, lists=lists, errors=errors or {},
                           chosen=set(request.form.getlist("zaak"))), code


@bp.post("/vernietiging")
def destruction_propose():
    try:
        list_id = destruction.propose(case_engine(), current_user(), request.form.getlist("zaak"))
    except admin.FormErrors as exc:
        return destruction_page(exc.errors, 422)
    flash(f"Vernietigingslijst {list_id} is opgesteld. Een andere beheerder keurt haar goed; "
          "pas dan worden de zaken vernietigd.")
    return redirect(url_for("beheer.destruction_page"))


@bp.post("/vernietiging/<int:list_id>/goedkeuren")
def destruction_approve(list_id: int):
    try:
        count = destruction.approve(case_engine(), current_user(), list_id)
    except NotFound:
        abort(404)
    except ConflictError as exc:  # four eyes, or already carried out
        flash(f"Vernietigingslijst {list_id} is niet uitgevoerd: {exc}.", "error")
    else:
        flash(f"Vernietigingslijst {list_id} is uitgevoerd: {count} zaken vernietigd. "
              "Van elke zaak blijft een verslag van de vernietiging bewaard.")
    return redirect(url_for("beheer.destruction_page"))


@bp.get("/incidenten")
def incidents_page(errors: dict[str, str] | None = None, code: int = 200):
    """Cases a failed background step put aside (issue 17): see them, retry, or cancel with a reason."""
    shown = incidents.list_incidents(page_context(current_user()))
    return render_template("beheer/incidenten.html", shown=shown, more=len(shown) >= incidents.MAX_SHOWN,
                           errors=errors or {}, form=request.form), code


@bp.post("/incidenten/<int:incident_id>/opnieuw")
def incident_retry(incident_id: int):
    try:
        incident = incidents.retry_incident(page_context(current_user()), incident_id)
    except NotFound:  # not an incident of this gemeente
        abort(404)
    except ConflictError as exc:  # someone else acted first
        flash(f"Incident {incident_id}: {exc}.", "error")
    else:
        if incident.status == "open":  # failed again: it stays in the list, counted once more
            flash(f"Incident {incident.id} ({incident.case_number}) is opnieuw geprobeerd en mislukte weer "
                  f"({incident.occurrences} keer): {incident.error}", "error")
        else:
            flash(f"Incident {incident.id} ({incident.case_number}) is opnieuw geprobeerd: "
                  "de zaak loopt weer.")
    return redirect(url_for("beheer.incidents_page"))


@bp.post("/incidenten/<int:incident_id>/beeindigen")
def incident_cancel(incident_id: int):
    try:
        incident = incidents.cancel_incident(page_context(current_user()), incident_id,
                                             request.form.get("reden", ""))
    except NotFound:
        abort(404)
    except admin.FormErrors as exc:
        return incidents_page({f"reden-{incident_id}": exc.errors["reden"]}, 422)
    except ConflictError as exc:
        flash(f"Incident {incident_id}: {exc}.", "error")
    else:
        flash(f"Het proces van incident {incident.id} ({incident.case_number}) is beëindigd; "
              "de reden staat in de zaakhistorie.")
    return redirect(url_for("beheer.incidents_page"))
