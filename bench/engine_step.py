"""Benchmark 1: one user-task step through CaseEngine.complete against bare SpiffWorkflow.

Engine side: ``CaseEngine.complete`` on a case of the chain process -- one transaction that loads
the state, runs the sandboxed step, writes state, event and worklist rows, and commits.

Bare side: what an application built directly on SpiffWorkflow does around the same step, kept in
memory: ``deserialize_json`` (spec embedded, as upstream does), find the READY user task, update
its data, ``task.run()``, ``do_engine_steps()``, ``serialize_json``. It uses SpiffWorkflow's default
script engine, which deserialization restores anyway.

Every round starts a fresh instance on both sides (not timed) and then takes the six user-task
steps of the chain, alternating engine and bare step by step.
"""
from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import SpiffWorkflow.bpmn.specs.event_definitions.timer as spiff_timer
import SpiffWorkflow.task as spiff_task
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import event

from bench.bundle import GEMEENTE, KETEN, KETEN_DATA, KETEN_PROCESS, KETEN_STEPS, bsn, case_engine
from bench.stats import Samples, in_turns
from engine.service import CaseEngine

WARMUP_ROUNDS = 2


@dataclass
class StepResult:
    engine: Samples
    bare: Samples
    statements: float  # SQL statements per engine step: a figure machine load cannot move
    round_trips: float  # times per step the client waits for the server (PostgreSQL)


@contextmanager
def upstream_spiff() -> Iterator[None]:
    """SpiffWorkflow exactly as upstream ships it, for the bare side.

    ``engine.sandbox.determinism`` reroutes SpiffWorkflow's module-level ``uuid4``, ``time`` and
    ``datetime`` for the whole process; that cost belongs to the engine, not to the baseline.
    """
    patched = (spiff_task.uuid4, spiff_task.time, spiff_timer.datetime)
    spiff_task.uuid4, spiff_task.time, spiff_timer.datetime = uuid.uuid4, time, datetime
    try:
        yield
    finally:
        spiff_task.uuid4, spiff_task.time, spiff_timer.datetime = patched


class BareSide:
    """The chain process on bare SpiffWorkflow, its state kept as upstream's JSON text."""

    def __init__(self, samples: Samples) -> None:
        parser = SpiffBpmnParser()
        parser.add_bpmn_files([str(KETEN)])
        self.spec = parser.get_spec(KETEN_PROCESS)
        self.subprocess_specs = parser.get_subprocess_specs(KETEN_PROCESS)
        self.serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
        self.samples = samples
        self.state = ""
        self.trace: list[str] = []

    def new_round(self) -> None:
        with upstream_spiff():
            workflow = BpmnWorkflow(self.spec, self.subprocess_specs)
            workflow.do_engine_steps()
            self.state = self.serializer.serialize_json(workflow)

    def step(self) -> None:
        with upstream_spiff():
            self.trace.append(self.samples.timed(self._step))

    def _step(self) -> str:
        workflow = self.serializer.deserialize_json(self.state)
        task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
        task.data.update(KETEN_DATA[task.task_spec.name])
        task.run()
        workflow.do_engine_steps()
        self.state = self.serializer.serialize_json(workflow)
        return task.task_spec.name


class EngineSide:
    """The chain process through the engine: one new case per round, one transaction per step."""

    def __init__(self, engine: CaseEngine, samples: Samples) -> None:
        self.engine = engine
        self.samples = samples
        self.case_id = 0
        self.clients = 0
        self.trace: list[str] = []

    def new_round(self) -> None:
        self.clients += 1
        case, _ = self.engine.start_case(GEMEENTE, bsn(self.clients), "Bench Klant", KETEN_PROCESS, {})
        self.case_id = case.id

    def step(self) -> None:
        (item,) = self.engine.ready_tasks(case_id=self.case_id)  # the worklist read is not timed
        data = KETEN_DATA[item.task_name]
        self.samples.timed(lambda: self.engine.complete(item.task_id, data, actor="cm1"))
        self.trace.append(item.task_name)


def run(url: str, rounds: int) -> StepResult:
    """Interleave engine and bare steps over ``rounds`` runs of the chain on the database at ``url``."""
    engine_side = EngineSide(case_engine(url), Samples("engine"))
    bare_side = BareSide(Samples("bare"))
    for round_no in range(WARMUP_ROUNDS + rounds):
        if round_no == WARMUP_ROUNDS:  # spec cache, statement cache and page cache are warm now
            engine_side.samples.ns.clear()
            bare_side.samples.ns.clear()
        engine_side.new_round()
        bare_side.new_round()
        for i in range(KETEN_STEPS):
            in_turns(round_no * KETEN_STEPS + i, engine_side.step, bare_side.step)
    if engine_side.trace != bare_side.trace:
        raise RuntimeError("engine and bare SpiffWorkflow took different paths through the chain")
    statements, round_trips = count_statements(engine_side)
    engine_side.engine.db.dispose()
    return StepResult(engine_side.samples, bare_side.samples, statements, round_trips)


def count_statements(side: EngineSide) -> tuple[float, float]:
    """SQL statements and round trips per ``complete`` over one more chain (not timed).

    Statements: every statement the server runs for the step, pipelined ones included (on SQLite,
    as sqlite3 reports them: the ``BEGIN IMMEDIATE`` that ``engine.storage.db`` issues too); COMMIT and
    pool pings not counted.
    Round trips (PostgreSQL; on SQLite the statement count): each time the client waits for the
    server -- a statement on its own, a pipeline, the BEGIN psycopg sends before the first
    statement and the COMMIT.
    """
    counter = SqlCounter(side.engine.db)

    class Counting(Samples):
        def timed(self, step):
            with counter.on():
                return step()

    real, side.samples = side.samples, Counting("count")
    try:
        side.new_round()
        for _ in range(KETEN_STEPS):
            side.step()
    finally:
        side.samples = real
        counter.remove()
    return counter.statements / KETEN_STEPS, counter.round_trips / KETEN_STEPS


class SqlCounter:
    """Counts statements and round trips while switched on (SQLAlchemy events + psycopg's cursor)."""

    def __init__(self, db) -> None:
        self.db = db
        self.statements = self.round_trips = 0
        self.counting = False
        self.pg = db.dialect.driver == "psycopg"
        if self.pg:
            self._patch_psycopg()
        else:  # sqlite3 tells every statement it runs, also those sent past SQLAlchemy
            event.listen(db, "checkout", self._trace_sqlite)

    @contextmanager
    def on(self) -> Iterator[None]:
        self.counting = True
        try:
            yield
        finally:
            self.counting = False

    def _trace_sqlite(self, dbapi_connection, *_args) -> None:
        dbapi_connection.set_trace_callback(self._sqlite_statement)

    def _sqlite_statement(self, sql: str) -> None:
        if self.counting and sql.strip().upper() != "COMMIT":
            self.statements += 1
            self.round_trips += 1

    def _patch_psycopg(self) -> None:
        import psycopg

        counter, cls, conn_cls = self, psycopg.Cursor, psycopg.Connection
        self._saved = (cls.execute, cls.executemany, conn_cls.pipeline, conn_cls.commit,
                       conn_cls._start_query)
        execute, executemany, pipeline, commit, start_query = self._saved

        def c_execute(cur, *a, **k):
            if counter.counting:
                counter.statements += 1
                counter.round_trips += cur.connection._pipeline is None
            return execute(cur, *a, **k)

        def c_executemany(cur, query, params, *a, **k):
            params = list(params)
            if counter.counting:
                counter.statements += len(params)
                counter.round_trips += cur.connection._pipeline is None
            return executemany(cur, query, params, *a, **k)

        def c_pipeline(conn, *a, **k):
            counter.round_trips += counter.counting and conn._pipeline is None
            return pipeline(conn, *a, **k)

        def c_commit(conn):
            counter.round_trips += counter.counting
            return commit(conn)

        def c_start_query(conn):
            # psycopg opens a transaction with a BEGIN of its own before the first statement
            begins = not conn.autocommit and conn.pgconn.transaction_status == 0  # IDLE
            counter.round_trips += counter.counting and begins and conn._pipeline is None
            return start_query(conn)

        cls.execute, cls.executemany = c_execute, c_executemany
        conn_cls.pipeline, conn_cls.commit, conn_cls._start_query = c_pipeline, c_commit, c_start_query

    def remove(self) -> None:
        if self.pg:
            import psycopg

            cls, conn_cls = psycopg.Cursor, psycopg.Connection
            (cls.execute, cls.executemany, conn_cls.pipeline, conn_cls.commit,
             conn_cls._start_query) = self._saved
        else:
            event.remove(self.db, "checkout", self._trace_sqlite)
            self.db.pool.dispose()  # pooled connections keep their trace callback otherwise
