"""What the SQL of one engine step costs on PostgreSQL, written three ways (``--only stepsql``).

Not in the default run and not in the results file (like ``profile``): a design measurement for
the "engine step <= 2.5x bare" target. The same rows and values each time, the three ways
interleaved, medians:

- *row by row*: the statements ``CaseEngine.complete`` executed before the step's writes were
  pipelined, through SQLAlchemy -- lock the case of the task, read item + instance, update
  instance, delete + insert work items, insert event, move the case head; BEGIN and COMMIT around
  them. (``complete`` now does as *read + pipeline*: ``engine/storage/step_writes.py``.)
- *read + CTE*: one locking read (case, item and instance joined, ``FOR UPDATE OF cases``) and all
  writes as one data-modifying CTE (one round trip; rowcount checks come back as counts).
- *pipeline*: the same locking read, then the five writes in psycopg pipeline mode on the same
  connection (one network flush, no SQLAlchemy per-statement work).

A step never deletes and inserts the same task id, so each round retires the task it read and
readies a new one, as a real step does.
"""
from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import bindparam, delete, select, update

from bench.databases import postgres_schema
from bench.generator import conninfo, generate
from bench.stats import Samples
from engine.storage.db import cases, events, instances, make_db_engine, work_items

# The statements of the step path as the engine builds them (engine/steps.py, worklist.py,
# journal.py), written out here: the engine's own are private to it.
LOCK_CASE_OF_TASK = select(cases).where(cases.c.id == select(work_items.c.case_id).where(
    work_items.c.task_id == bindparam("tid")).scalar_subquery()).with_for_update()
ITEM_WITH_INSTANCE = (select(instances, work_items.c.claimed_by, work_items.c.task_name,
                             work_items.c.title, work_items.c.instance_id)
                      .join(instances, instances.c.id == work_items.c.instance_id)
                      .where(work_items.c.task_id == bindparam("tid")))
UPDATE_INSTANCE = update(instances).where(
    instances.c.id == bindparam("iid"), instances.c.version == bindparam("old_version"),
).values(state=bindparam("new_state"), state_hash=bindparam("new_hash"), id_counter=bindparam("new_counter"),
         version=bindparam("new_version"), updated_at=bindparam("now"), status=bindparam("new_status"),
         completed_at=bindparam("done_at"))
DELETE_ITEMS = delete(work_items).where(work_items.c.task_id.in_(bindparam("ids", expanding=True)))
INSERT_ITEM = work_items.insert()
INSERT_EVENT = events.insert()
MOVE_HEAD = update(cases).where(
    cases.c.id == bindparam("cid"), cases.c.version == bindparam("old_version"),
).values(event_count=bindparam("count"), head_hash=bindparam("head"), version=bindparam("new_version"),
         seal=bindparam("new_seal"))
LOCK_READ = """SELECT c.*, i.version AS iversion FROM work_items w JOIN cases c ON c.id = w.case_id
    JOIN instances i ON i.id = w.instance_id WHERE w.task_id = %(tid)s FOR UPDATE OF c"""
WRITE_CTE = """WITH ui AS (UPDATE instances SET state = %(state)s, state_hash = %(sh)s, version = version + 1,
          updated_at = %(now)s WHERE id = %(iid)s AND version = %(iver)s RETURNING 1),
      dw AS (DELETE FROM work_items WHERE task_id = ANY(%(gone)s) RETURNING 1),
      iw AS (INSERT INTO work_items (task_id, instance_id, case_id, gemeente, process_id, task_name, title,
             created_at) SELECT * FROM json_to_recordset(%(new)s::json) AS x(task_id text, instance_id int,
             case_id int, gemeente text, process_id text, task_name text, title text, created_at timestamp)
             RETURNING 1),
      ie AS (INSERT INTO events (case_id, seq, instance_id, kind, actor, at, task_id, task_name, payload,
             state_hash, prev_hash, hash) VALUES (%(cid)s, %(seq)s, %(iid)s, 'bench', 'cm', %(now)s, %(tid)s,
             'gesprek', %(payload)s, %(sh)s, %(prev)s, %(hash)s) RETURNING 1),
      uc AS (UPDATE cases SET event_count = %(seq)s, head_hash = %(hash)s, version = version + 1,
             seal = %(seal)s WHERE id = %(cid)s AND version = %(cver)s RETURNING 1)
    SELECT (SELECT count(*) FROM ui), (SELECT count(*) FROM uc)"""

# The five writes one by one, for pipeline mode.
P_INSTANCE = ("UPDATE instances SET state = %s, state_hash = %s, version = version + 1 "
              "WHERE id = %s AND version = %s")
P_DELETE = "DELETE FROM work_items WHERE task_id = ANY(%s)"
P_ITEM = ("INSERT INTO work_items (task_id, instance_id, case_id, gemeente, process_id, task_name, title, "
          "created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)")
P_EVENT = ("INSERT INTO events (case_id, seq, instance_id, kind, actor, at, task_id, task_name, payload, "
           "state_hash, prev_hash, hash) "
           "VALUES (%s, %s, %s, 'bench', 'cm', %s, %s, 'gesprek', %s, %s, %s, %s)")
P_CASE = ("UPDATE cases SET event_count = %s, head_hash = %s, version = version + 1, seal = %s "
          "WHERE id = %s AND version = %s")


class Rig:
    """One evaluation task of a generated case, retired and readied again every round."""

    def __init__(self, url: str) -> None:
        self.db = make_db_engine(url)
        with self.db.connect() as conn:
            self.item = dict(conn.execute(select(work_items).where(work_items.c.task_name == "gesprek")
                                          .limit(1)).mappings().first())
            self.state = conn.execute(select(instances.c.state).where(
                instances.c.id == self.item["instance_id"])).scalar_one()
            self.seq = conn.execute(select(cases.c.event_count).where(
                cases.c.id == self.item["case_id"])).scalar_one()
        self.task_id = self.item["task_id"]
        self.now = datetime.now(UTC)
        self.payload = json.dumps({"task_id": self.task_id, "data": {"verslag": "x", "trede": 3}})
        self.raw = __import__("psycopg").connect(conninfo(url))

    def rotate(self) -> tuple[str, str]:
        old, self.task_id = self.task_id, str(uuid.uuid4())
        self.seq += 1
        return old, self.task_id

    def now_style(self) -> None:
        gone, new = self.rotate()
        iid, cid = self.item["instance_id"], self.item["case_id"]
        with self.db.begin() as conn:
            case = conn.execute(LOCK_CASE_OF_TASK, {"tid": gone}).mappings().first()
            item = conn.execute(ITEM_WITH_INSTANCE, {"tid": gone}).mappings().first()
            conn.execute(UPDATE_INSTANCE, {
                "iid": iid, "old_version": item["version"], "new_state": self.state, "new_hash": "0" * 64,
                "new_counter": item["id_counter"], "new_version": item["version"] + 1, "now": self.now,
                "new_status": "running", "done_at": None})
            conn.execute(DELETE_ITEMS, {"ids": [gone]})
            conn.execute(INSERT_ITEM, [{**self.item, "task_id": new}])
            conn.execute(INSERT_EVENT, dict(
                case_id=cid, seq=self.seq, instance_id=iid, kind="bench", actor="cm", at=self.now,
                task_id=gone, task_name="gesprek", payload=self.payload, state_hash="0" * 64,
                prev_hash="0" * 64, hash="1" * 64))
            conn.execute(MOVE_HEAD, {"cid": cid, "old_version": case["version"], "count": self.seq,
                                              "head": "1" * 64, "new_version": case["version"] + 1,
                                              "new_seal": "2" * 64})

    def cte_style(self) -> None:
        gone, new = self.rotate()
        new_rows = json.dumps([{k: self.item[k] for k in ("instance_id", "case_id", "gemeente", "process_id",
                                                          "task_name", "title")}
                               | {"task_id": new, "created_at": self.now.replace(tzinfo=None).isoformat()}])
        with self.raw.transaction():
            cur = self.raw.execute(LOCK_READ, {"tid": gone})
            row = dict(zip([d.name for d in cur.description], cur.fetchone(), strict=True))
            counts = self.raw.execute(WRITE_CTE, self._params(gone, row) | {"gone": [gone], "new": new_rows})
            if counts.fetchone() != (1, 1):
                raise RuntimeError("version check failed")

    def pipeline_style(self) -> None:
        gone, new = self.rotate()
        iid, cid, item = self.item["instance_id"], self.item["case_id"], self.item
        with self.raw.transaction():
            cur = self.raw.execute(LOCK_READ, {"tid": gone})
            row = dict(zip([d.name for d in cur.description], cur.fetchone(), strict=True))
            with self.raw.pipeline():
                self.raw.execute(P_INSTANCE, (self.state, "0" * 64, iid, row["iversion"]))
                self.raw.execute(P_DELETE, ([gone],))
                self.raw.execute(P_ITEM, (new, iid, cid, item["gemeente"], item["process_id"],
                                          item["task_name"], item["title"], self.now))
                self.raw.execute(P_EVENT, (cid, self.seq, iid, self.now, gone, self.payload, "0" * 64,
                                           "0" * 64, "1" * 64))
                self.raw.execute(P_CASE, (self.seq, "1" * 64, "2" * 64, cid, row["version"]))

    def _params(self, gone: str, row: dict) -> dict:
        return {"state": self.state, "sh": "0" * 64, "now": self.now, "iid": self.item["instance_id"],
                "iver": row["iversion"], "cid": self.item["case_id"], "seq": self.seq, "tid": gone,
                "payload": self.payload, "prev": "0" * 64, "hash": "1" * 64, "seal": "2" * 64,
                "cver": row["version"]}

    def close(self) -> None:
        self.raw.close()
        self.db.dispose()


def run(base_url: str, rounds: int) -> dict[str, Samples]:
    with postgres_schema(base_url) as url:
        generate(url, 20, secrets.token_bytes(32), variants=1)
        rig = Rig(url)
        try:
            sides: dict[str, Callable[[], None]] = {
                "row by row (8 statements)": rig.now_style, "read + CTE": rig.cte_style,
                "read + pipeline": rig.pipeline_style}
            samples = {name: Samples(name) for name in sides}
            names = list(sides)
            for r in range(20 + rounds):
                for name in names if r % 2 == 0 else names[::-1]:
                    if r < 20:
                        sides[name]()
                    else:
                        samples[name].timed(sides[name])
            return samples
        finally:
            rig.close()


def report(base_url: str, rounds: int) -> str:
    samples = run(base_url, rounds)
    base = samples["row by row (8 statements)"].median_ms()
    lines = [f"{'SQL of one step (PostgreSQL)':<32} {'median ms':>10} {'p95 ms':>10} {'saved ms':>9}"]
    for name, s in samples.items():
        lines.append(f"{name:<32} {s.median_ms():>10.3f} {s.p95_ms():>10.3f} {base - s.median_ms():>9.3f}")
    return "\n".join(lines)
