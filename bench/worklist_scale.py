"""Worklist at scale (PostgreSQL): the web worklist's own queries on the generated data set.

Calls ``web.worklist.service.worklist(db, user, filters)`` -- the function the worklist page calls,
so every statement the page runs is measured (distinct lanes, count, the page itself, process
names, trede, processes with work), not a reproduction of it. Users are case managers of the 20
gemeenten in turns; "mine" is view ``mijn`` (tasks the user claimed, sorted by legal deadline);
"search" is view ``alle`` (a teamleider) with a client search, cycling through a surname
fragment, a case number and a BSN.

The indexes it relies on come with the migrations (0008_worklist_indexes); the slowest statement
of each kind is shown with EXPLAIN ANALYZE.
"""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from bench.generator import ACHTERNAMEN, CASEMANAGERS_PER_GEMEENTE, GEMEENTEN, user_name
from bench.stats import Samples


@dataclass
class Statement:
    sql: str
    params: object
    ns: int


@dataclass
class Capture:
    """Statements of the last call, with their own durations (cursor execute to fetch done)."""

    on: bool = False
    statements: list[Statement] = field(default_factory=list)
    _start: int = 0

    def attach(self, db: Engine) -> None:
        event.listen(db, "before_cursor_execute", self._before)
        event.listen(db, "after_cursor_execute", self._after)

    def _before(self, _conn, _cursor, _sql, _params, _context, _many) -> None:
        self._start = time.perf_counter_ns()

    def _after(self, _conn, _cursor, sql, params, _context, _many) -> None:
        if self.on:
            self.statements.append(Statement(sql, params, time.perf_counter_ns() - self._start))


@dataclass
class WorklistResult:
    mine: Samples
    search: Samples
    team: Samples
    rows_mine: int  # median tasks in "my tasks" (all pages)
    slowest: dict[str, Statement]  # per kind: the slowest statement seen


def _users(rng: random.Random, count: int):
    from casework.accounts.service import User  # the web layer's user, as the page gets it

    users = []
    for i in range(count):
        gemeente = GEMEENTEN[i % len(GEMEENTEN)]
        n = rng.randrange(CASEMANAGERS_PER_GEMEENTE) + 1
        users.append(User(i, user_name(gemeente, n), "Bench", gemeente, frozenset({"casemanager"}), None))
    return users


def _searches(db: Engine, rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(gemeente, search text): surname fragments, case numbers and BSNs that exist."""
    with db.connect() as conn:
        sample = conn.execute(text(
            "SELECT c.gemeente, c.case_number, k.bsn FROM cases c JOIN clients k ON k.id = c.client_id "
            "WHERE c.gemeente LIKE 'gemeente%' ORDER BY c.id DESC LIMIT 2000")).all()
    out = []
    for i in range(count):
        gemeente, number, bsn = sample[rng.randrange(len(sample))]
        kind = i % 3
        out.append((gemeente, rng.choice(ACHTERNAMEN).split()[-1][:5].lower() if kind == 0
                    else number if kind == 1 else bsn))
    return out


def measure(db: Engine, reps: int, seed: int = 4) -> WorklistResult:
    """The worklist page's own calls."""
    from casework.accounts.service import User
    from web.worklist.service import Filters, worklist

    rng = random.Random(seed)
    capture = Capture()
    capture.attach(db)
    slowest: dict[str, Statement] = {}

    def timed(samples: Samples, kind: str, call: Callable[[], object]) -> object:
        capture.statements.clear()
        capture.on = True
        try:
            return samples.timed(call)
        finally:
            capture.on = False
            for st in capture.statements:  # queries only: SET LOCAL has no plan to show
                if not st.sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                if kind not in slowest or st.ns > slowest[kind].ns:
                    slowest[kind] = st

    users = _users(rng, reps)
    searches = _searches(db, rng, reps)
    mine, search, team = Samples("mine"), Samples("search"), Samples("team")
    sizes = []
    for warm in range(min(10, reps)):  # plan cache, connection pool, page cache
        worklist(db, users[warm], Filters(view="mijn"))
    for i in range(reps):
        user = users[i]
        page = timed(mine, "mine", lambda u=user: worklist(db, u, Filters(view="mijn")))
        sizes.append(page.total)
        gemeente, needle = searches[i]
        lead = User(10_000 + i, f"tl.{gemeente}", "Bench", gemeente, frozenset({"teamleider", "casemanager"}),
                    None)
        timed(search, "search", lambda u=lead, s=needle: worklist(db, u, Filters(view="alle", search=s)))
        timed(team, "team", lambda u=user: worklist(db, u, Filters(view="team")))
    sizes.sort()
    return WorklistResult(mine, search, team, sizes[len(sizes) // 2], slowest)


def explain(db: Engine, statement: Statement) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of a captured statement with its parameters."""
    raw = db.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement.sql, statement.params)
        plan = "\n".join(row[0] for row in cur.fetchall())
        raw.rollback()
        return plan
    finally:
        raw.close()
