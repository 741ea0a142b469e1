"""Starting a case (intake) for a new or existing client: BSN check and duplicate detection."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from casework.accounts.service import User
from casework.forms import Errors
from casework.visibility import place_case_in_team
from engine.errors import EngineError
from engine.service import CaseEngine
from engine.steps import CaseRef
from engine.storage.db import clients, process_versions
from processes import catalogue, system_models
from processes.bsn import check_bsn, normalize_bsn

BSN_MESSAGES = {
    "empty": "BSN: vul het burgerservicenummer in.",
    "not only digits": "BSN: gebruik alleen cijfers.",
}


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


def startable_processes(engine: CaseEngine, gemeente: str) -> list[tuple[str, str]]:
    """What "Nieuwe zaak" offers: processes that start on their own in this gemeente. Not trede's
    system processes, not what another process starts with the data it hands over (the model's
    ioSpecification), not a shared process the catalogue gives to other gemeenten only."""
    with engine.reader.connect() as conn:
        names = process_names(conn, gemeente)
    offered = {pid: name for pid, name in names.items()
               if pid not in system_models.PROCESS_IDS and catalogue.used_by(gemeente, pid)
               and not engine.start_inputs(pid, gemeente)}
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


def start(engine: CaseEngine, user: User, form: dict[str, str], processes: list[tuple[str, str]],
          confirmed: bool) -> IntakeResult:
    errors: Errors = {}
    bsn = normalize_bsn(form.get("bsn", ""))
    naam = form.get("naam", "").strip()
    process_id = form.get("process", "")
    if message := bsn_error(bsn):
        errors["bsn"] = message
    if not naam:
        errors["naam"] = "Naam: vul de naam van de cliënt in."
    elif len(naam) > 255:
        errors["naam"] = "Naam: gebruik maximaal 255 tekens."
    geboortedatum = form.get("geboortedatum", "").strip()
    if geboortedatum:
        try:
            date.fromisoformat(geboortedatum)
        except ValueError:
            errors["geboortedatum"] = "Geboortedatum: vul een geldige datum in, bijvoorbeeld 1980-05-31."
    if process_id not in dict(processes):
        errors["process"] = "Proces: kies een proces."
    if errors:
        return IntakeResult(errors)
    existing = existing_client(engine, user.gemeente, bsn)
    if existing and not confirmed:
        return IntakeResult(existing=existing)
    try:  # one transaction: a start that fails leaves no client and no empty case behind
        with engine.new_case(user.gemeente, bsn, naam, user.username, geboortedatum or None) as c:
            c.start_process(process_id, {}, actor=user.username)
            place_case_in_team(c.conn, c.ref.id, user)  # the starter's team (issue 8.1)
            ref = c.ref
    except EngineError as exc:
        return IntakeResult({"process": start_failure(process_id, dict(processes), exc)})
    return IntakeResult(case=engine.get_case(ref.id))


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
