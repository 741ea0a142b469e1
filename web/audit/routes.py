"""Auditor area (role auditor, read only): case history, "as of" views, exports, replay, processing log.

No route here changes anything. The one POST (the log search) is a POST only so that a BSN typed
into it never lands in a URL, a browser history or an access log.
"""
from __future__ import annotations

import json
from datetime import datetime

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for

from engine.audit import log_chain
from engine.audit.processing_log import REGISTER
from engine.errors import InvalidInput, NotFound
from engine.storage.db import utcnow
from web.app import settings_of
from web.audit import caselist, ldv, logsearch
from web.audit.pdf import case_pdf
from web.audit.plain import show
from web.audit.playback import playback
from web.audit.service import (
    AuditCase,
    audit_case,
    audit_trail,
    diagram_xml,
    export_json,
    find_case,
    local,
    parse_as_of,
)
from web.auth import case_engine, current_user, guard_blueprint

bp = Blueprint("audit", __name__, url_prefix="/audit", template_folder="templates")
guard_blueprint(bp, frozenset({"auditor"}))  # read only, and for auditors alone
bp.record_once(lambda state: ldv.init_pseudonymizer(state.app))
bp.add_app_template_filter(show, "audit_show")
bp.add_app_template_filter(local, "audit_local")
bp.add_app_template_filter(lambda text: local(datetime.fromisoformat(text)), "audit_when")  # ISO text


@bp.get("/")
def index():
    number = request.args.get("zaak", "").strip()
    if number:
        try:
            case, _ = find_case(case_engine(), current_user(), number)
            return redirect(url_for("audit.case", case_number=case["case_number"]))
        except NotFound:
            return render_template("audit/index.html", zaak=number, not_found=True, listed=_listed()), 404
    return render_template("audit/index.html", zaak="", not_found=False, listed=_listed())


@bp.context_processor
def _statuses():
    return {"caselist_statuses": caselist.STATUSES}


def _listed() -> tuple[caselist.CaseList, str]:
    status = request.args.get("status", "")
    status = status if status in caselist.STATUSES else ""
    page = request.args.get("pagina", 1, type=int)
    check = request.args.get("controle") == "1"
    return caselist.case_list(case_engine(), current_user(), status, page, check), status


@bp.get("/zaken/<case_number>")
@ldv.processes_personal_data("audit-zaakhistorie")
def case(case_number: str):
    found, error = _audit_case(case_number)
    return render_template("audit/case.html", a=found, error=error), 422 if error else 200


@bp.get("/zaken/<case_number>/export.json")
@ldv.processes_personal_data("audit-export")
def export_case_json(case_number: str):
    found, _ = _audit_case(case_number, strict=True)
    return Response(export_json(case_engine(), found, current_user(), utcnow()),
                    mimetype="application/json", headers=_download(found, "json"))


@bp.get("/zaken/<case_number>/audittrail")
@ldv.processes_personal_data("audit-zaakhistorie")
def trail(case_number: str):
    found, _ = _audit_case(case_number, strict=True)
    entries = audit_trail(case_engine(), found, current_user())
    return render_template("audit/trail.html", a=found, entries=entries)


@bp.get("/zaken/<case_number>/audittrail.json")
@ldv.processes_personal_data("audit-export")
def trail_json(case_number: str):
    found, _ = _audit_case(case_number, strict=True)
    body = json.dumps({"hoofdObject": f"urn:trede:zaak:{found.case['case_number']}",
                       "audittrail": audit_trail(case_engine(), found, current_user())},
                      ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers=_download(found, "json", "audittrail"))


@bp.get("/zaken/<case_number>/export.pdf")
@ldv.processes_personal_data("audit-export")
def export_case_pdf(case_number: str):
    found, _ = _audit_case(case_number, strict=True)
    return Response(case_pdf(case_engine(), found, current_user(), utcnow()), mimetype="application/pdf",
                    headers=_download(found, "pdf"))


@bp.get("/zaken/<case_number>/afspelen")
def replay(case_number: str):
    try:
        case, _ = find_case(case_engine(), current_user(), case_number)
    except NotFound:
        abort(404)
    return render_template("audit/replay.html", case=case)


@bp.get("/zaken/<case_number>/afspelen.json")
@ldv.processes_personal_data("audit-zaakhistorie")
def replay_data(case_number: str):
    found, _ = _audit_case(case_number, strict=True)
    return playback(found.history, lambda iid: url_for("audit.diagram", case_number=found.case["case_number"],
                                                       instance_id=iid))


@bp.get("/zaken/<case_number>/diagram/<int:instance_id>.bpmn")
def diagram(case_number: str, instance_id: int):
    try:
        xml = diagram_xml(case_engine(), current_user(), case_number, instance_id)
    except NotFound:
        abort(404)
    return Response(xml, mimetype="application/xml")


@bp.route("/logboek", methods=["GET", "POST"])
@ldv.processes_personal_data("logboek-doorzoeken")
def log():
    found = logsearch.LogSearch()
    if request.method == "POST":
        found = logsearch.run(case_engine(), logsearch.parse(current_user(), request.form.to_dict()))
        if found.query is not None:
            ldv.note_subject(found.query.subject_bsn, object_ref="verwerkingenlogboek")
    form = {k: v for k, v in request.form.items() if k not in ("bsn", "csrf_token")}
    return render_template("audit/log.html", s=found, form=form, register=REGISTER,
                           bsn_given=bool(request.form.get("bsn", "").strip())), 422 if found.errors else 200


@bp.get("/logboek/keten")
def log_chain_check():
    """The hash chain and seal of the own gemeente's processing log (engine/audit/log_chain.py)."""
    with case_engine().reader.connect() as conn:
        verdict = log_chain.verify(conn, current_user().gemeente, case_engine().sealer)
    return render_template("audit/log_chain.html", v=verdict)


@bp.get("/verwerkingsregister")
def register():
    return render_template("audit/register.html", register=REGISTER,
                           register_base=settings_of(current_app).register_base)


def _audit_case(case_number: str, strict: bool = False) -> tuple[AuditCase, str | None]:
    """The case as of ?per= (a bad date: the whole case and the error, or 400 when ``strict``),
    noted for the processing log; 404 outside the user's gemeente."""
    as_of, error = request.args.get("per"), None
    try:
        parse_as_of(as_of)
    except InvalidInput as exc:
        if strict:
            abort(400)
        as_of, error = None, str(exc)
    try:
        found = audit_case(case_engine(), current_user(), case_number, as_of)
    except NotFound:
        abort(404)
    ldv.note_subject(found.bsn, object_ref=found.case["case_number"])
    return found, error


def _download(found: AuditCase, ext: str, what: str = "") -> dict[str, str]:
    suffix = f"-per-{found.as_of.date().isoformat()}" if found.as_of else ""
    name = f"{found.case['case_number']}{'-' + what if what else ''}{suffix}.{ext}"
    return {"Content-Disposition": f'attachment; filename="{name}"'}

