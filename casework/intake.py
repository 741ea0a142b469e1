"""Opening a dossier and starting a process in it: intake through a page, the REST API or the CLI.

Every way in calls ``open_case`` or ``start_process`` here, so each rule holds for all of them:
who may start casework (the case-work roles, or a system acting through an API token), the BSN's
elfproef, the name's length (255, the column's size), a valid date of birth, a process that may
be started by hand in the actor's gemeente. The writes (client, case, first process, the case's
team) and the processing-log line go in ONE transaction: a refused or failing start leaves nothing.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from casework.context import Context
from casework.errors import FormRefused, NotAllowed
from casework.forms import Errors
from casework.people import User
from casework.roles import CASEWORK_ROLES
from casework.visibility import assign_case_team, may_see_case
from engine.errors import EngineError, NotFound
from engine.service import CaseEngine
from engine.steps import CaseRef
from engine.storage.db import cases, clients, process_versions, utcnow
from processes import catalogue, system_models
from processes.bsn import check_bsn, normalize_bsn

BSN_MESSAGES = {
    "empty": "BSN: vul het burgerservicenummer in.",
    "not only digits": "BSN: gebruik alleen cijfers.",
}
NAAM_MAX = 255  # clients.naam is a VARCHAR(255)
# The register activity of a start, per way in (Logboek Dataverwerkingen).
START_ACTIVITY = {"web": "zaak-starten", "api": "api-muteren", "cli": "zaak-starten"}


@dataclass(frozen=True)
class NewCase:
    """What starting a dossier asks for (the intake form's fields, the API's body)."""

    bsn: str
    naam: str
    process_id: str
    geboortedatum: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)  # the process's start data (API only)


@dataclass
class IntakeResult:
    errors: Errors = field(default_factory=dict)
    existing: dict[str, Any] | None = None  # a client with this BSN is already known here
    case: CaseRef | None = None


def process_names(conn: Connection, gemeente: str) -> dict[str, str]:
    rows = conn.execute(select(process_versions.c.process_id, process_versions.c.name)
                        .where(process_versions.c.gemeente.in_([gemeente, "*"]))
                        .order_by(process_versions.c.version)).all()
    return {pid: name or pid for pid, name in rows}


def startable_processes(engine: CaseEngine, gemeente: str,
                        data: Mapping[str, Any] | None = None) -> list[tuple[str, str]]:
    """What "Nieuwe zaak" offers: processes that start on their own in this gemeente. Not trede's
    system processes, not what another process starts with the data it hands over (the model's
    ioSpecification) unless ``data`` (the API's start data) holds it, not a shared process the
    catalogue gives to other gemeenten only."""
    with engine.reader.connect() as conn:
        names = process_names(conn, gemeente)
    offered = {pid: name for pid, name in names.items()
               if pid not in system_models.PROCESS_IDS and catalogue.used_by(gemeente, pid)
               and not _missing_inputs(engine, gemeente, pid, data)}
    return sorted(offered.items(), key=lambda p: p[1].lower())


def bsn_error(value: str) -> str | None:
    reason = check_bsn(value)
    if reason is None:
        return None
    if reason in BSN_MESSAGES:
        return BSN_MESSAGES[reason]
    if "digits" in reason:
        return "BSN: een burgerservicenummer heeft 9 cijfers (of 8 met een voorloopnul)."
    return "BSN: dit is geen geldig burgerservicenummer (de elfproef klopt niet). Controleer het nummer."


def process_error(engine: CaseEngine, gemeente: str, process_id: str,
                  data: Mapping[str, Any] | None = None) -> str | None:
    """Only a deployed process of the gemeente (or shared) that trede does not start itself, given
    what it needs at its start."""
    if process_id in system_models.PROCESS_IDS:
        return (f"Proces: kies een proces. '{process_id}' start trede zelf; "
                "het is niet met de hand te starten.")
    if process_id not in dict(startable_processes(engine, gemeente, data)):
        with engine.reader.connect() as conn:
            deployed = process_id in process_names(conn, gemeente)
        if deployed and catalogue.used_by(gemeente, process_id) and (
                missing := _missing_inputs(engine, gemeente, process_id, data)):
            with engine.reader.connect() as conn:
                name = process_names(conn, gemeente).get(process_id, process_id)
            needs = f" ({', '.join(missing)})" if data else ""  # an API caller sends data: name the keys
            return (f"Proces: “{name}” start vanuit een ander proces, dat meegeeft wat het nodig "
                    f"heeft{needs}; het is niet los te starten.")
        return "Proces: kies een proces." + (f" '{process_id}' is in deze gemeente niet uitgerold."
                                             if process_id else "")
    return None


def _missing_inputs(engine: CaseEngine, gemeente: str, process_id: str,
                    data: Mapping[str, Any] | None) -> list[str]:
    return [name for name in engine.start_inputs(process_id, gemeente) if name not in (data or {})]


def check_new_case(engine: CaseEngine, gemeente: str, new: NewCase) -> Errors:
    """The intake form's rules, with a Dutch message per field (nothing is written)."""
    errors: Errors = {}
    if message := bsn_error(normalize_bsn(new.bsn)):
        errors["bsn"] = message
    naam = new.naam.strip()
    if not naam:
        errors["naam"] = "Naam: vul de naam van de cliënt in."
    elif len(naam) > NAAM_MAX:
        errors["naam"] = f"Naam: gebruik maximaal {NAAM_MAX} tekens."
    if new.geboortedatum.strip():
        try:
            date.fromisoformat(new.geboortedatum.strip())
        except ValueError:
            errors["geboortedatum"] = "Geboortedatum: vul een geldige datum in, bijvoorbeeld 1980-05-31."
    if message := process_error(engine, gemeente, new.process_id, new.data):
        errors["process_id"] = message
    return errors


def _may_start(user: User) -> None:
    if not (user.system or user.roles & CASEWORK_ROLES):
        raise NotAllowed("alleen wie aan zaken werkt start een zaak")


def open_case(ctx: Context, new: NewCase) -> CaseRef:
    """Open a dossier for the client (found again by BSN) and start its first process.

    Raises NotAllowed, FormRefused (a message per field), NotFound or StepFailed (the model failed
    at its start); in every case nothing is written. The client, the case, the process, the
    case's team (the starter's, issue 8.1) and the processing-log line commit together.
    """
    start, user = utcnow(), ctx.user
    _may_start(user)
    errors = check_new_case(ctx.engine, user.gemeente, new)
    if errors:
        raise FormRefused(errors, what="De zaak is niet gestart")
    bsn, geboortedatum = normalize_bsn(new.bsn), new.geboortedatum.strip() or None
    with ctx.engine.transaction() as tx:
        case = tx.open_case(user.gemeente, bsn, new.naam.strip(), user.username, geboortedatum=geboortedatum)
        case.start_process(new.process_id, dict(new.data), user.username)
        assign_case_team(case, user)
        ref = case.ref
        ctx.log(START_ACTIVITY[ctx.channel.kind], bsn, ref.case_number, "zaak gestart", True, start, tx.conn)
    return ref


def start_process(ctx: Context, case_id: int, process_id: str, data: Mapping[str, Any],
                  expected_version: int | None = None) -> tuple[CaseRef, int]:
    """Start another process in a dossier the actor may see; the case and the new instance's id.

    NotFound for a case of another gemeente or team (as if it did not exist), FormRefused for a
    process that is not to be started by hand, ConflictError for a stale ``expected_version``.
    """
    start, user = utcnow(), ctx.user
    _may_start(user)
    if message := process_error(ctx.engine, user.gemeente, process_id, data):
        raise FormRefused({"process_id": message}, what="Het proces is niet gestart")
    with ctx.engine.transaction() as tx:
        row = tx.conn.execute(select(cases.c.gemeente, clients.c.bsn).join(
            clients, clients.c.id == cases.c.client_id).where(cases.c.id == case_id)).first()
        if row is None or row.gemeente != user.gemeente or not may_see_case(tx.conn, user, case_id):
            raise NotFound(f"zaak {case_id} bestaat niet")
        case = tx.case(case_id, expected_version)
        instance_id = case.start_process(process_id, dict(data), user.username)
        ref = case.ref
        ctx.log(START_ACTIVITY[ctx.channel.kind], row.bsn, ref.case_number, f"proces {process_id} gestart",
                True, start, tx.conn)
    return ref, instance_id


def start(ctx: Context, form: dict[str, str], confirmed: bool) -> IntakeResult:
    """The intake page ("Nieuwe zaak"): ``open_case`` after the person confirmed a known client."""
    new = NewCase(form.get("bsn", ""), form.get("naam", ""), form.get("process", ""),
                  form.get("geboortedatum", ""))
    try:
        _may_start(ctx.user)
        errors = check_new_case(ctx.engine, ctx.user.gemeente, new)
        if errors:
            raise FormRefused(errors)
        existing = existing_client(ctx.engine, ctx.user.gemeente, normalize_bsn(new.bsn))
        if existing and not confirmed:
            return IntakeResult(existing=existing)
        case = open_case(ctx, new)
    except FormRefused as refused:
        return IntakeResult(_as_page_fields(refused.errors))
    except EngineError as exc:  # e.g. the model failed at its start: nothing was written
        names = dict(startable_processes(ctx.engine, ctx.user.gemeente))
        return IntakeResult({"process": start_failure(new.process_id, names, exc)})
    return IntakeResult(case=ctx.engine.get_case(case.id))


def _as_page_fields(errors: Errors) -> Errors:
    """The page names its process field ``process``."""
    return {("process" if name == "process_id" else name): message for name, message in errors.items()}


def start_failure(process_id: str, names: dict[str, str], exc: EngineError) -> str:
    """The Dutch answer at the field when a start fails: what failed, that nothing was saved, and
    whom to ask; never the model's exception text (it names Python errors)."""
    name = names.get(process_id, process_id)
    task = getattr(exc, "task_name", None)
    where = f" bij de stap “{task}”" if task else ""
    return (f"Proces: “{name}” kon niet starten{where}; er is niets opgeslagen. Het proces mist "
            "gegevens die het bij de start nodig heeft. Kies een ander proces of meld dit aan de "
            "beheerder.")


def existing_client(engine: CaseEngine, gemeente: str, bsn: str) -> dict[str, Any] | None:
    with engine.reader.connect() as conn:
        row = conn.execute(select(clients.c.id, clients.c.naam).where(
            clients.c.gemeente == gemeente, clients.c.bsn == bsn)).mappings().first()
    return dict(row) if row else None
