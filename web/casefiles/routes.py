"""Documents and bezwaar on a case, shown as a section of the dossier page.

Every object is looked up with the user's gemeente: a case of another gemeente answers 404.
"""

from __future__ import annotations

import base64
import io

from flask import Blueprint, abort, flash, redirect, request, send_file, url_for
from sqlalchemy import select

from casework import bezwaar, correction
from casework.accounts.admin import FormErrors
from casework.documents import UPLOAD_SOORTEN, upload_document
from casework.errors import NotAllowed
from casework.roles import CASE_READ_ROLES, CASEWORK_ROLES
from casework.team import case_casemanager
from casework.visibility import may_see_case
from engine.errors import ConflictError, InvalidInput, NotFound
from engine.storage.db import cases
from processes import beschikking, documents
from web.auth import case_engine, current_user, guard_blueprint, role_required
from web.context import page_context

bp = Blueprint("casefiles", __name__, url_prefix="/zaak")
guard_blueprint(bp, CASE_READ_ROLES)


def _case_in_gemeente(case_id: int) -> int | None:
    """The case's client id (None: a case about a party), or 404 when the case is not of the
    user's gemeente."""
    with case_engine().reader.connect() as conn:
        row = conn.execute(
            select(cases.c.client_id).where(
                cases.c.id == case_id, cases.c.gemeente == current_user().gemeente
            )
        ).first()
        if row is not None and not may_see_case(conn, current_user(), case_id):
            row = None  # another team's case, where the gemeente chose team-only visibility
    if row is None:
        abort(404)
    return row.client_id


def _back(client_id: int | None, anchor: str = "documenten", case_id: int | None = None):
    if client_id is None:  # a provider's or employer's case: its page in the register of parties
        return redirect(url_for("partijen.by_case", case_id=case_id))
    return redirect(url_for("dossier.show", client_id=client_id, _anchor=anchor))


@bp.app_template_global()
def correctable_tasks(case_id: int) -> list[correction.CompletedTask]:
    """For a teamleider's "Taak heropenen" section: completions in the case's running processes."""
    if not current_user().roles & correction.CORRECTING_ROLES:
        return []
    engine = case_engine()
    with engine.reader.connect() as conn:
        return correction.correctable_tasks(conn, case_id, engine.specs)


@bp.post("/<int:case_id>/correctie")
@role_required(*correction.CORRECTING_ROLES)
def correct_task(case_id: int):
    """A teamleider reopens a completed task with a reason (casework/correction.py)."""
    client_id = _case_in_gemeente(case_id)
    try:
        done = correction.correct(page_context(current_user()), case_id, request.form.get("taak", ""),
                                  request.form.get("reden", ""))
    except NotFound:
        abort(404)
    except (FormErrors, NotAllowed) as exc:
        for message in (exc.errors.values() if isinstance(exc, FormErrors) else [_sentence(exc)]):
            flash(message, "error")
        return _back(client_id, "correctie", case_id)
    flash(f"De taak ‘{done.task_name}’ is heropend en staat weer open.", "success")
    if done.follow_ups:
        flash("Nagaan wat al op de taak volgde: " + "; ".join(done.follow_ups) + ".", "error")
    return _back(client_id, "correctie", case_id)


@bp.app_template_global()
def casemanager_of(case_id: int) -> dict | None:
    """For a teamleider's "Casemanager wijzigen" section: who it is now and who it may become."""
    if not current_user().roles & case_casemanager.CHANGING_ROLES:
        return None
    ctx = page_context(current_user())
    try:
        now = case_casemanager.current(ctx, case_id)
    except NotFound:
        return None
    people = case_casemanager.candidates(ctx)
    names = {u.username: u.naam for u in people}
    return {"username": now, "naam": names.get(now or "", now), "candidates": people}


@bp.post("/<int:case_id>/casemanager")
@role_required(*case_casemanager.CHANGING_ROLES)
def change_casemanager(case_id: int):
    """A teamleider gives the case another casemanager: open and future tasks follow (issue 18 item 5)."""
    client_id = _case_in_gemeente(case_id)
    try:
        done = case_casemanager.change_casemanager(page_context(current_user()), case_id,
                                                   request.form.get("casemanager", ""))
    except NotFound:
        abort(404)
    except (FormErrors, NotAllowed) as exc:
        for message in (exc.errors.values() if isinstance(exc, FormErrors) else [_sentence(exc)]):
            flash(message, "error")
        return _back(client_id, "casemanager", case_id)
    naam = next((u.naam for u in case_casemanager.candidates(page_context(current_user()))
                 if u.username == done.naar), done.naar)
    flash(f"{naam} is nu de casemanager van zaak {done.case_number}: {done.moved} open "
          f"{'taak' if done.moved == 1 else 'taken'} en de taken die nog komen gaan naar {naam}.", "success")
    for skipped in done.skipped:
        flash(f"Niet overgedragen: {skipped}.", "error")
    return _back(client_id, "casemanager", case_id)


@bp.app_template_global()
def case_files(case_id: int) -> dict:
    """For the dossier section: the case's documents, beschikkingen and bezwaren."""
    engine = case_engine()
    besch, bezw = beschikking.BezwaarService(engine).list(case_id)
    return {
        "documents": documents.Documents(engine).list(case_id),
        "beschikkingen": besch,
        "bezwaren": bezw,
        "soorten": UPLOAD_SOORTEN,
        "labels": documents.SOORTEN,
        "can_work": bool(current_user().roles & CASEWORK_ROLES),
    }  # auditors read only


@bp.post("/<int:case_id>/documenten")
@role_required(*CASEWORK_ROLES)
def upload(case_id: int):
    client_id = _case_in_gemeente(case_id)
    upload_file = request.files.get("bestand")
    if upload_file is None or not upload_file.filename:
        flash("Bestand: kies een bestand om te uploaden.", "error")
        return _back(client_id, case_id=case_id)
    content = upload_file.read(documents.MAX_BYTES + 1)  # never more than the limit into memory
    try:
        doc = upload_document(page_context(current_user()), case_id, request.form.get("soort", ""),
                              upload_file.filename, content)
    except (NotFound, NotAllowed):
        abort(404)
    except InvalidInput as exc:
        flash(_sentence(exc), "error")
        return _back(client_id, case_id=case_id)
    flash(f"Document {doc.filename} is toegevoegd.", "success")
    return _back(client_id, case_id=case_id)


@bp.get("/<int:case_id>/documenten/<int:doc_id>")
def download(case_id: int, doc_id: int):
    _case_in_gemeente(case_id)
    try:
        doc, content = documents.Documents(case_engine()).download(doc_id)
    except NotFound:
        abort(404)
    except ConflictError:
        abort(409)  # the checksum does not match: never serve altered content
    if doc.case_id != case_id:
        abort(404)
    # send_file encodes a non-ASCII name per RFC 6266/5987; always a download, never rendered inline
    response = send_file(
        io.BytesIO(content),
        mimetype=doc.content_type,
        as_attachment=True,
        download_name=doc.filename,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Digest"] = "sha-256=" + base64.b64encode(bytes.fromhex(doc.sha256)).decode()
    return response


@bp.post("/<int:case_id>/bezwaar")
@role_required(*CASEWORK_ROLES)
def register_bezwaar(case_id: int):
    client_id = _case_in_gemeente(case_id)
    try:
        found = bezwaar.register(page_context(current_user()), case_id, request.form)
    except NotFound:
        abort(404)
    except FormErrors as exc:
        for message in exc.errors.values():
            flash(message, "error")
        return _back(client_id, "bezwaar", case_id)
    if found.status == "niet-ontvankelijk":
        flash(
            "Het bezwaar is geregistreerd en niet-ontvankelijk: te laat en niet verschoonbaar (Awb 6:11).",
            "error",
        )
    else:
        flash("Het bezwaar is geregistreerd; de beslistermijn (Awb 7:10) staat bij de termijnen.", "success")
    return _back(client_id, "bezwaar", case_id)


@bp.post("/<int:case_id>/bezwaar/<int:bezwaar_id>")
@role_required(*bezwaar.DECIDING_ROLES)
def decide_bezwaar(case_id: int, bezwaar_id: int):
    client_id = _case_in_gemeente(case_id)
    try:
        found = bezwaar.decide(page_context(current_user()), case_id, bezwaar_id,
                               request.form.get("uitkomst", ""), request.form.get("motivering", ""),
                               horen=request.form.get("horen", ""))
    except FormErrors as exc:
        for message in exc.errors.values():
            flash(message, "error")
        return _back(client_id, "bezwaar", case_id)
    except ConflictError as exc:
        flash(_sentence(exc), "error")
        return _back(client_id, "bezwaar", case_id)
    except NotFound:
        abort(404)
    flash(f"Op het bezwaar is beslist: {found.status}.", "success")
    return _back(client_id, "bezwaar", case_id)


def _sentence(exc: Exception) -> str:
    text = str(exc)
    return text[:1].upper() + text[1:]
