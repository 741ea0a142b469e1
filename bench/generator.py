"""Bulk generator: N valid cases with histories, fast enough for 100,000 on PostgreSQL.

Each case shape (``bench.shapes``) runs once per variant through the real ``CaseEngine``; those
template cases stay in the database as ordinary cases. Every generated case is a copy of one
template under new ids, and a copy is exactly what the engine would have written for that case:

- the engine's instance uid is uuid5(namespace, "<case number>/<n>") and its task ids are
  uuid5(uid, counter), so the copy's ids are recomputed from its own case number, and every
  template id in state, events and worklist is replaced by the copy's (one regex pass per text);
- numeric ids inside event payloads (client, parent instance, deadline) are renumbered;
- the gemeente and the case manager are placeholders in the template, filled in per copy;
- state hashes, the event hash chain and the seal are recomputed (``engine.audit.journal.event_hash``,
  ``engine.audit.seal.Sealer``), so ``CaseEngine.verify`` replays a copy and accepts it.

Rows go in with COPY on PostgreSQL (one transaction per chunk, two processes) and with
SQLAlchemy ``executemany`` on SQLite. Ids are assigned here, sequences are moved on afterwards.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import random
import re
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.engine import Connection, Engine, make_url

from bench.bundle import TEST_MODELS, bundle_files
from bench.shapes import MIXED, TEMPLATE_GEMEENTE, TEMPLATE_USER, Driver, Shape
from engine.audit.journal import event_hash
from engine.audit.seal import Sealer
from engine.clock import FixedClock
from engine.service import CaseEngine
from engine.storage.db import cases, clients, deadlines, events, instances, make_db_engine, waits, work_items

try:  # the step path is being split out of engine.service; either place names the same namespace
    from engine.steps import INSTANCE_NAMESPACE
except ImportError:
    from engine.service import INSTANCE_NAMESPACE

GEMEENTEN = [f"gemeente{n:02d}" for n in range(1, 21)]
CASEMANAGERS_PER_GEMEENTE = 25
VOORNAMEN = ["Anna", "Bram", "Chantal", "Daan", "Esra", "Fleur", "Gijs", "Hanna", "Ivo", "Jasmijn",
             "Kees", "Lotte", "Mohamed", "Noor", "Omar", "Petra", "Rik", "Sanne", "Tim", "Yara"]
ACHTERNAMEN = ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
               "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
               "Brouwer", "de Wit", "Dijkstra", "Yilmaz", "El Amrani", "Kaya", "Sahin", "Nguyen"]
# Everything a template can carry that differs per copy, in one pass over a text.
_TOKENS = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    rf"|{TEMPLATE_USER}|{TEMPLATE_GEMEENTE}"
    r'|"(?:client_id|parent_instance_id|deadline_id|termijn_id)":\d+'
    r"|Z\d{4}-\d{6}")
# Tables in foreign-key order; ids of events and waits are left to the database (nothing refers to them).
ID_TABLES = (clients, cases, instances, deadlines)


def user_name(gemeente: str, n: int) -> str:
    return f"cm{n:02d}.{gemeente}"


# -- templates ------------------------------------------------------------------------------------
Pieces = tuple[str, ...]  # literal, token, literal, token, ..., literal


def compile_text(value: str | None) -> Pieces | None:
    """Split a text at its replaceable tokens once, so that each copy only joins strings."""
    if value is None:
        return None
    pieces, pos = [], 0
    for match in _TOKENS.finditer(value):
        pieces += [value[pos:match.start()], match.group(0)]
        pos = match.end()
    pieces.append(value[pos:])
    return tuple(pieces)


def render(pieces: Pieces | None, names: Mapping[str, str]) -> str | None:
    if pieces is None:
        return None
    if len(pieces) == 1:
        return pieces[0]
    parts = list(pieces)
    for i in range(1, len(parts), 2):
        parts[i] = names.get(parts[i], parts[i])
    return "".join(parts)


@dataclass
class Template:
    """The rows of one template case as the engine wrote them, texts split at their tokens."""

    shape: str
    case: dict
    client: dict
    instances: list[dict]
    events: list[dict]
    work_items: list[dict]
    waits: list[dict]
    deadlines: list[dict]
    # Every state a step of this case produced, by hash: events carry the hash of the state after
    # their step, and replay recomputes it, so a copy needs the copied intermediate states' hashes.
    step_states: dict[str, Pieces]
    # template uuid text -> (index of its instance, counter); the instance uid itself has counter 0
    uuids: dict[str, tuple[int, int]] = field(default_factory=dict)


class StateRecorder:
    """Wraps the runtime during template building to keep every state a step produces."""

    def __init__(self, engine: CaseEngine) -> None:
        self.states: dict[str, str] = {}
        runtime = engine.runtime
        start, advance = runtime.start, runtime.advance

        def recording_start(*args, **kwargs):
            return self._keep(start(*args, **kwargs))

        def recording_advance(*args, **kwargs):
            return self._keep(advance(*args, **kwargs))

        runtime.start, runtime.advance = recording_start, recording_advance

    def _keep(self, outcome):
        self.states[hashlib.sha256(outcome.state.encode("utf-8")).hexdigest()] = outcome.state
        return outcome


def build_templates(engine: CaseEngine, shapes: Mapping[str, Shape], variants: int, end: datetime,
                    first_bsn: int = 999900000) -> list[Template]:
    """Run every shape ``variants`` times through the engine, ending ``variant`` x 10 min before ``end``."""
    clock = engine.clock
    if not isinstance(clock, FixedClock):
        raise TypeError("templates are built with a FixedClock")
    recorder = StateRecorder(engine)
    built = []
    n = first_bsn
    for variant in range(variants):
        # Ten minutes apart: copies differ in their times, yet no timer of a shape falls due by ``end``.
        driver = Driver(engine, clock, end - timedelta(minutes=10 * variant), variant)
        for name, shape in shapes.items():
            n += 1
            built.append(capture(engine, name, shape(driver, f"{n:09d}"), recorder.states))
    return built


def capture(engine: CaseEngine, shape: str, case_id: int, states: Mapping[str, str]) -> Template:
    with engine.db.connect() as conn:
        def rows(table, where, order) -> list[dict]:
            return [dict(r) for r in conn.execute(select(table).where(where).order_by(order)).mappings()]

        case = rows(cases, cases.c.id == case_id, cases.c.id)[0]
        t = Template(
            shape, case, rows(clients, clients.c.id == case["client_id"], clients.c.id)[0],
            rows(instances, instances.c.case_id == case_id, instances.c.id),
            rows(events, events.c.case_id == case_id, events.c.seq),
            rows(work_items, work_items.c.case_id == case_id, work_items.c.task_id),
            rows(waits, waits.c.case_id == case_id, waits.c.id),
            rows(deadlines, deadlines.c.case_id == case_id, deadlines.c.id), {})
    for ev in t.events:
        if ev["state_hash"] is not None:
            t.step_states[ev["state_hash"]] = compile_text(states[ev["state_hash"]])
        for key in ("payload", "task_id", "actor"):
            ev[key] = compile_text(ev[key])
    for index, inst in enumerate(t.instances):
        expected = uuid.uuid5(INSTANCE_NAMESPACE, f"{case['case_number']}/{index + 1}")
        if inst["uid"] != str(expected):  # the engine names instances differently: copies would not replay
            raise RuntimeError(f"instance uid of {case['case_number']} is not derived as expected")
        inst["state"] = compile_text(inst["state"])
        uid = uuid.UUID(inst["uid"])
        t.uuids[inst["uid"]] = (index, 0)
        for counter in range(1, inst["id_counter"] + 1):
            t.uuids[str(uuid.uuid5(uid, str(counter)))] = (index, counter)
    for item in t.work_items:
        item["claimed_by"] = compile_text(item["claimed_by"])
    return t


def uuid5_text(namespace: uuid.UUID, name: str) -> str:
    """``str(uuid.uuid5(namespace, name))`` without building UUID objects (a third of a copy's time)."""
    digest = bytearray(hashlib.sha1(namespace.bytes + name.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# -- copies -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Ids:
    """Where one copy's ids start (the copy uses start+1 .. start+n of each)."""

    client: int
    case: int
    instance: int
    deadline: int


COLUMNS: dict[str, list[str]] = {
    "clients": [c.name for c in clients.columns],
    "cases": [c.name for c in cases.columns],
    "instances": [c.name for c in instances.columns],
    "events": [c.name for c in events.columns if c.name != "id"],
    "work_items": [c.name for c in work_items.columns],
    "waits": [c.name for c in waits.columns if c.name != "id"],
    "deadlines": [c.name for c in deadlines.columns],
}


def empty_rows() -> dict[str, list[tuple]]:
    return {table: [] for table in COLUMNS}


@dataclass(frozen=True)
class Person:
    gemeente: str
    user: str  # the case manager who claimed the copy's claimed task
    naam: str
    bsn: str


def copy_case(t: Template, ids: Ids, who: Person, sealer: Sealer, out: dict[str, list[tuple]]) -> None:
    """Append the rows of one copy of ``t`` to ``out`` (columns in ``COLUMNS`` order)."""
    case_id, client_id = ids.case + 1, ids.client + 1
    number = f"Z{t.case['case_number'][1:5]}-{case_id:06d}"
    uids = [uuid.UUID(uuid5_text(INSTANCE_NAMESPACE, f"{number}/{i + 1}")) for i in range(len(t.instances))]
    names: dict[str, str] = {TEMPLATE_USER: who.user, TEMPLATE_GEMEENTE: who.gemeente,
                             t.case["case_number"]: number,
                             f'"client_id":{t.client["id"]}': f'"client_id":{client_id}'}
    instance_ids = {inst["id"]: ids.instance + i + 1 for i, inst in enumerate(t.instances)}
    for old, new in instance_ids.items():
        names[f'"parent_instance_id":{old}'] = f'"parent_instance_id":{new}'
    deadline_ids = {row["id"]: ids.deadline + i + 1 for i, row in enumerate(t.deadlines)}
    for old, new in deadline_ids.items():
        names[f'"deadline_id":{old}'] = f'"deadline_id":{new}'
        names[f'"termijn_id":{old}'] = f'"termijn_id":{new}'
    for old, (index, counter) in t.uuids.items():
        names[old] = str(uids[index]) if counter == 0 else uuid5_text(uids[index], str(counter))

    out["clients"].append(_row("clients", t.client, id=client_id, gemeente=who.gemeente, bsn=who.bsn,
                               naam=who.naam))
    for inst in t.instances:
        state = render(inst["state"], names)
        parent = inst["parent_instance_id"]
        out["instances"].append(_row(
            "instances", inst, id=instance_ids[inst["id"]], uid=names[inst["uid"]], case_id=case_id,
            parent_instance_id=instance_ids[parent] if parent else None, state=state,
            state_hash=hashlib.sha256(state.encode("utf-8")).hexdigest()))
    step_hashes: dict[str, str] = {}
    head = t.events[0]["prev_hash"]
    for ev in t.events:
        payload, task_id, actor = (render(ev["payload"], names), render(ev["task_id"], names),
                                   render(ev["actor"], names))
        digest = ev["state_hash"]
        if digest is not None:
            if digest not in step_hashes:
                state = render(t.step_states[digest], names)
                step_hashes[digest] = hashlib.sha256(state.encode("utf-8")).hexdigest()
            digest = step_hashes[digest]
        instance_id = instance_ids.get(ev["instance_id"])
        new = event_hash(head, ev["seq"], ev["kind"], actor, ev["at"], task_id, payload, digest,
                         case_id=case_id, instance_id=instance_id, task_name=ev["task_name"])
        out["events"].append(_row("events", ev, case_id=case_id, actor=actor, task_id=task_id,
                                  instance_id=instance_id, payload=payload,
                                  state_hash=digest, prev_hash=head, hash=new))
        head = new
    count = t.case["event_count"]
    out["cases"].append(_row("cases", t.case, id=case_id, case_number=number, gemeente=who.gemeente,
                             client_id=client_id, head_hash=head, seal=sealer.seal(case_id, count, head)))
    for w in t.work_items:
        out["work_items"].append(_row(
            "work_items", w, task_id=names[w["task_id"]], instance_id=instance_ids[w["instance_id"]],
            case_id=case_id, gemeente=who.gemeente, claimed_by=render(w["claimed_by"], names)))
    for w in t.waits:
        out["waits"].append(_row("waits", w, instance_id=instance_ids[w["instance_id"]], case_id=case_id))
    for d in t.deadlines:
        out["deadlines"].append(_row("deadlines", d, id=deadline_ids[d["id"]], case_id=case_id,
                                     instance_id=instance_ids.get(d["instance_id"])))


def _row(table: str, template: dict, **changes) -> tuple:
    # Columns the copy does not change are taken from the template row as they are, so that columns
    # other engineers add to these tables are carried over without a change here.
    return tuple(changes[c] if c in changes else template[c] for c in COLUMNS[table])


# -- writing --------------------------------------------------------------------------------
def write_postgres(conninfo: str, out: dict[str, list[tuple]]) -> None:
    import psycopg  # only on PostgreSQL runs

    with psycopg.connect(conninfo) as conn:
        conn.execute("SET synchronous_commit = off")  # bulk load: a crash loses the chunk, not consistency
        with conn.cursor() as cur:
            for table, rows in out.items():
                if not rows:
                    continue
                cols = ", ".join(COLUMNS[table])
                # Timestamps are aware UTC datetimes (as engine.storage.db.UTCDateTime returns them); the text
                # form "...+00:00" goes into "timestamp without time zone" as the same UTC value.
                with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)


def write_sqlalchemy(db: Engine, out: dict[str, list[tuple]]) -> None:
    tables = {"clients": clients, "cases": cases, "instances": instances, "events": events,
              "work_items": work_items, "waits": waits, "deadlines": deadlines}
    with db.begin() as conn:
        for table, rows in out.items():
            if rows:
                names = COLUMNS[table]
                conn.execute(tables[table].insert(), [dict(zip(names, row, strict=True)) for row in rows])


# -- the whole run ----------------------------------------------------------------------------
CHUNK = 2000  # cases per COPY transaction


@dataclass
class Generated:
    cases: int  # copies written (templates not counted)
    seconds: float  # copies only: from the first chunk to the last commit, sequences and ANALYZE
    template_seconds: float
    templates: list[Template]
    first_case_id: int  # of the copies
    rows: dict[str, int]

    @property
    def cases_per_s(self) -> float:
        return self.cases / self.seconds


@dataclass(frozen=True)
class Chunk:
    first: int  # copy number
    count: int
    ids: Ids


def plan_chunks(templates: list[Template], n: int, start: Ids, chunk: int = CHUNK) -> list[Chunk]:
    """Id ranges per chunk, known up front so that processes can write chunks independently."""
    chunks, ids = [], start
    for first in range(0, n, chunk):
        count = min(chunk, n - first)
        chunks.append(Chunk(first, count, ids))
        for i in range(first, first + count):
            ids = _next(ids, templates[i % len(templates)])
    return chunks


def _next(ids: Ids, t: Template) -> Ids:
    return Ids(ids.client + 1, ids.case + 1, ids.instance + len(t.instances), ids.deadline + len(t.deadlines))


def chunk_rows(templates: list[Template], chunk: Chunk, sealer: Sealer, seed: int) -> dict[str, list[tuple]]:
    rng = random.Random(seed * 1_000_003 + chunk.first)
    out = empty_rows()
    ids = chunk.ids
    for i in range(chunk.first, chunk.first + chunk.count):
        t = templates[i % len(templates)]
        gemeente = GEMEENTEN[rng.randrange(len(GEMEENTEN))]
        user = user_name(gemeente, rng.randrange(CASEMANAGERS_PER_GEMEENTE) + 1)
        naam = f"{rng.choice(VOORNAMEN)} {rng.choice(ACHTERNAMEN)}"
        who = Person(gemeente, user, naam, f"{100_000_000 + ids.case + 1:09d}")
        copy_case(t, ids, who, sealer, out)
        ids = _next(ids, t)
    return out


# Set in the parent before forking: the children inherit templates and key without pickling them.
_WORK: dict = {}


def _write_chunk(chunk: Chunk) -> dict[str, int]:
    rows = chunk_rows(_WORK["templates"], chunk, _WORK["sealer"], _WORK["seed"])
    write_postgres(_WORK["conninfo"], rows)
    return {table: len(r) for table, r in rows.items()}


def conninfo(url: str) -> str:
    """libpq URI for psycopg from a SQLAlchemy URL (keeps ``options=-csearch_path=...``)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def bundle_with_timer() -> dict[str, bytes]:
    return {**bundle_files(), "wacht.bpmn": (TEST_MODELS / "wacht.bpmn").read_bytes()}


def generate(url: str, n: int, seal_key: bytes, *, shapes: Mapping[str, Shape] = MIXED, variants: int = 20,
             end: datetime | None = None, processes: int = 2, seed: int = 9) -> Generated:
    """Templates through the engine, then ``n`` copies in bulk. ``end``: the moment the histories reach."""
    end = end or datetime.now(UTC).replace(microsecond=0)
    sealer = Sealer(seal_key)
    engine = CaseEngine(make_db_engine(url), clock=FixedClock(end), sealer=sealer)
    began = time.perf_counter()
    engine.deploy(bundle_with_timer())
    templates = build_templates(engine, shapes, variants, end)
    template_seconds = time.perf_counter() - began
    with engine.db.connect() as conn:
        start = Ids(*(_max_id(conn, table) for table in ID_TABLES))
    engine.db.dispose()
    chunks = plan_chunks(templates, n, start)
    totals = dict.fromkeys(COLUMNS, 0)
    began = time.perf_counter()
    if engine.db.dialect.name == "postgresql":
        _WORK.update(templates=templates, sealer=sealer, seed=seed, conninfo=conninfo(url))
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            for counts in pool.imap_unordered(_write_chunk, chunks):
                for table, count in counts.items():
                    totals[table] += count
        _WORK.clear()
    else:
        for chunk in chunks:
            rows = chunk_rows(templates, chunk, sealer, seed)
            write_sqlalchemy(engine.db, rows)
            for table, r in rows.items():
                totals[table] += len(r)
    finish(engine.db)
    seconds = time.perf_counter() - began
    engine.db.dispose()
    return Generated(n, seconds, template_seconds, templates, start.case + 1, totals)


def _max_id(conn: Connection, table) -> int:
    return conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()


def finish(db: Engine) -> None:
    """Move PostgreSQL's id sequences past the ids written here; refresh planner statistics."""
    with db.begin() as conn:
        if db.dialect.name == "postgresql":
            for table in (clients, cases, instances, deadlines, events, waits):
                conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table.name}))"))
        # Only these tables: a bare ANALYZE visits every schema of the database, other runs' too.
        for table in ID_TABLES + (events, work_items, waits):
            conn.execute(text(f"ANALYZE {table.name}"))


def copies(generated: Generated) -> Iterator[int]:
    """Case ids of the generated copies."""
    return iter(range(generated.first_case_id, generated.first_case_id + generated.cases))
