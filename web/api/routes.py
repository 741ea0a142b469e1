"""The REST routes: a few lines each, the engine does the work."""
from __future__ import annotations

import base64
import binascii

from flask import current_app, g, jsonify, request, url_for
from sqlalchemy import select

from casework import intake, letters, parties
from casework.designer import approvals
from casework.documents import upload_document
from casework.intake import NewCase, bsn_error
from casework.notes import add_note
from casework.tasks import claim_task, complete_task, release_task
from engine.errors import InvalidInput, NotFound
from engine.scheduling import inbox
from engine.service import CaseEngine, WorkItem
from engine.storage.db import cases, clients, instances
from processes.bsn import normalize_bsn
from web.api import bp
from web.api.auth import requires
from web.api.errors import ApiError
from web.api.openapi import document
from web.api.schemas import (
    BodyRefused,
    CompleteBody,
    DecisionBody,
    DeployRequestBody,
    DocumentBody,
    LetterAddressBody,
    M,
    MessageBody,
    NewCaseBody,
    NoteBody,
    PartyBody,
    StartProcessBody,
    TaskQuery,
    VersionBody,
    header_key,
    parse,
    parse_query,
)
from web.audit.ldv import note_subject, processes_personal_data
from web.context import api_context


def _engine() -> CaseEngine:
    return current_app.extensions["trede.engine"]


def _body(model: type[M], empty_ok: bool = False) -> M:
    """The body checked against the operation's schema (web/api/schemas.py): 400 or 422 with the
    message per field, before anything is read from the database."""
    return parse(model, request.get_data(cache=True), empty_ok=empty_ok)


def _own_case(case_id: int, note: bool = True) -> dict:
    """The case, if it belongs to the caller's gemeente; another gemeente's case does not exist.

    Noted as the request's data subject for the processing log (api-raadplegen, api-muteren)."""
    with _engine().reader.connect() as conn:
        row = conn.execute(select(cases, clients.c.bsn).outerjoin(clients, clients.c.id == cases.c.client_id)
                           .where(cases.c.id == case_id)).mappings().first()
    if row is None or row["gemeente"] != g.principal.gemeente:
        raise NotFound(f"zaak {case_id} bestaat niet")
    if note:
        note_subject(row["bsn"], object_ref=row["case_number"])
    return dict(row)


def _note_cases(case_ids: set[int]) -> None:
    """Each client whose tasks a list shows is a data subject of the read."""
    if not case_ids:
        return
    with _engine().reader.connect() as conn:
        rows = conn.execute(select(cases.c.case_number, clients.c.bsn)
                            .outerjoin(clients, clients.c.id == cases.c.client_id)
                            .where(cases.c.id.in_(sorted(case_ids))).order_by(cases.c.id)).all()
    for row in rows:
        note_subject(row.bsn, object_ref=row.case_number)


def _case_json(row: dict) -> dict:
    with _engine().reader.connect() as conn:
        procs = conn.execute(select(instances.c.id, instances.c.process_id, instances.c.status)
                             .where(instances.c.case_id == row["id"]).order_by(instances.c.id)).mappings()
        procs = [dict(p) for p in procs]
    return {"id": row["id"], "case_number": row["case_number"], "gemeente": row["gemeente"],
            "status": row["status"], "version": row["version"], "instances": procs}


def _task_json(t: WorkItem) -> dict:
    return {"task_id": t.task_id, "case_id": t.case_id, "case_number": t.case_number,
            "case_version": t.case_version, "process_id": t.process_id, "task_name": t.task_name,
            "title": t.title, "lane": t.lane, "claimed_by": t.claimed_by,
            "created_at": t.created_at.isoformat(), "due_at": t.due_at.isoformat() if t.due_at else None}


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())


@bp.post("/cases")
@requires("cases:write")
def create_case():
    """The intake's rules and its one transaction (casework.intake); 422 with a message per field."""
    body = _body(NewCaseBody)
    geboortedatum = body.geboortedatum.isoformat() if body.geboortedatum else ""
    case = intake.open_case(api_context(), NewCase(body.bsn, body.naam, body.process_id, geboortedatum,
                                                   body.data))
    return jsonify(_case_json(_own_case(case.id, note=False))), 201


@bp.get("/cases/<int:case_id>")
@requires("cases:read")
@processes_personal_data("api-raadplegen")
def get_case(case_id: int):
    return jsonify(_case_json(_own_case(case_id)))


@bp.get("/cases/<int:case_id>/events")
@requires("cases:read")
@processes_personal_data("api-raadplegen")
def case_events(case_id: int):
    _own_case(case_id)
    return jsonify([{"seq": e.seq, "kind": e.kind, "actor": e.actor, "at": e.at.isoformat(),
                     "task_id": e.task_id, "task_name": e.task_name, "hash": e.hash}
                    for e in _engine().history(case_id)])


@bp.post("/cases/<int:case_id>/processes")
@requires("cases:write")
def start_process(case_id: int):
    body = _body(StartProcessBody)
    _, instance_id = intake.start_process(api_context(), case_id, body.process_id, body.data,
                                          body.expected_version)
    return jsonify({"instance_id": instance_id, **_case_json(_own_case(case_id, note=False))}), 201


@bp.post("/cases/<int:case_id>/notes")
@requires("cases:write")
def add_case_note(case_id: int):
    """The dossier page's use case (casework/notes.py): its rules, its ``note_added`` event, its log line."""
    body = _body(NoteBody)
    try:
        note_id = add_note(api_context(), None, case_id, body.tekst)
    except InvalidInput as exc:
        raise ApiError(422, str(exc), "tekst") from exc
    return jsonify({"note_id": note_id, **_version(case_id)}), 201


@bp.post("/cases/<int:case_id>/documents")
@requires("cases:write")
def add_case_document(case_id: int):
    """The case file's upload (casework/documents.py): the same checks of the bytes, event and log line."""
    body = _body(DocumentBody)
    try:
        content = base64.b64decode(body.inhoud, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise ApiError(422, "Inhoud: geen geldige base64.", "inhoud") from exc
    try:
        doc = upload_document(api_context(), case_id, body.soort, body.bestandsnaam, content)
    except InvalidInput as exc:
        raise ApiError(422, f"{str(exc)[:1].upper()}{str(exc)[1:]}", "inhoud") from exc
    return jsonify({"document_id": doc.id, "filename": doc.filename, "content_type": doc.content_type,
                    "size": doc.size, "sha256": doc.sha256, **_version(case_id)}), 201


def _letter_json(letter) -> dict:
    return {"id": letter.id, "case_id": letter.case_id, "brief_status": letter.brief_status,
            "gecontroleerd_door": letter.gecontroleerd_door, "verzonden_door": letter.verzonden_door,
            "verzonden_op": letter.verzonden_op.isoformat() if letter.verzonden_op else None,
            "bezwaar_einde": letter.bezwaar_einde.isoformat() if letter.bezwaar_einde else None,
            "document_id": letter.document_id, "heropend": letter.heropend, **_version(letter.case_id)}


@bp.post("/letters/<int:beschikking_id>/controle")
@requires("cases:write")
def check_letter(beschikking_id: int):
    """The letter page's review step (casework/letters.py): concept -> gecontroleerd, four eyes as the
    gemeente set them, the chained ``beschikking_gecontroleerd`` event and its log line."""
    ctx = api_context()
    checked = letters.check_letter(ctx, letters.case_of_letter(ctx, beschikking_id), beschikking_id)
    return jsonify(_letter_json(checked))


@bp.post("/letters/<int:beschikking_id>/verzending")
@requires("cases:write")
def send_letter(beschikking_id: int):
    """gecontroleerd -> verzonden, to the address in the body: the letter in the gemeente's template,
    dated today; the objection term runs from that date (Awb 3:41, 6:8)."""
    body = _body(LetterAddressBody)
    ctx = api_context()
    sent = letters.send_letter(ctx, letters.case_of_letter(ctx, beschikking_id), beschikking_id,
                               body.model_dump())
    return jsonify(_letter_json(sent))


def _party_json(party) -> dict:
    return {"id": party.id, "soort": party.soort, "naam": party.naam, "kvk": party.kvk,
            "contactpersoon": party.contactpersoon, "email": party.email, "telefoon": party.telefoon,
            "adres": party.adres, "postcode": party.postcode, "plaats": party.plaats,
            "updated_at": party.updated_at.isoformat()}


@bp.post("/parties")
@requires("parties:write")
def create_party():
    """The register page's use case (casework/parties.py): its checks, the change recorded, its log line."""
    body = _body(PartyBody)
    return jsonify(_party_json(parties.save_party(api_context(), None, body.model_dump()))), 201


@bp.put("/parties/<int:party_id>")
@requires("parties:write")
def update_party(party_id: int):
    """Every field of the gemeente's party, as the page's edit form; each change recorded, old -> new."""
    body = _body(PartyBody)
    return jsonify(_party_json(parties.save_party(api_context(), party_id, body.model_dump())))


def _version(case_id: int) -> dict:
    with _engine().reader.connect() as conn:
        version = conn.execute(select(cases.c.version).where(cases.c.id == case_id)).scalar()
    return {"case_id": case_id, "case_version": version}


@bp.get("/tasks")
@requires("tasks:read")
@processes_personal_data("api-raadplegen")
def list_tasks():
    query = parse_query(TaskQuery, {k: v for k, v in request.args.items() if v != ""})
    items = _engine().ready_tasks(gemeente=g.principal.gemeente, case_id=query.case_id,
                                  claimed_by=query.claimed_by)
    _note_cases({t.case_id for t in items})
    return jsonify([_task_json(t) for t in items])


@bp.post("/tasks/<task_id>/claim")
@requires("tasks:write")
def claim(task_id: str):
    body = _body(VersionBody, empty_ok=True)
    case = claim_task(api_context(), task_id, body.expected_version)
    return jsonify({"case_id": case.id, "case_version": case.version})


@bp.post("/tasks/<task_id>/unclaim")
@requires("tasks:write")
def unclaim(task_id: str):
    body = _body(VersionBody, empty_ok=True)
    case = release_task(api_context(), task_id, body.expected_version)
    return jsonify({"case_id": case.id, "case_version": case.version})


@bp.post("/tasks/<task_id>/complete")
@requires("tasks:write")
def complete(task_id: str):
    """Complete with the same checks as the task page: 422 with the form's messages per field."""
    body = _body(CompleteBody)
    case = complete_task(api_context(), task_id, body.data, body.expected_version)
    return jsonify({"case_id": case.id, "case_version": case.version})


@bp.post("/messages/<message_name:name>")
@requires("messages:write")
def deliver_message(name: str):
    """Deliver a message to the case it names; 404 (and a dead letter) when no case waits for it."""
    body = _body(MessageBody)
    correlation = body.correlation.model_dump(exclude_none=True)
    if body.correlation.bsn is not None:
        if message := bsn_error(normalize_bsn(body.correlation.bsn)):
            raise BodyRefused({"correlation.bsn": message})
        correlation["bsn"] = normalize_bsn(body.correlation.bsn)
    key = header_key(request.headers.get("Idempotency-Key")) or body.idempotency_key
    receipt = inbox.receive(_engine(), name, g.principal.gemeente, correlation, body.payload, key,
                            g.principal.name)
    answer = {"message_id": receipt.inbox_id, "status": receipt.status, "delivered": receipt.delivered,
              "duplicate": receipt.duplicate}
    if receipt.status == "dead":
        return jsonify({**answer, "error": receipt.reason}), 404
    return jsonify(answer), 200


@bp.get("/messages/dead")
@requires("messages:admin")
def dead_letters():
    return jsonify(inbox.dead_letters(_engine(), g.principal.gemeente))


@bp.post("/messages/dead/<int:message_id>/replay")
@requires("messages:admin")
def replay_dead_letter(message_id: int):
    receipt = inbox.replay(_engine(), message_id, g.principal.gemeente, g.principal.name)
    return jsonify({"message_id": receipt.inbox_id, "status": receipt.status, "delivered": receipt.delivered})


@bp.post("/timers/fire")
@requires("timers:run")
def fire_timers():
    """Only the token's own gemeente's timers: a token never acts on another gemeente's cases."""
    return jsonify({"fired": _engine().fire_due_timers(gemeente=g.principal.gemeente)})


@bp.post("/decisions/<decision_id>/evaluate")
@requires("decisions:evaluate")
def evaluate_decision(decision_id: str):
    from processes.decisions import DecisionError, get_decision_service
    from processes.decisions.errors import UnknownDecision

    body = _body(DecisionBody)
    if body.gemeente != g.principal.gemeente:
        raise ApiError(403, f"dit token is uitgegeven voor gemeente {g.principal.gemeente!r}",
                       field="gemeente")
    try:
        with _engine().db.connect() as conn:  # the versions deployed from the designer count too
            answer = get_decision_service().evaluate_request(decision_id, body.model_dump(mode="json"), conn)
        return jsonify(answer)
    except UnknownDecision as exc:
        raise NotFound(str(exc)) from exc
    except DecisionError as exc:
        raise ApiError(422, str(exc)) from exc  # the input does not fit the decision table


@bp.post("/deploys")
@requires("deploys:submit")
def submit_deploy():
    """A deploy request through the designer's four eyes (casework.designer.approvals.submit): a
    procesontwerper or beheerder approves it in the browser; a token can never approve."""
    body = _body(DeployRequestBody)
    ctx = api_context()
    try:
        result = approvals.submit(ctx.engine.db, ctx.user, None, None, body.files, body.toelichting)
    except approvals.NotAllowed as exc:
        raise ApiError(403, str(exc)) from exc
    except InvalidInput as exc:
        raise ApiError(422, str(exc), field="files") from exc
    if isinstance(result, list):  # the bundle does not validate: each problem at its file
        errors: dict[str, list[str]] = {}
        for p in result:
            where = f"regel {p.line}: " if p.line else ""
            errors.setdefault(f"files.{p.file}", []).append(f"{where}{p.text}")
        return jsonify({"error": f"Het model is niet geldig ({len(result)} probleem/problemen); er is geen "
                                 "uitrolverzoek ingediend.", "field": next(iter(errors)),
                        "errors": {k: "; ".join(v) for k, v in errors.items()}}), 422
    found = approvals.get_pending(ctx.engine.db, result, ctx.user.gemeente)
    return jsonify({"id": found.id, "status": found.status, "process_id": found.process_id,
                    "gemeente": found.gemeente, "submitted_by": found.submitted_by,
                    "content_hash": found.content_hash,
                    "changes": approvals.changes(ctx.engine.db, found).lines(),
                    "review_url": url_for("designer.review", pending_id=found.id, _external=True)}), 201
