"""Dossier pages: a client's dossier, case notes, and starting a case (intake)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from casework import closing, dossier_summary, intake, notes, parties
from casework.accounts.admin import FormErrors
from casework.errors import NotAllowed
from casework.roles import CASE_READ_ROLES, CASEWORK_ROLES, SPECIAL_CATEGORY_ROLES
from casework.team import case_team
from engine.errors import InvalidInput, NotFound
from processes.retention import RESULTATEN
from web.audit.ldv import note_subject, processes_personal_data
from web.auth import case_engine, current_user, guard_blueprint, role_required
from web.authz import BSN_REVEAL_ROLES
from web.context import page_context
from web.dossier.chart import trede_chart
from web.dossier.present import FILTERS
from web.dossier.service import Dossier, client_of_case, dossier

bp = Blueprint("dossier", __name__, url_prefix="/dossier")
guard_blueprint(bp, CASE_READ_ROLES)
for _name, _filter in FILTERS.items():
    bp.add_app_template_filter(_filter, _name)


@bp.context_processor
def _resultaten():
    return {"resultaten": RESULTATEN}


def _dossier(client_id: int) -> tuple[Dossier, dossier_summary.Summary]:
    """The dossier with its summary (casework/dossier_summary.py); full names everywhere."""
    engine, user = case_engine(), current_user()
    summary = dossier_summary.summary(engine, user, client_id)
    return dossier(engine, user, client_id, people=summary.names), summary


def _page(found: Dossier, summary: dossier_summary.Summary, **extra):
    chart = trede_chart([(m.gemeten_op, m.trede) for m in summary.ladder])
    return render_template("dossier/show.html", d=found, s=summary, naam=summary.naam, chart=chart, **extra)


@bp.get("/<int:client_id>")
@processes_personal_data("dossier-raadplegen")
def show(client_id: int):
    try:
        found, summary = _dossier(client_id)
    except NotFound:
        abort(404)
    for case in found.cases or [{"case_number": None}]:  # a line per case read, so destruction finds it
        note_subject(found.client.get("bsn"), object_ref=case["case_number"])
    return _page(found, summary)


@bp.post("/<int:client_id>/bsn")
@role_required(*BSN_REVEAL_ROLES)
@processes_personal_data("bsn-inzien")
def reveal_bsn(client_id: int):
    """The full BSN, only on an explicit request (a POST button), logged; the page is not cached."""
    try:
        found, summary = _dossier(client_id)
    except NotFound:
        abort(404)
    for case in found.cases or [{"case_number": None}]:
        note_subject(found.client.get("bsn"), object_ref=case["case_number"], result="BSN getoond")
    return _page(found, summary, bsn_revealed=True)


@bp.get("/zaak/<int:case_id>")
def by_case(case_id: int):
    try:
        client_id = client_of_case(case_engine().db, current_user(), case_id)
    except NotFound:
        try:  # a case about a provider or employer: its page in the register (issue 18 item 2)
            party_id = parties.party_of_case(case_engine(), current_user(), case_id)
        except (NotFound, NotAllowed):
            abort(404)
        return redirect(url_for("partijen.show", party_id=party_id, _anchor=f"zaak-{case_id}"))
    return redirect(url_for("dossier.show", client_id=client_id))


@bp.post("/zaak/<int:case_id>/team")
def move_case_team(case_id: int):
    """A teamleider gives a case to another team (team-only visibility, casework/team/case_team.py)."""
    engine, user = case_engine(), current_user()
    try:
        client_id = client_of_case(engine.db, user, case_id)
        was = case_team.move_case(engine, user, case_id, request.form.get("team", ""),
                                  request.form.get("reden", ""))
    except NotFound:
        abort(404)
    except FormErrors as exc:
        return _page(*_dossier(client_id), team_errors=exc.errors, team_form=request.form,
                     team_case=case_id), 422
    flash(f"De zaak hoort nu bij team {request.form['team'].strip()} (was: {was or 'geen team'}).")
    if not case_team.still_visible(engine, user, case_id):
        flash("U ziet deze zaak niet meer: uw gemeente toont zaken alleen aan het eigen team.")
        return redirect(url_for("worklist.index"))
    return redirect(url_for("dossier.show", client_id=client_id) + "#team")


@bp.post("/zaak/<int:case_id>/afsluiten")
def close_case(case_id: int):
    """Close a case with its result (which sets its retention period): casework/closing.py."""
    engine, user = case_engine(), current_user()
    try:
        client_id = client_of_case(engine.db, user, case_id)
        rule = closing.close_case(engine, user, case_id, request.form.get("resultaat", ""))
    except NotFound:
        abort(404)
    except FormErrors as exc:
        return _page(*_dossier(client_id), close_errors=exc.errors, close_case=case_id), 422
    flash(f"De zaak is afgesloten: {rule.omschrijving} (selectielijst {rule.selectielijstklasse}, "
          f"bewaartermijn {rule.bewaartermijn}).")
    return redirect(url_for("dossier.show", client_id=client_id))


@bp.post("/<int:client_id>/notities")
@role_required(*SPECIAL_CATEGORY_ROLES)  # notes can hold health data: who reads them, writes them
def note(client_id: int):
    try:
        notes.add_note(page_context(current_user()), client_id, request.form.get("case_id", type=int) or 0,
                       request.form.get("tekst", ""))
        flash("De notitie is toegevoegd.")
    except (NotFound, NotAllowed):
        abort(404)
    except InvalidInput as exc:
        flash(str(exc), "error")
    return redirect(url_for("dossier.show", client_id=client_id) + "#notities")


@bp.route("/nieuw", methods=["GET", "POST"])
@role_required(*CASEWORK_ROLES)
def new():
    """Nieuwe zaak: casework.intake checks, writes and logs (zaak-starten) in one transaction."""
    engine, user = case_engine(), current_user()
    processes = intake.startable_processes(engine, user.gemeente)
    result = intake.IntakeResult()
    if request.method == "POST":
        result = intake.start(page_context(user), request.form.to_dict(),
                              confirmed=request.form.get("bevestig") == "ja")
        if result.case:
            flash(f"Zaak {result.case.case_number} is gestart.")
            return redirect(url_for("dossier.by_case", case_id=result.case.id))
    code = 422 if result.errors else 200
    return render_template("dossier/new.html", processes=processes, result=result,
                           form=request.form), code
