"""Routes of the process designer; the work is in the service modules next to this one."""
from __future__ import annotations

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for

from casework.accounts.admin import FormErrors
from casework.designer import approvals, case_migration, model_tests, version_state
from casework.designer.versions import get_version_row
from casework.errors import NotAllowed
from engine.errors import ConflictError, EngineError, InvalidInput, NotFound
from engine.models.validation import validate_bundle
from web.auth import case_engine, current_user, role_required
from web.context import page_context
from web.designer import pages

bp = Blueprint("designer", __name__, url_prefix="/ontwerp", template_folder="templates")
DESIGNERS = ("procesontwerper", "beheerder")


@bp.errorhandler(NotFound)
def _not_found(_exc):
    # Not abort(404): an exception raised inside an error handler becomes a 500.
    return render_template("error.html", title="Niet gevonden", message="Deze pagina bestaat niet."), 404


@bp.errorhandler(approvals.NotAllowed)
@bp.errorhandler(NotAllowed)
def _not_allowed(exc):
    flash(str(exc), "error")
    return redirect(request.referrer or url_for("designer.index"))


@bp.get("")
@role_required(*DESIGNERS)
def index():
    return render_template("designer/index.html", **pages.overview(case_engine(), current_user()))


@bp.get("/processen/<process_id>")
@role_required(*DESIGNERS)
def process(process_id: str):
    page = pages.process_page(case_engine(), current_user(), process_id)
    return render_template("designer/process.html", p=page, results=None, **_switch())


def _switch() -> dict:
    """Whether the version list offers (de)activation: a procesontwerper, for their gemeente's versions."""
    user = current_user()
    return {"may_switch": user.has("procesontwerper"), "user_gemeente": user.gemeente}


@bp.post("/versies/<int:version_id>/deactiveren")
@role_required("procesontwerper")
def deactivate(version_id: int):
    return _set_state(version_id, active=False)


@bp.post("/versies/<int:version_id>/activeren")
@role_required("procesontwerper")
def reactivate(version_id: int):
    return _set_state(version_id, active=True)


def _set_state(version_id: int, active: bool):
    row = get_version_row(case_engine().db, version_id, current_user().gemeente)
    change = version_state.reactivate if active else version_state.deactivate
    try:
        done = change(page_context(current_user()), version_id, request.form.get("reden", ""))
    except FormErrors as exc:
        for message in exc.errors.values():
            flash(message, "error")
    else:
        flash(f"Versie {done.version} is weer actief." if active else
              f"Versie {done.version} is gedeactiveerd: nieuwe zaken starten er niet meer op; lopende zaken "
              "gaan door.")
    return redirect(url_for("designer.process", process_id=row.process_id) + "#versies")


@bp.get("/processen/<process_id>/verschil")
@role_required(*DESIGNERS)
def diff(process_id: str):
    old_id, new_id = request.args.get("van", type=int) or 0, request.args.get("naar", type=int) or 0
    old, new, found, drawn = pages.version_diff(case_engine(), current_user(), old_id, new_id)
    return render_template("designer/diff.html", process_id=process_id, old=old, new=new, diff=found,
                           drawings=drawn)


@bp.get("/versies/<int:version_id>/modeler")
@role_required(*DESIGNERS)
def modeler(version_id: int):
    version = get_version_row(case_engine().db, version_id, current_user().gemeente)
    return render_template("designer/modeler.html", v=version)


@bp.get("/versies/<int:version_id>/bundel.json")
@role_required(*DESIGNERS)
def bundle(version_id: int):
    return jsonify(pages.modeler_bundle(case_engine(), current_user(), version_id))


@bp.get("/versies/<int:version_id>/bestanden/<path:name>")
@role_required(*DESIGNERS)
def download(version_id: int, name: str):
    text, filename = pages.download(case_engine(), current_user(), version_id, name)
    mimetype = "application/xml" if filename.endswith((".bpmn", ".dmn")) else "application/json"
    disposition = f'attachment; filename="{filename}"'
    return Response(text, mimetype=mimetype, headers={"Content-Disposition": disposition})


@bp.post("/valideren")
@role_required(*DESIGNERS)
def validate():
    try:
        files = pages.files_from_json(request.get_json(silent=True))
    except InvalidInput as exc:  # no or malformed body: the modeler's script says what is wrong
        return jsonify({"ok": False, "error": str(exc)}), 400
    problems = validate_bundle(approvals.encode_files(files))
    return jsonify({"ok": not problems, "problems": pages.problems_json(problems),
                    "translations": approvals.translations(files)})


@bp.post("/processen/<process_id>/indienen")
@role_required("procesontwerper")
def submit(process_id: str):
    payload = request.get_json(silent=True) or {}
    try:
        result = approvals.submit(case_engine().db, current_user(), process_id,
                                  payload.get("base_version_id"), pages.files_from_json(payload),
                                  payload.get("note"))
    except InvalidInput as exc:
        return jsonify({"ok": False, "message": str(exc), "problems": []}), 422
    if isinstance(result, list):
        return jsonify({"ok": False, "message": "Het model is niet geldig.",
                        "problems": pages.problems_json(result)}), 422
    return jsonify({"ok": True, "id": result, "url": url_for("designer.review", pending_id=result)})


@bp.get("/aanvragen/<int:pending_id>")
@role_required(*DESIGNERS)
def review(pending_id: int):
    engine, user = case_engine(), current_user()
    found = approvals.get_pending(engine.db, pending_id, user.gemeente)
    diff, drawn = pages.request_diff(engine, found)
    return render_template("designer/review.html", r=found, diff=diff, drawings=drawn,
                           blocked=approvals.may_decide(user, found),
                           translations=approvals.translations(found.files))


@bp.post("/aanvragen/<int:pending_id>/goedkeuren")
@role_required(*approvals.APPROVER_ROLES)
def approve(pending_id: int):
    try:
        decision = approvals.approve(case_engine(), pending_id, current_user())
    except ConflictError as exc:
        decision = approvals.Decision(False, str(exc), [], [])
    flash(decision.message, None if decision.approved else "error")
    for problem in decision.problems:
        flash(problem, "error")
    return redirect(url_for("designer.review", pending_id=pending_id))


@bp.post("/aanvragen/<int:pending_id>/afwijzen")
@role_required(*DESIGNERS)
def refuse(pending_id: int):
    approvals.refuse(case_engine().db, pending_id, current_user(), request.form.get("reden", ""))
    flash("Het uitrolverzoek is afgewezen of ingetrokken.")
    return redirect(url_for("designer.review", pending_id=pending_id))


@bp.get("/processen/<process_id>/migratie")
@role_required(*DESIGNERS)
def migration(process_id: str):
    target = request.args.get("naar", type=int)
    checks = None
    if target:
        checks = case_migration.dry_run(case_engine(), current_user().gemeente, process_id,
                                    request.args.get("van", type=int), target)
    page = pages.process_page(case_engine(), current_user(), process_id)
    return render_template("designer/migration.html", p=page, checks=checks, target=target,
                           source=request.args.get("van", type=int),
                           migrated=case_migration.recent(case_engine(), current_user().gemeente, process_id))


@bp.post("/processen/<process_id>/migratie")
@role_required(*DESIGNERS)
def migrate(process_id: str):
    target = request.form.get("naar", type=int) or 0
    ids = [int(i) for i in request.form.getlist("instantie") if i.isdigit()]
    results = case_migration.migrate(case_engine(), current_user(), process_id, target, ids)
    for result in results:
        flash(result.message, None if result.migrated else "error")
    if not results:
        flash("Er was geen instantie gekozen.", "error")
    return redirect(url_for("designer.migration", process_id=process_id, naar=target))


@bp.post("/processen/<process_id>/migratie/<int:instance_id>/terugzetten")
@role_required(*DESIGNERS)
def revert(process_id: str, instance_id: int):
    result = case_migration.revert(case_engine(), current_user(), process_id, instance_id)
    flash(result.message, None if result.migrated else "error")
    return redirect(url_for("designer.migration", process_id=process_id))


@bp.post("/processen/<process_id>/tests")
@role_required(*DESIGNERS)
def add_test(process_id: str):
    form = request.form
    try:
        model_tests.add_test(case_engine().db, current_user().gemeente, form.get("soort", "process"),
                             form.get("doel") or process_id, form.get("naam", ""), form.get("scenario", ""),
                             current_user().username)
        flash("De modeltest is opgeslagen.")
    except InvalidInput as exc:
        flash(str(exc), "error")
    return redirect(url_for("designer.process", process_id=process_id) + "#tests")


@bp.post("/processen/<process_id>/tests/<int:test_id>/verwijderen")
@role_required(*DESIGNERS)
def delete_test(process_id: str, test_id: int):
    model_tests.delete_test(case_engine().db, test_id, current_user().gemeente)
    flash("De modeltest is verwijderd.")
    return redirect(url_for("designer.process", process_id=process_id) + "#tests")


@bp.post("/processen/<process_id>/tests/uitvoeren")
@role_required(*DESIGNERS)
def run_tests(process_id: str):
    """Run the process's tests on the edited bundle (JSON from the modeler) or the active version."""
    engine, user = case_engine(), current_user()
    payload = request.get_json(silent=True)
    try:
        files = pages.files_from_json(payload) if payload is not None else None
        outcomes = pages.run_tests(engine, user, process_id, files)
    except EngineError as exc:
        return jsonify({"ok": False, "message": str(exc), "results": []}), 422
    if payload is not None:
        return jsonify({"ok": all(o.passed for o in outcomes),
                        "results": [o.__dict__ for o in outcomes]})
    page = pages.process_page(engine, user, process_id)
    return render_template("designer/process.html", p=page, results=outcomes, **_switch())


# The rule editor's routes live next door and join this blueprint (issue 20 item 6).
from web.designer import rules as _rules  # noqa: E402,F401
