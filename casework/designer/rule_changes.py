"""A gemeente's decision tables edited in the browser and deployed under four eyes (issue 20 item 6).

A procesontwerper opens the version of a decision in force on a date, edits it (dmn-js), picks the
geldig-vanaf date, runs the decision tests and submits. The candidate is checked with exactly the
loader and evaluator that business rule tasks use (``processes.decisions.candidate``) and against
the gemeente's decision tests for that decision. A second procesontwerper (or a beheerder) sees the
change cell by cell (``table_diff``) and approves: the checks run again on the stored text, and the
version is stored in ``rule_versions`` in the same transaction as the approval. From then on, new
decisions of the gemeente dated on or after geldig vanaf use it; decisions taken before keep (and
replay with) the table they were taken with. Nobody approves their own change.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine, RowMapping

from casework.accounts.service import User
from casework.designer import model_tests
from casework.designer.table_diff import CellChange, table_diff
from casework.errors import FormRefused, NotAllowed
from casework.tables import pending_rule_changes
from engine.errors import ConflictError, NotFound
from engine.service import CaseEngine
from engine.storage.db import read_only
from engine.storage.rows import inserted_id
from processes.decisions import candidate, deployed
from processes.decisions.catalogue import Version
from processes.decisions.errors import DecisionError
from processes.decisions.service import LEGAL_ZONE, DecisionService, get_decision_service

APPROVER_ROLES = ("procesontwerper", "beheerder")
# A version answers decisions taken from this long after its approval: a step that started before
# the approval committed (and so read the old table) then replays with the old table too, since a
# replay uses the versions deployed by the step's recorded time.
TAKES_EFFECT_AFTER = timedelta(minutes=1)
LEGAL_DAY_FIRST = date(1900, 1, 1)  # a geldig-vanaf date before this is a typing error


@dataclass(frozen=True)
class Opened:
    """The version of a decision a designer starts from."""

    decision_id: str
    gemeente: str
    on: date
    content: str
    label: str  # "pakketbestand geldig vanaf 2023-07-01" / "versie 3 (ontwerper), geldig vanaf ..."
    geldig_vanaf: date


@dataclass(frozen=True)
class TestRun:
    name: str
    passed: bool
    messages: list[str]


@dataclass(frozen=True)
class Checked:
    problems: list[candidate.Problem]
    tests: list[TestRun]

    @property
    def ok(self) -> bool:
        return not self.problems and all(t.passed for t in self.tests)


@dataclass(frozen=True)
class RuleChange:
    id: int
    gemeente: str
    decision_id: str
    geldig_vanaf: date
    base_content: str
    base_label: str
    content: str
    content_hash: str
    note: str | None
    status: str
    submitted_by: str
    submitted_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision: dict[str, Any]
    rule_version_id: int | None


def _designer(user: User) -> None:
    if not any(user.has(r) for r in APPROVER_ROLES):
        raise NotAllowed("alleen een procesontwerper of beheerder werkt aan de beslisregels")


def decisions_of(user: User, service: DecisionService | None = None) -> list[str]:
    _designer(user)
    return (service or get_decision_service()).decisions_of(user.gemeente)


def open_decision(engine: CaseEngine, user: User, decision_id: str, on: date,
                  service: DecisionService | None = None) -> Opened:
    """The version in force on ``on`` for the user's gemeente, as deployed now."""
    _designer(user)
    service = service or get_decision_service()
    if not service.has(decision_id, user.gemeente):
        raise NotFound(f"beslissing {decision_id} bestaat niet voor {user.gemeente}")
    with read_only(engine.db).connect() as conn:
        try:
            version = service.in_force(decision_id, user.gemeente, on, conn)
        except DecisionError as exc:
            raise FormRefused({"op": f"op {on.isoformat()} geldt nog geen versie van deze beslissing"},
                                  "De beslissing is niet geopend") from exc
    return Opened(decision_id, user.gemeente, on, _text(version), _label(version), version.geldig_vanaf)


def _text(version: Version) -> str:
    return deployed.text_of(version)


def _label(version: Version) -> str:
    if version.deployed_id is not None:
        return (f"versie {version.deployed_id} uit de ontwerper, "
                f"geldig vanaf {version.geldig_vanaf.isoformat()}")
    if version.adopted:
        return (f"overgenomen van {version.source_gemeente} (versie {version.source_version.isoformat()}), "
                f"geldig vanaf {version.geldig_vanaf.isoformat()}")
    return f"regelset van de release, geldig vanaf {version.geldig_vanaf.isoformat()}"


def parse_date(text: str | None, field: str = "geldig_vanaf") -> date:
    """A date as typed in the form (YYYY-MM-DD), or a FormRefused on the field."""
    try:
        found = date.fromisoformat((text or "").strip())
    except ValueError:
        raise FormRefused({field: "vul een datum in als JJJJ-MM-DD"}, "De datum klopt niet") from None
    if found < LEGAL_DAY_FIRST:
        raise FormRefused({field: "deze datum ligt te ver in het verleden"}, "De datum klopt niet")
    return found


def check(engine: CaseEngine, user: User, decision_id: str, geldig_vanaf: date, content: str,
          service: DecisionService | None = None) -> Checked:
    """Validate the candidate as it will run and run the gemeente's decision tests against it."""
    _designer(user)
    service = service or get_decision_service()
    if not service.has(decision_id, user.gemeente):
        raise NotFound(f"beslissing {decision_id} bestaat niet voor {user.gemeente}")
    version, problems = candidate.check(decision_id, user.gemeente, geldig_vanaf, content)
    if version is None:
        return Checked(problems, [])
    return Checked([], _run_tests(engine, service, user.gemeente, version))


def _run_tests(engine: CaseEngine, service: DecisionService, gemeente: str,
               version: Version) -> list[TestRun]:
    runs = []
    tests = [t for t in model_tests.tests_for(engine.db, gemeente)
             if t.kind == "decision" and t.target == version.table.id]
    today = engine.clock.now().astimezone(LEGAL_ZONE).date()
    with read_only(engine.db).connect() as conn:
        for test in tests:
            runs.append(_run_test(service, conn, gemeente, version, test, today))
    return runs


def _run_test(service: DecisionService, conn: Connection, gemeente: str, version: Version,
              test: model_tests.ModelTest, today: date) -> TestRun:
    """A decision test: on its peildatum (else today, the legal date on the engine's clock, as a
    case deciding now would) with the candidate when it is in force then, else with the rules in
    force that day."""
    messages: list[str] = []
    try:
        on = date.fromisoformat(test.scenario["peildatum"]) if test.scenario.get("peildatum") else today
        chosen = version if on >= version.geldig_vanaf else \
            service.in_force(version.table.id, gemeente, on, conn)
        got = service.evaluate_version(chosen, test.scenario["inputs"]).outputs_json()
    except Exception as exc:  # noqa: BLE001 - the table's error is the test's finding
        return TestRun(test.name, False, [f"de beslissing faalde: {model_tests.failure_text(exc)}"])
    for key, value in test.scenario["expect"].items():
        if got.get(key) != value:
            messages.append(f"uitkomst {key}: verwacht {value!r}, kreeg {got.get(key)!r}")
    return TestRun(test.name, not messages, messages)


def submit(engine: CaseEngine, user: User, decision_id: str, geldig_vanaf_text: str | None, content: str,
           note: str | None, service: DecisionService | None = None) -> int | Checked:
    """Store a change for review; a candidate that does not validate or fails a test is answered
    with its findings and nothing is stored."""
    if not user.has("procesontwerper"):
        raise NotAllowed("alleen een procesontwerper dient een wijziging van de beslisregels in")
    geldig_vanaf = parse_date(geldig_vanaf_text)
    service = service or get_decision_service()
    checked = check(engine, user, decision_id, geldig_vanaf, content, service)
    if not checked.ok:
        return checked
    # What the change starts from: the version in force on its date as deployed now, so that the
    # reviewer sees the difference with what decisions on that date get today.
    base = _base(engine, user, decision_id, geldig_vanaf, service)
    with engine.db.begin() as conn:
        return inserted_id(conn.execute(pending_rule_changes.insert().values(
            gemeente=user.gemeente, decision_id=decision_id, geldig_vanaf=geldig_vanaf,
            base_content=base.content, base_label=base.label, content=content,
            content_hash=deployed.content_hash(content), note=(note or "").strip() or None, status="pending",
            submitted_by=user.username, submitted_at=engine.clock.now(), decision="{}")))


def _base(engine: CaseEngine, user: User, decision_id: str, on: date, service: DecisionService) -> Opened:
    try:
        return open_decision(engine, user, decision_id, on, service)
    except FormRefused:  # the first version ever of this decision for the gemeente: compare with
        first = service.in_force(decision_id, user.gemeente, date.max)  # the pack's latest
        return Opened(decision_id, user.gemeente, on, _text(first), _label(first), first.geldig_vanaf)


def changes(request: RuleChange) -> list[CellChange]:
    """Exactly what the request changes compared with the version it started from."""
    return table_diff(request.decision_id, request.base_content, request.content)


def get(db: Engine, user: User, change_id: int) -> RuleChange:
    _designer(user)
    with read_only(db).connect() as conn:
        row = conn.execute(select(pending_rule_changes).where(
            pending_rule_changes.c.id == change_id, pending_rule_changes.c.gemeente == user.gemeente,
        )).mappings().first()
    if row is None:
        raise NotFound(f"wijzigingsverzoek {change_id} bestaat niet")
    return _change(row)


def list_changes(db: Engine, user: User, status: str | None = "pending") -> list[RuleChange]:
    _designer(user)
    query = (select(pending_rule_changes).where(pending_rule_changes.c.gemeente == user.gemeente)
             .order_by(pending_rule_changes.c.id.desc()))
    if status:
        query = query.where(pending_rule_changes.c.status == status)
    with read_only(db).connect() as conn:
        return [_change(r) for r in conn.execute(query).mappings()]


def decision_tests(db: Engine, user: User, decision_id: str) -> list[model_tests.ModelTest]:
    """The gemeente's decision tests for this decision: what "controleren" runs."""
    _designer(user)
    return model_tests.tests_for(db, user.gemeente, "decision", decision_id)


def history(db: Engine, user: User, decision_id: str) -> list[deployed.Deployed]:
    _designer(user)
    with read_only(db).connect() as conn:
        return deployed.history(conn, user.gemeente, decision_id)


def may_decide(user: User, request: RuleChange) -> str | None:
    """Why the user may not approve or refuse this change, or None when they may."""
    if not any(user.has(r) for r in APPROVER_ROLES):
        return "alleen een procesontwerper of beheerder beoordeelt een wijziging van de beslisregels"
    if user.gemeente != request.gemeente:
        return "dit verzoek hoort bij een andere gemeente"
    if user.username == request.submitted_by:
        return "vier ogen: u kunt uw eigen wijziging niet goedkeuren"
    if request.status != "pending":
        return "dit verzoek is al beoordeeld"
    return None


@dataclass(frozen=True)
class Outcome:
    approved: bool
    message: str
    problems: list[str]
    rule_version_id: int | None = None


def approve(engine: CaseEngine, user: User, change_id: int,
            service: DecisionService | None = None) -> Outcome:
    """Check and test again, then deploy: the version and the approval in one transaction."""
    request = get(engine.db, user, change_id)
    reason = may_decide(user, request)
    if reason:
        raise NotAllowed(reason)
    if deployed.content_hash(request.content) != request.content_hash:
        return _refused(engine, user, request, ["de tabel is na het indienen gewijzigd: u keurt alleen "
                                                "goed wat u hebt gezien"])
    service = service or get_decision_service()
    in_force_now = _base(engine, user, request.decision_id, request.geldig_vanaf, service)
    if in_force_now.content != request.base_content:
        return _refused(engine, user, request, [
            "sinds het indienen is een andere versie van deze beslissing uitgerold die op deze datum "
            "geldt: de wijziging is vergeleken met een tabel die niet meer geldt; open de beslissing "
            "opnieuw en dien de wijziging daarop in"])
    checked = check(engine, user, request.decision_id, request.geldig_vanaf, request.content, service)
    if not checked.ok:
        problems = [str(p) for p in checked.problems] + [
            f"beslistest ‘{t.name}’ faalt: {'; '.join(t.messages)}" for t in checked.tests if not t.passed]
        return _refused(engine, user, request, problems)
    now = engine.clock.now()
    effective = now + TAKES_EFFECT_AFTER
    with engine.db.begin() as conn:
        claimed = conn.execute(update(pending_rule_changes).where(
            pending_rule_changes.c.id == request.id, pending_rule_changes.c.status == "pending",
        ).values(status="approved", decided_by=user.username, decided_at=now)).rowcount
        if claimed != 1:
            raise ConflictError("dit verzoek wordt of is al beoordeeld")
        version_id = deployed.record(conn, request.gemeente, request.decision_id, request.geldig_vanaf,
                                     request.content, deployed_at=effective,
                                     submitted_by=request.submitted_by, approved_by=user.username,
                                     note=request.note)
        conn.execute(update(pending_rule_changes).where(pending_rule_changes.c.id == request.id).values(
            rule_version_id=version_id, decision=json.dumps({"rule_version_id": version_id})))
    at = effective.astimezone(LEGAL_ZONE).strftime("%H:%M")
    return Outcome(True, f"Uitgerold als regelversie {version_id}: beslissingen vanaf {at} uur met een "
                         f"peildatum vanaf {_nl(request.geldig_vanaf)} gebruiken haar.", [], version_id)


def refuse(engine: CaseEngine, user: User, change_id: int, reason: str) -> None:
    """A reviewer refuses; the submitter may withdraw their own pending change."""
    request = get(engine.db, user, change_id)
    problem = may_decide(user, request)
    own = user.username == request.submitted_by and request.status == "pending"
    if problem and not own:
        raise NotAllowed(problem)
    status = "withdrawn" if own else "refused"
    _decide(engine, user, request, status, [reason.strip() or "afgewezen"])


def _refused(engine: CaseEngine, user: User, request: RuleChange, problems: list[str]) -> Outcome:
    _decide(engine, user, request, "refused", problems)
    return Outcome(False, "Wijziging geweigerd: de regels blijven zoals ze waren.", problems)


def _decide(engine: CaseEngine, user: User, request: RuleChange, status: str, problems: list[str]) -> None:
    with engine.db.begin() as conn:
        done = conn.execute(update(pending_rule_changes).where(
            pending_rule_changes.c.id == request.id, pending_rule_changes.c.status == "pending",
        ).values(status=status, decided_by=user.username, decided_at=engine.clock.now(),
                 decision=json.dumps({"problems": problems}, ensure_ascii=False))).rowcount
    if done != 1:
        raise ConflictError("dit verzoek wordt of is al beoordeeld")


def _nl(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def _change(row: RowMapping) -> RuleChange:
    decision: Mapping[str, Any] = json.loads(row["decision"] or "{}")
    return RuleChange(row["id"], row["gemeente"], row["decision_id"], row["geldig_vanaf"],
                      row["base_content"], row["base_label"], row["content"], row["content_hash"],
                      row["note"], row["status"],
                      row["submitted_by"], row["submitted_at"], row["decided_by"], row["decided_at"],
                      dict(decision), row["rule_version_id"])
