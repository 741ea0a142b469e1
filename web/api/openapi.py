"""The OpenAPI 3.1 description of the REST API (the contract that tests check the routes against)."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from web.api import schemas as req

ERROR = {"$ref": "#/components/schemas/Error"}
REQUEST_MODELS: tuple[type[BaseModel], ...] = (
    req.NewCaseBody, req.StartProcessBody, req.VersionBody, req.CompleteBody, req.MessageBody,
    req.DecisionBody, req.NoteBody, req.DocumentBody, req.DeployRequestBody, req.LetterAddressBody,
    req.PartyBody)


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _responses(ok_code: str, ok_schema: dict, *errors: int) -> dict:
    out: dict[str, Any] = {ok_code: {"description": "OK", **_json(ok_schema)}}
    meaning = {400: "Ongeldige invoer: de body is geen JSON, of een parameter klopt niet",
               401: "Niet geauthenticeerd", 403: "Niet toegestaan",
               404: "Niet gevonden", 409: "Conflict: iemand anders was eerder",
               422: "Geweigerd: de body past niet bij het schema, of de gegevens kloppen niet (errors: de "
                    "melding per veld), of het model faalde; er is niets opgeslagen"}
    if 422 in errors and ok_schema is COMPLETED:
        meaning[422] = ("De gegevens passen niet bij het formulier van de taak (errors: de melding per veld, "
                        "dezelfde als op de taakpagina), de body past niet bij het schema, of het model "
                        "faalde; er is niets opgeslagen")
    for code in sorted({401, 403, *errors}):
        out[str(code)] = {"description": meaning[code], **_json(ERROR)}
    return out


def _op(summary: str, scope: str, ok_code: str, ok_schema: dict, *errors: int,
        body: type[BaseModel] | None = None, params: list | None = None, body_required: bool = True) -> dict:
    if body is not None:
        errors = (*errors, 400, 422)  # no JSON, or a body that does not fit its schema
    op: dict[str, Any] = {"summary": summary, "security": [{"bearer": [scope]}],
                          "responses": _responses(ok_code, ok_schema, *errors)}
    if body is not None:
        op["requestBody"] = {"required": body_required, **_json({"$ref": _ref(body)})}
    if params:
        op["parameters"] = params
    return op


def _ref(model: type[BaseModel]) -> str:
    return f"#/components/schemas/{model.__name__}"


def _path_param(name: str, kind: str) -> dict:
    schema: dict[str, Any] = {"type": kind}
    if kind == "integer":
        schema.update(minimum=1, maximum=req.ID_MAX)  # a larger id cannot exist: 404
    else:
        schema.update(minLength=1, maxLength=255, pattern=req.NO_NUL)
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _task_id() -> dict:
    return {"name": "task_id", "in": "path", "required": True,
            "schema": {"type": "string", "format": "uuid"}, "description": "id van de taak (UUID)"}


def _request_schemas() -> dict[str, Any]:
    """The request models' JSON Schemas (pydantic), their nested models hoisted beside them."""
    out: dict[str, Any] = {}
    for model in REQUEST_MODELS:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        out.update(schema.pop("$defs", {}))
        out[model.__name__] = schema
    return out


def _obj(props: dict, required: list[str] | None = None) -> dict:
    schema: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        schema["required"] = required
    return schema


CASE = {"$ref": "#/components/schemas/Case"}
TASK = {"$ref": "#/components/schemas/Task"}
RECEIPT = _obj({"message_id": {"type": "integer"}, "status": {"type": "string"},
                "delivered": {"type": "integer"}, "duplicate": {"type": "boolean"}})
CASE_VERSION = _obj({"case_id": {"type": "integer"}, "case_version": {"type": "integer"}})
COMPLETED = _obj({"case_id": {"type": "integer"}, "case_version": {"type": "integer"}})
NOTE_ADDED = _obj({"note_id": {"type": "integer"}, "case_id": {"type": "integer"},
                   "case_version": {"type": "integer"}})
DOCUMENT_ADDED = _obj({"document_id": {"type": "integer"}, "filename": {"type": "string"},
                       "content_type": {"type": "string"}, "size": {"type": "integer"},
                       "sha256": {"type": "string"}, "case_id": {"type": "integer"},
                       "case_version": {"type": "integer"}})
LETTER = _obj({"id": {"type": "integer"}, "case_id": {"type": "integer"},
               "brief_status": {"type": "string",
                                "enum": ["concept", "gecontroleerd", "verzonden", "ingetrokken"]},
               "gecontroleerd_door": {"type": ["string", "null"]},
               "verzonden_door": {"type": ["string", "null"]},
               "heropend": {"type": ["string", "null"], "description": (
                   "waarom het besluit is heropend; een brief die nog niet was verzonden is ingetrokken")},
               "verzonden_op": {"type": ["string", "null"], "format": "date"},
               "bezwaar_einde": {"type": ["string", "null"], "format": "date"},
               "document_id": {"type": ["integer", "null"]}, "case_version": {"type": "integer"}})
PARTY = _obj({"id": {"type": "integer"}, "soort": {"type": "string", "enum": ["aanbieder", "werkgever"]},
               "naam": {"type": "string"}, "kvk": {"type": "string"}, "contactpersoon": {"type": "string"},
               "email": {"type": "string"}, "telefoon": {"type": ["string", "null"]},
               "adres": {"type": ["string", "null"]}, "postcode": {"type": ["string", "null"]},
               "plaats": {"type": "string"}, "updated_at": {"type": "string", "format": "date-time"}})
DEPLOY_REQUEST = _obj({
    "id": {"type": "integer"}, "status": {"type": "string", "enum": ["pending"]},
    "process_id": {"type": "string"}, "gemeente": {"type": "string"},
    "submitted_by": {"type": "string", "description": "api:<naam van het token>"},
    "content_hash": {"type": "string", "description": "de hash van de bundel: wat wordt goedgekeurd"},
    "changes": {"type": "array", "items": {"type": "string"},
                "description": "de wijzigingen ten opzichte van de actieve versie, zoals de beoordelaar ze "
                               "ziet"},
    "review_url": {"type": "string", "format": "uri", "description": "de pagina waar het wordt beoordeeld"}})


def document() -> dict:
    case_id = _path_param("case_id", "integer")
    task_id = _task_id()
    return {
        "openapi": "3.1.0",
        "info": {"title": "trede API", "version": "1.0.0",
                 "description": "Zaken, taken, berichten en timers van trede. Elke aanroep vraagt een "
                                "bearer-token dat per gemeente is uitgegeven (trede token create)."},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                **_request_schemas(),
                "Error": _obj({"error": {"type": "string"}, "field": {"type": "string"},
                               "errors": {"type": "object", "additionalProperties": {"type": "string"},
                                          "description": "melding per veld van het formulier"}},
                              ["error"]),
                "Case": _obj({"id": {"type": "integer"}, "case_number": {"type": "string"},
                              "gemeente": {"type": "string"}, "status": {"type": "string"},
                              "version": {"type": "integer"},
                              "instances": {"type": "array", "items": _obj({
                                  "id": {"type": "integer"}, "process_id": {"type": "string"},
                                  "status": {"type": "string"}})}}),
                "Task": _obj({"task_id": {"type": "string"}, "case_id": {"type": "integer"},
                              "case_number": {"type": "string"}, "case_version": {"type": "integer"},
                              "process_id": {"type": "string"}, "task_name": {"type": "string"},
                              "title": {"type": "string"}, "lane": {"type": ["string", "null"]},
                              "claimed_by": {"type": ["string", "null"]},
                              "created_at": {"type": "string", "format": "date-time"},
                              "due_at": {"type": ["string", "null"], "format": "date-time"}}),
            },
        },
        "paths": {
            "/api/cases": {"post": _op(
                "Zaak openen voor een inwoner en een proces starten (dezelfde regels als 'Nieuwe zaak')",
                "cases:write", "201", CASE, body=req.NewCaseBody)},
            "/api/cases/{case_id}": {"get": _op("Zaak ophalen", "cases:read", "200", CASE, 404,
                                                params=[case_id])},
            "/api/cases/{case_id}/events": {"get": _op(
                "Gebeurtenissen van de zaak", "cases:read", "200",
                {"type": "array", "items": _obj({"seq": {"type": "integer"}, "kind": {"type": "string"},
                                                 "actor": {"type": "string"}, "at": {"type": "string"},
                                                 "hash": {"type": "string"}})}, 404, params=[case_id])},
            "/api/cases/{case_id}/processes": {"post": _op(
                "Nog een proces starten in het dossier", "cases:write", "201", CASE, 404, 409,
                body=req.StartProcessBody, params=[case_id])},
            "/api/cases/{case_id}/notes": {"post": _op(
                "Notitie bij de zaak (dezelfde regels, gebeurtenis en verwerkingslog als het dossier)",
                "cases:write", "201", NOTE_ADDED, 404, body=req.NoteBody, params=[case_id])},
            "/api/cases/{case_id}/documents": {"post": _op(
                "Document bij de zaak (PDF, PNG, JPEG of platte tekst, base64; dezelfde controles, "
                "gebeurtenis en verwerkingslog als het zaakdossier)",
                "cases:write", "201", DOCUMENT_ADDED, 404, body=req.DocumentBody, params=[case_id])},
            "/api/letters/{beschikking_id}/controle": {"post": _op(
                "Brief van een beschikking controleren (concept -> gecontroleerd; vier ogen zoals de "
                "gemeente het instelde; dezelfde regels, gebeurtenis en verwerkingslog als de briefpagina); "
                "geen body",
                "cases:write", "200", LETTER, 404, 409, 422,
                params=[_path_param("beschikking_id", "integer")])},
            "/api/letters/{beschikking_id}/verzending": {"post": _op(
                "Gecontroleerde brief verzenden naar het adres van de geadresseerde (gecontroleerd -> "
                "verzonden, gedateerd vandaag; de bezwaartermijn loopt vanaf die datum)", "cases:write",
                "200", LETTER, 404, 409, body=req.LetterAddressBody,
                params=[_path_param("beschikking_id", "integer")])},
            "/api/parties": {"post": _op(
                "Aanbieder of werkgever opnemen in het register van de gemeente (dezelfde controles als de "
                "pagina: KvK 8 cijfers en uniek in de gemeente, e-mail, telefoon, postcode; de wijziging "
                "wordt vastgelegd)", "parties:write", "201", PARTY, body=req.PartyBody)},
            "/api/parties/{party_id}": {"put": _op(
                "Gegevens van een partij van de gemeente wijzigen (alle velden, zoals het formulier op de "
                "pagina; elke wijziging vastgelegd: wie, wanneer, oud -> nieuw)", "parties:write", "200",
                PARTY, 404, body=req.PartyBody, params=[_path_param("party_id", "integer")])},
            "/api/tasks": {"get": _op(
                "Openstaande taken van de gemeente", "tasks:read", "200", {"type": "array", "items": TASK},
                400, params=[{"name": "case_id", "in": "query",
                              "schema": {"type": "integer", "minimum": 1, "maximum": req.ID_MAX}},
                             {"name": "claimed_by", "in": "query",
                              "schema": {"type": "string", "maxLength": 255, "pattern": req.NO_NUL}}])},
            "/api/tasks/{task_id}/claim": {"post": _op(
                "Taak claimen (lege body, of alleen expected_version)", "tasks:write", "200", CASE_VERSION,
                404, 409, body=req.VersionBody, body_required=False, params=[task_id])},
            "/api/tasks/{task_id}/unclaim": {"post": _op(
                "Taak vrijgeven (lege body, of alleen expected_version)", "tasks:write", "200", CASE_VERSION,
                404, 409, body=req.VersionBody, body_required=False, params=[task_id])},
            "/api/tasks/{task_id}/complete": {"post": _op(
                "Taak afronden met gegevens, gecontroleerd als op de taakpagina", "tasks:write", "200",
                COMPLETED, 404, 409, body=req.CompleteBody, params=[task_id])},
            "/api/messages/{name}": {"post": _op(
                "Bericht afleveren bij de zaak die erop wacht (idempotent met Idempotency-Key)",
                "messages:write", "200", RECEIPT, 404, 409, body=req.MessageBody,
                params=[{"name": "name", "in": "path", "required": True, "description": (
                            "de naam van het bericht in het model (niet 'dead': dat is de lijst hieronder)"),
                         "schema": {"type": "string", "minLength": 1, "maxLength": 255,
                                    "pattern": "^(?!dead$)[^\\x00/]+$"}},
                        {"name": "Idempotency-Key", "in": "header",
                         "schema": {"type": "string", "minLength": 1, "maxLength": req.KEY_MAX,
                                    "pattern": req.NO_NUL}}])},
            "/api/messages/dead": {"get": _op(
                "Onbestelbare berichten van de gemeente", "messages:admin", "200",
                {"type": "array", "items": _obj({"id": {"type": "integer"}, "name": {"type": "string"},
                                                 "received_at": {"type": "string"},
                                                 "reason": {"type": ["string", "null"]},
                                                 "correlation": {"type": "object"}})})},
            "/api/messages/dead/{message_id}/replay": {"post": _op(
                "Onbestelbaar bericht opnieuw afleveren", "messages:admin", "200", RECEIPT, 404, 409, 422,
                params=[_path_param("message_id", "integer")])},
            "/api/decisions/{decision_id}/evaluate": {"post": _op(
                "Beslissing uit de beslissingencatalogus evalueren (trede decide)", "decisions:evaluate",
                "200", {"type": "object", "description": "de uitkomsten van de beslissing"}, 404,
                body=req.DecisionBody, params=[_path_param("decision_id", "string")])},
            "/api/deploys": {"post": _op(
                "Uitrolverzoek indienen (vier ogen): een tweede procesontwerper of beheerder van de gemeente "
                "keurt het goed in de browser; een token keurt nooit goed", "deploys:submit", "201",
                DEPLOY_REQUEST, body=req.DeployRequestBody)},
            "/api/timers/fire": {"post": _op("Verlopen timers van de eigen gemeente afgaan", "timers:run",
                                             "200", _obj({"fired": {"type": "integer"}}))},
        },
    }
