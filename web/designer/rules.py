"""Routes of the rule editor (issue 20 item 6): a gemeente's decision tables in dmn-js, tested and
deployed under four eyes. Thin: the rules are in ``casework/designer/rule_changes.py``."""
from __future__ import annotations

from datetime import date

from flask import flash, jsonify, redirect, render_template, request, url_for

from casework.designer import rule_changes
from casework.errors import FormRefused
from engine.errors import ConflictError
from processes.decisions.service import LEGAL_ZONE
from web.auth import case_engine, current_user, role_required
from web.designer.routes import DESIGNERS, bp


def _today() -> date:
    """Today as a legal date (Europe/Amsterdam), on the engine's clock."""
    return case_engine().clock.now().astimezone(LEGAL_ZONE).date()


@bp.get("/regels")
@role_required(*DESIGNERS)
def rules():
    user = current_user()
    return render_template("designer/rules.html", decisions=rule_changes.decisions_of(user),
                           pending=rule_changes.list_changes(case_engine().db, user),
                           decided=rule_changes.list_changes(case_engine().db, user, status=None)[:20])


@bp.get("/regels/<decision_id>")
@role_required(*DESIGNERS)
def rule_editor(decision_id: str):
    engine, user = case_engine(), current_user()
    on_text = request.args.get("op")
    errors: dict[str, str] = {}
    on = _today()
    if on_text:
        try:
            on = rule_changes.parse_date(on_text, "op")
        except FormRefused as exc:
            errors = exc.errors
    try:
        opened = rule_changes.open_decision(engine, user, decision_id, on)
    except FormRefused as exc:
        errors, opened = exc.errors, rule_changes.open_decision(engine, user, decision_id, date.max)
    return render_template("designer/rule_editor.html", o=opened, errors=errors, today=_today(),
                           history=rule_changes.history(engine.db, user, decision_id),
                           tests=rule_changes.decision_tests(engine.db, user, decision_id)), \
        422 if errors else 200


@bp.get("/regels/<decision_id>/tabel.dmn")
@role_required(*DESIGNERS)
def rule_table(decision_id: str):
    try:
        on = rule_changes.parse_date(request.args.get("op") or _today().isoformat(), "op")
        opened = rule_changes.open_decision(case_engine(), current_user(), decision_id, on)
    except FormRefused as exc:
        return exc.errors.get("op", str(exc)), 422, {"Content-Type": "text/plain; charset=utf-8"}
    return opened.content, 200, {"Content-Type": "application/xml; charset=utf-8"}


def _payload() -> tuple[str, str, str | None]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("content"), str):
        raise FormRefused({"tabel": "de tabel ontbreekt in het verzoek"}, "Niet verwerkt")
    return body["content"], str(body.get("geldig_vanaf") or ""), body.get("toelichting")


def _checked_json(checked: rule_changes.Checked) -> dict:
    return {"ok": checked.ok,
            "problems": [{"where": p.where, "message": p.message} for p in checked.problems],
            "tests": [{"name": t.name, "passed": t.passed, "messages": t.messages} for t in checked.tests]}


@bp.post("/regels/<decision_id>/controleren")
@role_required(*DESIGNERS)
def rule_check(decision_id: str):
    """Validate the edited table as it will run and run its decision tests (JSON for the page)."""
    try:
        content, geldig_vanaf, _note = _payload()
        checked = rule_changes.check(case_engine(), current_user(), decision_id,
                                     rule_changes.parse_date(geldig_vanaf), content)
    except FormRefused as exc:
        return jsonify({"ok": False, "errors": exc.errors, "problems": [], "tests": []}), 422
    return jsonify(_checked_json(checked)), 200 if checked.ok else 422


@bp.post("/regels/<decision_id>/indienen")
@role_required("procesontwerper")
def rule_submit(decision_id: str):
    try:
        content, geldig_vanaf, note = _payload()
        result = rule_changes.submit(case_engine(), current_user(), decision_id, geldig_vanaf, content,
                                     note if isinstance(note, str) else None)
    except FormRefused as exc:
        return jsonify({"ok": False, "errors": exc.errors, "problems": [], "tests": []}), 422
    if isinstance(result, rule_changes.Checked):
        return jsonify(_checked_json(result)), 422
    flash("De wijziging is ingediend: een tweede ontwerper beoordeelt haar.")
    return jsonify({"ok": True, "id": result, "url": url_for("designer.rule_review", change_id=result)})


@bp.get("/regelwijzigingen/<int:change_id>")
@role_required(*DESIGNERS)
def rule_review(change_id: int):
    user = current_user()
    found = rule_changes.get(case_engine().db, user, change_id)
    return render_template("designer/rule_review.html", r=found, changes=rule_changes.changes(found),
                           blocked=rule_changes.may_decide(user, found))


@bp.post("/regelwijzigingen/<int:change_id>/goedkeuren")
@role_required(*DESIGNERS)
def rule_approve(change_id: int):
    try:
        outcome = rule_changes.approve(case_engine(), current_user(), change_id)
    except ConflictError as exc:
        outcome = rule_changes.Outcome(False, str(exc), [])
    flash(outcome.message, None if outcome.approved else "error")
    for problem in outcome.problems:
        flash(problem, "error")
    return redirect(url_for("designer.rule_review", change_id=change_id))


@bp.post("/regelwijzigingen/<int:change_id>/afwijzen")
@role_required(*DESIGNERS)
def rule_refuse(change_id: int):
    try:
        rule_changes.refuse(case_engine(), current_user(), change_id, request.form.get("reden", ""))
        flash("De wijziging is afgewezen of ingetrokken.")
    except ConflictError as exc:
        flash(str(exc), "error")
    return redirect(url_for("designer.rule_review", change_id=change_id))
