"""Proof that a case's stored state follows from its recorded inputs.

``verify_case`` checks the hash chain and its seal, then replays every process instance of the
case from its pinned model version, applying the recorded inputs (task completions with their
data, timer firings at their time, messages with their payload) at the recorded moments, and
compares each resulting state with the one recorded, and the end result with what is stored:
workflow state, worklist rows and waits. The first difference is named by its event.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection

from engine.assignment import routed_lane
from engine.audit import (
    engine_projections,  # noqa: F401 - registers the engine's own projections
    pinpoint,
    projections,
    unreadable,
)
from engine.audit.journal import GENESIS, HASH_FORMAT, hash_format, row_hash
from engine.audit.row_differences import Difference, differences
from engine.audit.seal import Sealer
from engine.models import versions
from engine.models.case_migration import EVENT_KIND as MIGRATED
from engine.models.case_migration import replay_migrated
from engine.runtime import Runtime, StepContext, reopen_task
from engine.scheduling import streefdatum
from engine.scheduling.waits import delivered_event, wait_keys
from engine.storage.db import cases, events, instances, waits, work_items
from engine.storage.state import data_from_json, load_state, state_hash
from engine.worklist import assigned_to, ready_user_tasks, task_properties

_Row = Mapping[Any, Any]  # a stored row, as read
# The external inputs a replay applies; every other event kind is a fact of the application.
REPLAYED_KINDS = frozenset({"instance_started", "task_completed", "task_corrected", "timer_fired",
                            "message_delivered", "signal_delivered", "instance_cancelled", MIGRATED})
# Who holds a task: not replayed, but the worklist rows are compared with them.
CLAIM_KINDS = frozenset({"task_claimed", "task_unclaimed", "task_reassigned"})


# Built once: on SQLite, building a statement costs more than running it (issue 16 item 5).
_CID: Any = bindparam("cid")
_CASE = select(cases).where(cases.c.id == _CID)
_EVENTS = select(events).where(events.c.case_id == _CID).order_by(events.c.seq)
_INSTANCES = select(instances).where(instances.c.case_id == _CID)
_WORK_ITEMS = select(work_items.c.task_id, work_items.c.instance_id, work_items.c.gemeente,
                     work_items.c.process_id, work_items.c.task_name, work_items.c.title, work_items.c.lane,
                     work_items.c.form, work_items.c.claimed_by, work_items.c.created_at,
                     work_items.c.due_at).where(work_items.c.case_id == _CID)
_WAITS = select(waits.c.instance_id, waits.c.kind, waits.c.name, waits.c.due_at).where(
    waits.c.case_id == _CID)
_CASE_READS = [("cases", _CASE), ("events", _EVENTS), ("instances", _INSTANCES), ("work_items", _WORK_ITEMS),
               ("waits", _WAITS)]
# The same reads for many cases at once (``Verifier.verify_many``: one query per table per batch).
_IDS: Any = bindparam("ids", expanding=True)
_BATCH_CASES = select(cases).where(cases.c.id.in_(_IDS))
_BATCH_EVENTS = select(events).where(events.c.case_id.in_(_IDS)).order_by(events.c.case_id, events.c.seq)
_BATCH_INSTANCES = select(instances).where(instances.c.case_id.in_(_IDS))
_BATCH_WORK_ITEMS = select(work_items.c.case_id, *_WORK_ITEMS.selected_columns).where(
    work_items.c.case_id.in_(_IDS))
_BATCH_WAITS = select(waits.c.case_id, *_WAITS.selected_columns).where(waits.c.case_id.in_(_IDS))


@dataclass
class _Batch:
    """What verify reads of each case, read for a batch of cases in one query per table."""
    cases: dict[int, Any]
    events: dict[int, list[dict[str, Any]]]
    instances: dict[int, dict[int, Any]]
    work_items: dict[int, dict[str, dict[str, Any]]]
    waits: dict[int, list[tuple[Any, ...]]]
    projected: projections.Prefetched = field(default_factory=dict)  # the projections' stored rows


def _dicts(conn: Connection, statement: Any, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The rows as dicts (zipped from plain rows: a third of the cost of ``.mappings()``)."""
    result = conn.execute(statement, params)
    keys = list(result.keys())
    return (dict(zip(keys, row, strict=True)) for row in result)


def _read_batch(conn: Connection, case_ids: list[int]) -> _Batch:
    ids = {"ids": case_ids}
    batch = _Batch({r["id"]: r for r in _dicts(conn, _BATCH_CASES, ids)}, {}, {}, {}, {})
    for case_id, *wait in conn.execute(_BATCH_WAITS, ids).all():
        batch.waits.setdefault(case_id, []).append(tuple(wait))
    for r in _dicts(conn, _BATCH_EVENTS, ids):
        batch.events.setdefault(r["case_id"], []).append(r)
    for r in _dicts(conn, _BATCH_INSTANCES, ids):
        batch.instances.setdefault(r["case_id"], {})[r["id"]] = r
    for item in _dicts(conn, _BATCH_WORK_ITEMS, ids):
        batch.work_items.setdefault(item.pop("case_id"), {})[item["task_id"]] = item
    numbers = {cid: case["case_number"] for cid, case in batch.cases.items()}
    batch.projected = projections.prefetch(conn, numbers)
    return batch


class Finding(Exception):
    """What an event says that its process contradicts (a precise message, not a crash)."""


@dataclass
class Verdict:
    case_id: int
    case_number: str
    problems: list[str] = field(default_factory=list)
    first_bad_seq: int | None = None
    # Events hashed in format 1 (before issue 16): their instance and task name are not under
    # their hash; the replay checks those against the process instead.
    legacy_seqs: list[int] = field(default_factory=list)
    resealed: bool = False  # the chain holds but its seal does not: someone re-hashed it
    rows: list[Difference] = field(default_factory=list)  # stored rows that differ, by table and key

    @property
    def ok(self) -> bool:
        return not self.problems

    def differ(self, difference: Difference, prefix: str = "") -> None:
        """A stored row that does not follow from the history: named with its table and key."""
        self.rows.append(difference)
        seq = difference.seq
        source = f" (vastgelegd in gebeurtenis {seq})" if seq else ""
        self.problems.append(f"{prefix}{difference.text}{source}")

    def fail(self, message: str, seq: int | None = None) -> None:
        if seq is not None and self.first_bad_seq is None:
            self.first_bad_seq = seq
        self.problems.append(message)


@dataclass
class _Replayed:
    uid: str
    version_id: int
    state: str
    counter: int
    # The workflow the last replayed step left, as the live engine had it when it wrote the
    # instance's worklist and wait rows from it (None: load it from ``state``). Only read after
    # the replay, never stepped again: every step reloads from the state text, as live.
    workflow: Any = None
    process_id: str | None = None  # as its instance_started event recorded them
    parent: Any = None
    parent_recorded: bool = False  # events before issue 16 did not record the parent
    cancelled: bool = False  # an incident's cancel (engine/scheduling/incidents.py)


class Verifier:
    def __init__(self, runtime: Runtime, specs: versions.StoredSpecs, sealer: Sealer) -> None:
        self.runtime = runtime
        self.specs = specs  # the models as stored now, checked against their hash
        self.sealer = sealer

    def verify_many(self, conn: Connection, case_ids: list[int]) -> list[Verdict]:
        """The verdicts of many cases, their rows read per table for all of them at once (the same
        snapshot: ``conn`` is one read-only transaction)."""
        try:
            self._batch = _read_batch(conn, case_ids)
        except unreadable.UNREADABLE:  # one edited value: read case by case to name the case
            self._batch = None
        try:
            return [self.verify(conn, case_id) for case_id in case_ids]
        finally:
            self._batch = None

    _batch: _Batch | None = None

    def verify(self, conn: Connection, case_id: int) -> Verdict:
        try:
            return self._verify(conn, case_id)
        except unreadable.UNREADABLE as exc:
            batch = self._batch
            if batch is not None:  # read once more on its own, so that the table is named
                self._batch = None
                try:
                    return self.verify(conn, case_id)
                finally:
                    self._batch = batch
            verdict = Verdict(case_id, unreadable.case_number(conn, case_id))
            verdict.fail(unreadable.explain(conn, case_id, _CASE_READS, exc))
            return verdict

    def _verify(self, conn: Connection, case_id: int) -> Verdict:
        batch = self._batch
        case = (batch.cases.get(case_id) if batch is not None
                else conn.execute(_CASE, {"cid": case_id}).mappings().first())
        verdict = Verdict(case_id, case["case_number"] if case else f"#{case_id}")
        if case is None:
            verdict.fail("zaak bestaat niet")
            return verdict
        rows = (batch.events.get(case_id, []) if batch is not None
                else [dict(r) for r in conn.execute(_EVENTS, {"cid": case_id}).mappings()])
        chain_holds = self._check_chain(case, rows, verdict)
        stored = (batch.instances.get(case_id, {}) if batch is not None
                  else {r["id"]: r for r in conn.execute(_INSTANCES, {"cid": case_id}).mappings()})
        self.specs.preload(conn, {r["process_version_id"] for r in stored.values()})
        if not chain_holds:
            self._explain(conn, case, rows, stored, verdict)
        else:
            replayed, claims = self._replay(conn, case, rows, stored, verdict)
            if verdict.first_bad_seq is None:
                self._check_stored(conn, case, stored, replayed, claims, verdict)
            rows_before = len(verdict.problems)
            since = next((r["at"] for r in rows if r["seq"] not in verdict.legacy_seqs), None)
            for difference in projections.check(conn, dict(case), rows, since,
                                                batch.projected if batch is not None else None):
                verdict.differ(difference)
            if verdict.resealed and verdict.first_bad_seq is None and len(verdict.problems) == rows_before:
                verdict.problems.append("de herhaling en de opgeslagen gegevens volgen nog uit de "
                                        "herschreven keten: welke gebeurtenis is gewijzigd, is niet meer "
                                        "af te leiden")
        return verdict

    # -- the chain ------------------------------------------------------------------------------
    def _check_chain(self, case: _Row, rows: list[dict[str, Any]], verdict: Verdict) -> bool:
        """The links and hashes; False when they break (the verdict names the event and how).
        A chain that holds but whose seal does not was re-hashed: the replay then names the event."""
        prev, newest = GENESIS, 0
        for index, row in enumerate(rows):
            seq = row["seq"]
            if seq != index + 1:
                verdict.fail(f"gebeurtenis {index + 1} ontbreekt in de keten (volgnummer {seq} volgt op "
                             f"{index})", index + 1)
                return False
            if row["prev_hash"] != prev:
                verdict.fail(_broken_link(rows, index), max(seq - 1, 1))
                return False
            found = hash_format(prev, row, newest)
            if found is None:
                following = rows[index + 1] if index + 1 < len(rows) else None
                message = _changed_event(prev, row, following, case)
                options = pinpoint.candidates(rows, case["id"], REPLAYED_KINDS | CLAIM_KINDS)
                field_edit = (pinpoint.pinpoint(prev, row, HASH_FORMAT, options)
                              or (pinpoint.pinpoint(prev, row, 1, options) if newest < 2 else None))
                verdict.fail(f"{message} ({field_edit})" if field_edit else message, seq)
                return False
            newest = max(newest, found)
            if found < HASH_FORMAT:
                verdict.legacy_seqs.append(seq)
            prev = row["hash"]
        if case["event_count"] != len(rows) or case["head_hash"] != prev:
            verdict.fail(f"de keten eindigt niet waar de zaak zegt: de zaak noemt gebeurtenis "
                         f"{case['event_count']}, de keten heeft er {len(rows)}", min(case["event_count"],
                                                                                      len(rows)) + 1)
            return False
        if not self.sealer.check(case["id"], case["event_count"], case["head_hash"], case["seal"]):
            verdict.fail("het zegel op de keten klopt niet: de historie is buiten trede om herschreven "
                         "(alle hashes opnieuw berekend)")
            verdict.resealed = True
        return True

    def _explain(self, conn: Connection, case: _Row, rows: list[dict[str, Any]], stored: dict[int, Any],
                 verdict: Verdict) -> None:
        """The chain broke at an edited event: replay up to it, so that what the process says about
        it (the task it names, the state its data leads to) joins the finding."""
        bad = verdict.first_bad_seq
        if bad is None or bad > len(rows):
            return
        detail = Verdict(verdict.case_id, verdict.case_number)
        self._replay(conn, case, rows[:bad], stored, detail)
        if detail.first_bad_seq == bad:
            verdict.problems.extend(detail.problems)

    # -- the replay -----------------------------------------------------------------------------
    def _replay(self, conn: Connection, case: _Row, rows: list[dict[str, Any]], stored: dict[int, Any],
                verdict: Verdict) -> tuple[dict[int, _Replayed], dict[str, str | None]]:
        replayed: dict[int, _Replayed] = {}
        claims: dict[str, str | None] = {}
        uids = {instance_id: row["uid"] for instance_id, row in stored.items()}
        for row in rows:
            kind, seq = row["kind"], row["seq"]
            payload = data_from_json(row["payload"])
            if kind in CLAIM_KINDS:
                claims[row["task_id"]] = None if kind == "task_unclaimed" else payload["user"]
                continue
            if kind not in REPLAYED_KINDS:  # application facts: in the chain, not replayed
                continue
            ctx = StepContext(case["id"], case["case_number"], case["gemeente"], row["at"], row["actor"],
                              conn=conn)
            try:
                self._apply(conn, replayed, uids, row, payload, ctx, claims)
            except Exception as exc:  # noqa: BLE001 - any failure to replay is a finding
                finding, what = _finding_in(exc), f"gebeurtenis {seq} ({kind} door {row['actor']})"
                verdict.fail(f"{what} klopt niet: {finding}" if finding
                             else f"{what} kan niet opnieuw worden uitgevoerd: {exc}", seq)
                return replayed, claims
            if state_hash(replayed[row["instance_id"]].state) != row["state_hash"]:
                task = f", taak {row['task_name']}" if row["task_name"] else ""
                verdict.fail(f"gebeurtenis {seq} ({kind} door {row['actor']}{task}): de opnieuw berekende "
                             f"toestand van instantie {row['instance_id']} wijkt af van de vastgelegde "
                             "(de vastgelegde invoer leidt niet tot het vastgelegde resultaat)", seq)
                return replayed, claims
            if kind == "task_completed":
                claims.pop(row["task_id"], None)
            elif kind == "instance_cancelled":
                replayed[row["instance_id"]].cancelled = True
        return replayed, claims

    def _apply(self, conn: Connection, replayed: dict[int, _Replayed], uids: dict[int, str],
               row: dict[str, Any], payload: dict[str, Any], ctx: StepContext,
               claims: dict[str, str | None]) -> None:
        """One recorded input applied to its instance; a Finding when the event names the wrong one."""
        kind, instance_id = row["kind"], row["instance_id"]
        if kind == "instance_started":
            if uids.get(instance_id) != payload["uid"]:
                raise Finding(f"instance_id {instance_id} is niet de instantie die hier startte "
                              f"(uid {payload['uid']})")
            replayed[instance_id] = self._start(conn, payload, ctx)
            return
        if instance_id not in replayed:
            raise Finding(f"instance_id {instance_id} is in deze zaak niet eerder gestart")
        if kind == MIGRATED:  # the process designer's hook (engine/models/case_migration.py)
            self._keep_claims(conn, replayed[instance_id], claims)
            replay_migrated(self.runtime, self.specs, conn, replayed[instance_id], payload, ctx)
            replayed[instance_id].workflow = None
        else:
            self._advance(conn, replayed[instance_id], kind, row, payload, ctx)

    def _start(self, conn: Connection, payload: dict[str, Any], ctx: StepContext) -> _Replayed:
        version = self.specs.version(conn, payload["process_version_id"])
        recorded = payload.get("model_hash")  # since issue 16: the model's hash when it started
        if recorded is not None and recorded != version.content_hash:
            raise Finding(f"de instantie startte op {version.process_id} met model-hash {recorded[:12]}; "
                          f"versie {version.version} (id {version.id}) heeft nu {version.content_hash[:12]}")
        spec, subs = self.specs.get(conn, version)
        outcome = self.runtime.start(spec, subs, payload["uid"], payload["data"], ctx)
        return _Replayed(payload["uid"], version.id, outcome.state, outcome.id_counter, outcome.workflow,
                         process_id=version.process_id, parent=payload.get("parent_instance_id"),
                         parent_recorded="parent_instance_id" in payload)

    def _keep_claims(self, conn: Connection, inst: _Replayed, claims: dict[str, str | None]) -> None:
        """A migration keeps the claims of the tasks that stay open (``rebuild_work_items``), also
        those that came from an assignee variable under the old model: fix them before migrating."""
        for task in ready_user_tasks(self._workflow(conn, inst)):
            claims.setdefault(str(task.id), assigned_to(task))

    def _workflow(self, conn: Connection, inst: _Replayed) -> BpmnWorkflow:
        if inst.workflow is not None:
            return inst.workflow
        spec, subs = self.specs.get(conn, self.specs.version(conn, inst.version_id))
        return load_state(inst.state, spec, subs)

    def _advance(self, conn: Connection, inst: _Replayed, kind: str, row: dict[str, Any],
                 payload: dict[str, Any], ctx: StepContext) -> None:
        spec, subs = self.specs.get(conn, self.specs.version(conn, inst.version_id))
        if inst.workflow is not None:
            # Fast path (issue 16 item 5): step on the workflow the previous step left instead of
            # loading its state text again. Accepted only when it leads to exactly the recorded
            # state; anything else is decided by the step as live took it, from the text.
            try:
                outcome = self.runtime.advance(spec, subs, inst.uid, inst.state, inst.counter, ctx,
                                               _action(kind, row, payload), loaded=inst.workflow)
            except Exception:  # noqa: BLE001 - the step from the text below gives the finding
                outcome = None
            if outcome is not None and state_hash(outcome.state) == row["state_hash"]:
                inst.state, inst.counter, inst.workflow = outcome.state, outcome.id_counter, outcome.workflow
                return
            inst.workflow = None
        outcome = self.runtime.advance(spec, subs, inst.uid, inst.state, inst.counter, ctx,
                                       _action(kind, row, payload))
        inst.state, inst.counter, inst.workflow = outcome.state, outcome.id_counter, outcome.workflow

    # -- what is stored now ---------------------------------------------------------------------
    def _check_stored(self, conn: Connection, case: _Row, stored: dict[int, Any],
                      replayed: dict[int, _Replayed], claims: dict[str, str | None],
                      verdict: Verdict) -> None:
        last = case["event_count"]
        if set(stored) != set(replayed):
            verdict.fail("de procesinstanties van de zaak wijken af van de historie", last)
            return
        expected_items: dict[str, dict[str, Any]] = {}
        streefdata: dict[str, str | None] = {}
        expected_waits: Counter[tuple[Any, ...]] = Counter()
        for instance_id, inst in replayed.items():
            row = stored[instance_id]
            if row["process_version_id"] != inst.version_id:
                verdict.fail(f"instances {instance_id} ({row['process_id']}), kolom process_version_id: "
                             f"opgeslagen {row['process_version_id']}, volgens de historie {inst.version_id}",
                             last)
                return
            if row["state"] != inst.state or row["state_hash"] != state_hash(inst.state):
                verdict.fail(f"de opgeslagen toestand van instantie {instance_id} ({row['process_id']}) "
                             "wijkt af van de historie", last)
                return
            workflow = self._workflow(conn, inst)
            for difference in differences("instances", {instance_id: _instance_columns(inst, workflow)},
                                          {instance_id: row}):
                verdict.differ(difference)
            expected_waits.update((instance_id, *key) for key in wait_keys(workflow))
            for task in ready_user_tasks(workflow):
                tid = str(task.id)  # claimed as recorded, else as the assignee variable says
                claim = claims[tid] if tid in claims else assigned_to(task)
                spec, props = task.task_spec, task_properties(task)
                streefdata[tid] = props.get(streefdatum.PROPERTY)
                expected_items[tid] = {"instance_id": instance_id, "gemeente": case["gemeente"],
                                       "process_id": row["process_id"], "task_name": spec.name,
                                       "title": spec.bpmn_name or spec.name,
                                       "lane": routed_lane(getattr(spec, "lane", None), row["process_id"],
                                                           task.data),  # as the data routes it
                                       "form": json.dumps(props) if props else None, "claimed_by": claim}
        batch = self._batch
        actual_items = (batch.work_items.get(case["id"], {}) if batch is not None
                        else {r["task_id"]: dict(r)
                              for r in conn.execute(_WORK_ITEMS, {"cid": case["id"]}).mappings()})
        for tid, item in expected_items.items():  # the streefdatum follows from when the task opened
            if tid in actual_items:
                item["due_at"] = streefdatum.due_at(streefdata[tid], actual_items[tid]["created_at"])
        for difference in differences("work_items", expected_items, actual_items):
            verdict.differ(difference, "de werkvoorraad van de zaak wijkt af van de historie: ")
        stored_waits = Counter(batch.waits.get(case["id"], []) if batch is not None
                               else [tuple(r) for r in conn.execute(_WAITS, {"cid": case["id"]}).all()])
        if stored_waits != expected_waits:
            verdict.fail("de wachtende timers/berichten van de zaak wijken af van de historie: "
                         + _waits_text(stored_waits, expected_waits), last)


def _waits_text(stored: Counter[tuple[Any, ...]], expected: Counter[tuple[Any, ...]]) -> str:
    """The waits that differ, e.g. "opgeslagen: timer 'Einde' van instantie 3 op 2031-01-01 00:00 UTC;
    volgens de historie: timer 'Einde' van instantie 3 op 2026-06-01 00:00 UTC"."""
    def listed(waits: Counter[tuple[Any, ...]]) -> str:
        return "; ".join(f"{kind} {name!r} van instantie {iid}"
                         + (f" op {due.astimezone(UTC):%Y-%m-%d %H:%M} UTC" if due is not None else "")
                         for iid, kind, name, due in sorted(waits.elements(), key=str)) or "geen"
    return f"opgeslagen: {listed(stored - expected)}; volgens de historie: {listed(expected - stored)}"


def _instance_columns(inst: _Replayed, workflow: BpmnWorkflow) -> dict[str, Any]:
    """What the history says of an instance's row beside its state: which process, where it was
    called from, whether it ended, how far its task ids have counted."""
    status = "cancelled" if inst.cancelled else "completed" if workflow.is_completed() else "running"
    expected: dict[str, Any] = {"status": status,
                                "id_counter": inst.counter}
    if inst.process_id is not None:
        expected["process_id"] = inst.process_id
    if inst.parent_recorded:
        expected["parent_instance_id"] = inst.parent
    return expected


def _action(kind: str, row: dict[str, Any], payload: dict[str, Any]) -> Callable[[BpmnWorkflow], None]:
    if kind == "task_completed":
        def complete(workflow: BpmnWorkflow) -> None:
            task = workflow.get_task_from_id(UUID(row["task_id"]))
            if task is None or task.state != TaskState.READY:
                raise Finding(f"taak {row['task_name']} ({row['task_id']}) stond op dat moment niet open")
            if task.task_spec.name != row["task_name"]:
                raise Finding(f"task_name: opgeslagen {row['task_name']!r}, volgens het proces "
                              f"{task.task_spec.name!r}")
            task.data.update(payload["data"])
            task.run()
        return complete
    if kind == "task_corrected":
        return lambda workflow: reopen_task(workflow, row["task_id"])
    if kind == "timer_fired":
        return lambda workflow: workflow.refresh_timers()
    if kind == "instance_cancelled":  # an incident cancelled (engine/scheduling/incidents.py)
        return lambda workflow: workflow.cancel()
    event = delivered_event(kind, payload["name"], payload["payload"])
    return lambda workflow: workflow.send_event(event)


def verdict_json(verdict: Verdict) -> str:
    return json.dumps({"case": verdict.case_number, "ok": verdict.ok, "problems": verdict.problems,
                       "first_bad_event": verdict.first_bad_seq})


def _finding_in(exc: BaseException) -> BaseException | None:
    """The Finding behind an error (the sandbox wraps what a step raises in StepFailed)."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None or isinstance(seen, Finding | versions.ModelChanged):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _short(digest: str | None) -> str:
    return (digest or "-")[:12]


def _broken_link(rows: list[dict[str, Any]], index: int) -> str:
    """Event ``index`` does not point at the hash its predecessor carries."""
    row = rows[index]
    if index == 0:
        return f"gebeurtenis 1 ({row['kind']}) is gewijzigd: zij verwijst niet naar het begin van de keten"
    before = rows[index - 1]
    return (f"gebeurtenis {before['seq']} ({before['kind']}) is gewijzigd en opnieuw gehasht: gebeurtenis "
            f"{row['seq']} verwijst nog naar hash {_short(row['prev_hash'])}, opgeslagen staat "
            f"{_short(before['hash'])}")


def _changed_event(prev: str, row: dict[str, Any], following: dict[str, Any] | None, case: _Row) -> str:
    """Event ``row`` does not hash to what it carries: name what was edited as far as the chain tells."""
    what = f"gebeurtenis {row['seq']} ({row['kind']} door {row['actor']} op {row['at']:%Y-%m-%d %H:%M} UTC)"
    expected = row_hash(prev, row)
    carried_on = following["prev_hash"] if following is not None else case["head_hash"]
    if carried_on == expected:
        return (f"{what}: de hashketen klopt niet; de opgeslagen hash is gewijzigd (opgeslagen "
                f"{_short(row['hash'])}, berekend {_short(expected)}); de velden zelf kloppen met de keten")
    return (f"{what} is gewijzigd: de hashketen klopt niet; de opgeslagen velden (soort, actor, tijdstip, "
            f"instantie, taak, gegevens of toestand) geven niet meer de hash {_short(row['hash'])} die de "
            "keten vastlegt")
