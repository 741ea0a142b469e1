"""What each API operation accepts, as pydantic models: they validate the request AND generate the
request schemas of the OpenAPI document (web/api/openapi.py), so the two cannot drift apart.

Why pydantic rather than validating against a hand-written document (openapi-core): one source
for the contract and the check, validation in pydantic-core's compiled code on every completion
(the HTTP benchmark's hot path), and a typed object for the route instead of a dict. Every model
forbids unknown keys (``additionalProperties: false``) and is strict (no "3" for 3, no true for 1).
A refusal is a 422 with a Dutch message per field, the same shape as a refused task form.
"""
from __future__ import annotations

from datetime import date
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from casework.documents import MAX_BYTES, UPLOAD_SOORTEN
from casework.notes import MAX_CHARS as NOTE_MAX

ID_MAX = 2**31 - 1  # ids are INTEGER columns: a larger id cannot exist (and overflows PostgreSQL)
NO_NUL = r"^[^\x00]*$"  # PostgreSQL cannot store NUL in text; it is never part of a name

Id = Annotated[int, Field(ge=1, le=ID_MAX, description="id (geheel getal, 1 t/m 2147483647)")]
Version = Annotated[int, Field(ge=0, le=ID_MAX, description=(
    "de versie van de zaak zoals u haar zag (optimistische vergrendeling); een andere versie geeft 409"))]
Bsn = Annotated[str, Field(pattern=r"^[0-9]{8,9}$", description=(
    "burgerservicenummer: 9 cijfers (of 8, dan met een voorloopnul aangevuld) die de elfproef doorstaan; "
    "een nummer dat de elfproef niet doorstaat geeft 422"))]
ProcessId = Annotated[str, Field(min_length=1, max_length=255, pattern=r"^[A-Za-z_][A-Za-z0-9_.-]*$",
                                 description="id van een uitgerold proces van de gemeente (BPMN process id)")]
CaseNumber = Annotated[str, Field(pattern=r"^Z[0-9]{4}-[0-9]{6,}$", max_length=32,
                                  description="zaaknummer, bijvoorbeeld Z2026-000123")]
Text = Annotated[str, Field(max_length=255, pattern=NO_NUL)]
KEY_MAX = 128  # stored as "<gemeente>:<key>" in a VARCHAR(255)
IdempotencyKey = Annotated[str, Field(min_length=1, max_length=KEY_MAX, pattern=NO_NUL, description=(
    "sleutel die een herhaald bericht herkent (hoogstens 128 tekens); ook als header Idempotency-Key"))]
BASE64_MAX = (MAX_BYTES + 2) // 3 * 4 + MAX_BYTES // 38  # room for line breaks every 76 characters
Data = Annotated[dict[str, Any], Field(description="gegevens (naam: waarde) als JSON-object")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class NewCaseBody(Strict):
    bsn: Bsn
    naam: Annotated[str, Field(min_length=1, max_length=255, pattern=NO_NUL,
                               description="naam van de cliënt (hoogstens 255 tekens)")]
    process_id: ProcessId
    geboortedatum: date | None = Field(None, description="geboortedatum, JJJJ-MM-DD")
    data: Data = Field(default_factory=dict, description="startgegevens van het proces")


class StartProcessBody(Strict):
    process_id: ProcessId
    data: Data = Field(default_factory=dict, description="startgegevens van het proces")
    expected_version: Version | None = None


class VersionBody(Strict):
    """Claim and unclaim: an empty body, or only the version the caller saw."""

    model_config = ConfigDict(json_schema_extra={
        "description": "een lege body, of alleen de versie van de zaak zoals u haar zag"})
    expected_version: Version | None = None


class CompleteBody(Strict):
    data: Annotated[dict[str, Any], Field(description=(
        "de velden van het formulier van de taak (naam: waarde); een veld dat het formulier niet kent "
        "wordt geweigerd. Een taak zonder formulier neemt de gegevens zoals ze zijn."))]
    expected_version: Version | None = None


class Correlation(Strict):
    """Which case the message is for: its number, or its client's BSN (at least one of them)."""

    model_config = ConfigDict(json_schema_extra={
        "minProperties": 1, "description": "voor welke zaak: het zaaknummer of het BSN van de cliënt"})
    case_number: CaseNumber = Field(None, validate_default=False)  # type: ignore[assignment]
    bsn: Bsn = Field(None, validate_default=False)  # type: ignore[assignment]

    @model_validator(mode="after")
    def one_of_them(self) -> Correlation:
        if self.case_number is None and self.bsn is None:
            raise PydanticCustomError("correlatie", "geef case_number of bsn")
        return self


class MessageBody(Strict):
    correlation: Correlation
    payload: Data = Field(default_factory=dict, description="de inhoud van het bericht")
    idempotency_key: IdempotencyKey | None = None


class DecisionBody(Strict):
    gemeente: Annotated[str, Field(min_length=1, max_length=64, pattern=NO_NUL,
                                   description="de gemeente van het token")]
    input: Data = Field(default_factory=dict, description="de invoer van de beslistabel")
    on: date | None = Field(None, description="peildatum, JJJJ-MM-DD (standaard: vandaag)")


class NoteBody(Strict):
    """A note on the case (casework/notes.py): the same rules and chained event as the dossier page."""

    tekst: Annotated[str, Field(min_length=1, max_length=NOTE_MAX, pattern=NO_NUL, description=(
        f"de tekst van de notitie (hoogstens {NOTE_MAX} tekens); kan gezondheidsgegevens bevatten en "
        "wordt versleuteld opgeslagen"))]


class DocumentBody(Strict):
    """A document for the case (casework/documents.py): PDF, PNG, JPEG or plain text, base64."""

    soort: Annotated[str, Field(json_schema_extra={"enum": sorted(UPLOAD_SOORTEN)}, description=(
        "soort document: " + ", ".join(f"{k} ({v})" for k, v in UPLOAD_SOORTEN.items())))]
    bestandsnaam: Annotated[str, Field(min_length=1, max_length=255, pattern=NO_NUL,
                                       description="de naam van het bestand, bijvoorbeeld verklaring.pdf")]
    inhoud: Annotated[str, Field(min_length=1, max_length=BASE64_MAX, pattern=r"^[A-Za-z0-9+/\s]*={0,2}\s*$",
                                 description=(f"de inhoud, base64 (hoogstens {MAX_BYTES // (1024 * 1024)} MB "
                                              "voor het coderen)"))]

    @field_validator("soort")
    @classmethod
    def known_soort(cls, value: str) -> str:
        if value not in UPLOAD_SOORTEN:
            raise PydanticCustomError("soort", "kies een van: {soorten}",
                                      {"soorten": ", ".join(sorted(UPLOAD_SOORTEN))})
        return value


class LetterAddressBody(Strict):
    """Sending a checked letter (casework/letters.py): the addressee's address, as on the letter page."""

    straat: Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL,
                                 description="straat en huisnummer van de geadresseerde")]
    postcode: Annotated[str, Field(min_length=1, max_length=16, pattern=NO_NUL, description=(
        "postcode: 4 cijfers en 2 letters, bijvoorbeeld 4501 AB; een andere vorm geeft 422"))]
    woonplaats: Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL,
                                     description="woonplaats van de geadresseerde")]


def _text(limit: int, what: str) -> Any:
    return Field(max_length=limit, pattern=NO_NUL, description=what)


class PartyBody(Strict):
    """A provider or employer entered or edited by hand (casework/parties.py ``save_party``): the
    register page's fields and checks (KvK 8 digits and unique in the gemeente, e-mail, telefoon,
    postcode), a Dutch message per field (422)."""

    soort: str = _text(16, "aanbieder of werkgever")
    naam: str = _text(200, "naam van de organisatie")
    kvk: str = _text(16, "KvK-nummer: 8 cijfers, uniek binnen de gemeente")
    contactpersoon: str = _text(200, "naam van de contactpersoon")
    email: str = _text(254, "e-mailadres van de contactpersoon")
    telefoon: str = Field("", max_length=20, pattern=NO_NUL, description="telefoonnummer (niet verplicht)")
    adres: str = Field("", max_length=200, pattern=NO_NUL,
                       description="straat en huisnummer (niet verplicht)")
    postcode: str = Field("", max_length=16, pattern=NO_NUL,
                          description="postcode, bijvoorbeeld 4501 AB (niet verplicht)")
    plaats: str = _text(100, "plaats")


FileName = Annotated[str, Field(min_length=1, max_length=255, pattern=r"^[^\x00]*\.(bpmn|dmn|json)$")]
MODEL_TEXT_MAX = 2_000_000  # characters of one file; the engine's own limit on a model's bytes holds too
BUNDLE_FILES_MAX = 200


class DeployRequestBody(Strict):
    """A bundle to deploy for the token's gemeente, as a request a second person approves in the browser."""

    files: Annotated[dict[FileName, Annotated[str, Field(max_length=MODEL_TEXT_MAX)]], Field(
        min_length=1, max_length=BUNDLE_FILES_MAX, description=(
            "de bestanden van de bundel: bestandsnaam (.bpmn, .dmn of .json, bijvoorbeeld forms/intake.json) "
            "en inhoud als tekst"))]
    toelichting: Annotated[str, Field(max_length=2000, pattern=NO_NUL, description=(
        "wat er verandert en waarom, voor wie het verzoek beoordeelt"))] | None = None


class TaskQuery(Strict):
    case_id: Id | None = None
    claimed_by: Text | None = None


M = TypeVar("M", bound=BaseModel)


class BodyRefused(Exception):
    """The request does not fit the operation's schema: a message per field, nothing was done."""

    def __init__(self, errors: dict[str, str], status: int = 422) -> None:
        super().__init__("het verzoek past niet bij de API-beschrijving (/api/openapi.json)")
        self.errors = errors
        self.status = status


def parse(model: type[M], raw: bytes, empty_ok: bool = False) -> M:
    """The request body as ``model``, or BodyRefused: 400 when it is no JSON, 422 when it does not fit."""
    if empty_ok and not raw.strip():
        raw = b"{}"
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        errors = dutch_errors(exc)
        status = 400 if any(e["type"] == "json_invalid" for e in exc.errors()) else 422
        raise BodyRefused(errors, status) from None


def header_key(value: str | None) -> str | None:
    """The Idempotency-Key header, held to the same rule as the body's idempotency_key (400)."""
    if value is None:
        return None
    if not 1 <= len(value) <= KEY_MAX or "\x00" in value:
        raise BodyRefused({"Idempotency-Key": f"Idempotency-Key: gebruik 1 tot {KEY_MAX} tekens."}, 400)
    return value


def parse_query(model: type[M], args: dict[str, str]) -> M:
    """Query parameters (strings) as ``model``: numbers are converted, nothing else is."""
    try:
        return model.model_validate(args, strict=False)
    except ValidationError as exc:
        raise BodyRefused(dutch_errors(exc), 400) from None


_MESSAGES = {
    "missing": "dit veld ontbreekt",
    "extra_forbidden": "dit veld kent de API niet (zie /api/openapi.json)",
    "string_type": "verwacht tekst",
    "int_type": "verwacht een geheel getal",
    "int_parsing": "verwacht een geheel getal",
    "dict_type": "verwacht een JSON-object",
    "too_short": "geef minstens één bestand",
    "too_long": "te veel bestanden in één bundel",
    "model_type": "verwacht een JSON-object",
    "model_attributes_type": "verwacht een JSON-object",
    "string_too_short": "vul dit veld in",
    "date_type": "verwacht een datum als JJJJ-MM-DD",
    "date_from_datetime_parsing": "verwacht een datum als JJJJ-MM-DD",
    "date_parsing": "verwacht een datum als JJJJ-MM-DD",
    "json_invalid": "de body is geen geldige JSON",
    "correlatie": "geef case_number (het zaaknummer) of bsn",
}


def _message(error: Any) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "string_too_long":
        return f"gebruik hoogstens {ctx.get('max_length')} tekens"
    if kind == "greater_than_equal":
        return f"moet minstens {ctx.get('ge')} zijn"
    if kind == "less_than_equal":
        return f"mag hoogstens {ctx.get('le')} zijn"
    if kind == "string_pattern_mismatch":
        return "heeft niet de vorm die /api/openapi.json beschrijft"
    if kind == "soort":
        return str(error["msg"])
    return _MESSAGES.get(kind, "ongeldige waarde")


def dutch_errors(exc: ValidationError) -> dict[str, str]:
    """One Dutch message per field (``correlation.bsn``; ``body`` for the body as a whole)."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"]) or "body"
        if error["type"] == "json_invalid":
            name = "body"
        if error["type"] == "string_pattern_mismatch" and name.split(".")[-1] == "bsn":
            errors.setdefault(name, "BSN: een burgerservicenummer heeft 9 cijfers "
                                    "(of 8 met een voorloopnul).")
        errors.setdefault(name, f"{name[:1].upper()}{name[1:]}: {_message(error)}.")
    return errors
