"""The worklist: which open tasks a user sees, filtered, searched, sorted and paged.

Every query is bounded to the user's gemeente first; nothing from another gemeente can appear.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, exists, func, or_, select, text, union
from sqlalchemy.engine import Connection, Engine

from casework.accounts.service import User
from casework.intake import process_names
from casework.people import covered_by
from casework.roles import may_work_in_lane
from casework.team.absence import absent_now, absent_teammates
from casework.visibility import case_filter
from engine.storage.db import cases, clients, deadlines, events, process_versions, read_only, work_items
from processes import parties
from processes.bsn import normalize_bsn
from processes.tables import parties as party_table
from processes.tables import party_cases
from web.dossier.present import LOCAL, days_left
from web.paging import page_bounds

PAGE_SIZE = 25
VIEWS = {"mijn": "Mijn taken", "clienten": "Mijn cliënten", "team": "Onverdeeld in mijn team",
         "waarneming": "Waarneming", "alle": "Alle taken"}
STATUSES = {"": "Alle", "open": "Niet geclaimd", "geclaimd": "Geclaimd"}
# Sortable columns (the URL's ``sort``) and how the caption says it; Trede is read from the case
# history per shown row, so it is not a sort key.
SORTS = {"termijn": "fatale termijn", "streefdatum": "streefdatum", "client": "cliënt", "zaak": "zaaknummer",
         "taak": "taak", "proces": "proces", "behandelaar": "behandelaar", "aangemaakt": "datum van aanmaak"}
_NEEDS_CLIENT = {"client", "zaak"}


@dataclass(frozen=True)
class Filters:
    view: str = "mijn"
    process: str = ""
    status: str = ""
    search: str = ""  # name, case number, BSN or its last four digits; never in a URL (search_token)
    page: int = 1
    sort: str = "termijn"
    descending: bool = False

    @property
    def sort_key(self) -> str:
        return self.sort if self.sort in SORTS else "termijn"


@dataclass
class Row:
    task_id: str
    title: str
    process_id: str
    process_name: str
    case_id: int
    case_number: str
    case_version: int
    client_id: int | None  # None: a case about a provider or employer (issue 18 item 2)
    client_naam: str | None  # the party's name for such a case
    bsn: str | None
    claimed_by: str | None
    created_at: datetime
    due_at: datetime | date | None  # the case's open streefdatum, else the task's own due time
    legal_deadline: date | None  # the case's earliest open fatale termijn
    trede: int | None = None

    @property
    def deadline_days(self) -> int | None:
        return days_left(self.legal_deadline, datetime.now(LOCAL).date())


@dataclass
class Page:
    rows: list[Row]
    total: int
    page: int
    pages: int
    processes: list[tuple[str, str]] = field(default_factory=list)
    away: dict[str, str] = field(default_factory=dict)  # absent today: username -> vervanger
    covered: list[str] = field(default_factory=list)  # whom this user stands in for today

    @property
    def page_links(self) -> list[int | None]:
        """First, last and two either side of the current page; None marks a gap. With 10,000
        tasks a button per page made 400 buttons (and most of the page's 150 kB)."""
        near = {1, self.pages, *range(max(1, self.page - 2), min(self.pages, self.page + 2) + 1)}
        links: list[int | None] = []
        for n in sorted(near):
            if links and links[-1] is not None and n - links[-1] > 1:
                links.append(None)
            links.append(n)
        return links


def allowed_views(user: User, covering: bool = False) -> dict[str, str]:
    """"Waarneming" only while the user stands in for an absent colleague (web/team/absence)."""
    return {k: v for k, v in VIEWS.items()
            if (k != "alle" or user.has("teamleider")) and (k != "waarneming" or covering)}


def worklist(db: Engine, user: User, filters: Filters) -> Page:
    lanes: list[str | None] = []
    with read_only(db).connect() as conn:
        covered = covered_by(conn, user)
        away = absent_now(conn, user.gemeente)
        teammates = absent_teammates(conn, user)
        view = filters.view if filters.view in allowed_views(user, bool(covered)) else "mijn"
        if view == "team":  # only the team view needs the lanes
            lanes = conn.execute(_LANES, {"gemeente": user.gemeente}).scalars().all()
        hidden = case_filter(conn, user, work_items.c.case_id, [user.username, *covered])
    where = [work_items.c.gemeente == user.gemeente, *_view_clause(view, user, lanes, covered, teammates)]
    if hidden is not None:
        where.append(hidden)
    if filters.process:
        where.append(work_items.c.process_id == filters.process)
    if filters.status == "open":
        where.append(work_items.c.claimed_by.is_(None))
    elif filters.status == "geclaimd":
        where.append(work_items.c.claimed_by.is_not(None))
    if filters.search.strip():
        where.append(_search_clause(filters.search, user.gemeente))
    # Every condition is on work_items alone, so the count and the ordering run on that table; the
    # joins to cases and clients and the target date are only for the page's 25 rows.
    legal = _earliest_open("fatale_termijn")
    with read_only(db).connect() as conn:
        _no_jit(conn)
        total = conn.execute(select(func.count()).select_from(work_items).where(and_(*where))).scalar_one()
        page, pages = page_bounds(total, filters.page, PAGE_SIZE)
        # The legal deadline first (soonest first, none last), then the task's own due time,
        # then the oldest task; task_id makes the order stable across pages. NULLS LAST rather than
        # a CASE on the deadline, which made PostgreSQL probe the deadline twice per task.
        key = _sort_column(filters.sort_key, legal)
        source = work_items
        if filters.sort_key in _NEEDS_CLIENT:
            source = work_items.join(cases, cases.c.id == work_items.c.case_id).outerjoin(
                clients, clients.c.id == cases.c.client_id)
        ordered = (select(work_items.c.task_id, legal.label("legal_deadline"), key.label("sort_key"))
                   .select_from(source).where(and_(*where))
                   .order_by(_direction(key, filters.descending), *_TIEBREAK)
                   .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).subquery())
        joined = (ordered.join(work_items, work_items.c.task_id == ordered.c.task_id)
                  .join(cases, cases.c.id == work_items.c.case_id)
                  .outerjoin(clients, clients.c.id == cases.c.client_id))  # none: a party's case
        query = (select(work_items, cases.c.case_number, cases.c.version.label("case_version"),
                        clients.c.id.label("client_id"), clients.c.naam, clients.c.bsn,
                        ordered.c.legal_deadline, _earliest_open("streefdatum").label("target_date"))
                 .select_from(joined)
                 .order_by(_direction(ordered.c.sort_key, filters.descending), *_TIEBREAK))
        found = conn.execute(query).mappings().all()
        names = process_names(conn, user.gemeente)
        rows = [_row(r, names) for r in found]
        tredes = current_trede(conn, [r.case_id for r in rows])
        named = parties.names_of_cases(conn, [r.case_id for r in rows if r.client_id is None])
        processes = _processes_with_work(conn, user.gemeente, names)
    for row in rows:
        row.trede = tredes.get(row.case_id)
        if row.client_id is None:
            row.client_naam = named.get(row.case_id, "")
    return Page(rows, total, page, pages, processes, away, covered)


# The distinct lanes of a gemeente's open tasks by a skip scan of ix_work_items_gemeente_lane: one
# index probe per lane (a handful) instead of reading all 10,000+ task rows for a DISTINCT.
_LANES = text("""
    WITH RECURSIVE l(lane) AS (
        SELECT min(lane) FROM work_items WHERE gemeente = :gemeente
        UNION ALL
        SELECT (SELECT min(w.lane) FROM work_items w WHERE w.gemeente = :gemeente AND w.lane > l.lane)
        FROM l WHERE l.lane IS NOT NULL)
    SELECT lane FROM l WHERE lane IS NOT NULL""")
_TIEBREAK = (work_items.c.due_at.asc().nulls_last(), work_items.c.created_at, work_items.c.task_id)


def _sort_column(sort: str, legal):
    """The sort key: the soonest fatale termijn by default (none last), else the chosen column."""
    return {"termijn": legal, "streefdatum": work_items.c.due_at,  # the task's own (engine/streefdatum.py)
            "client": func.lower(clients.c.naam), "zaak": cases.c.case_number,
            "taak": func.lower(work_items.c.title), "proces": work_items.c.process_id,
            "behandelaar": work_items.c.claimed_by, "aangemaakt": work_items.c.created_at}[sort]


def _direction(column, descending: bool):
    return column.desc().nulls_last() if descending else column.asc().nulls_last()


def _no_jit(conn: Connection) -> None:
    """PostgreSQL's JIT compiles the page's queries (estimated costly over 10,000 tasks) for 80-220 ms,
    longer than the queries run (bench: page group); a page is short OLTP work, so not here."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL jit = off"))


def _earliest_open(kind: str):
    return (select(func.min(deadlines.c.due_date))
            .where(deadlines.c.case_id == work_items.c.case_id, deadlines.c.status == "open",
                   deadlines.c.kind == kind)
            .correlate(work_items).scalar_subquery())


def _view_clause(view: str, user: User, lanes: list[str | None], covered: list[str],
                 teammates: list[str]) -> list:
    if view == "mijn":
        return [work_items.c.claimed_by == user.username]
    if view == "waarneming":
        return [work_items.c.claimed_by.in_(covered)]
    if view == "team":
        # A lane names the role that does the work; a task without a lane is anybody's. Work held by
        # an absent teammate shows here too, so the team can pick it up (web/team/absence).
        mine = sorted(lane for lane in lanes if lane and may_work_in_lane(user.roles, lane))
        free = work_items.c.claimed_by.is_(None)
        if teammates:
            free = or_(free, work_items.c.claimed_by.in_(teammates))
        return [free, or_(work_items.c.lane.is_(None), work_items.c.lane.in_(mine))]
    return []


def _search_clause(text: str, gemeente: str):
    text = text.strip()
    digits = normalize_bsn(text)
    if digits.isascii() and digits.isdigit() and len(digits) == 9:  # the whole BSN: exactly that client
        return work_items.c.case_id.in_(select(cases.c.id).join(clients, clients.c.id == cases.c.client_id)
                                        .where(clients.c.gemeente == gemeente, clients.c.bsn == digits))
    if text.isascii() and text.isdigit() and len(text) == 4:  # the last four, as the list shows them
        return work_items.c.case_id.in_(select(cases.c.id).join(clients, clients.c.id == cases.c.client_id)
                                        .where(clients.c.gemeente == gemeente,
                                               clients.c.bsn.like(f"%{text}")))
    like = f"%{text.lower()}%"
    # Two single-table searches, each answered by its trigram index; an OR across clients and cases
    # could use neither and joined every client to every case.
    by_name = (select(cases.c.id).join(clients, clients.c.id == cases.c.client_id)
               .where(clients.c.gemeente == gemeente, func.lower(clients.c.naam).like(like)))
    by_number = select(cases.c.id).where(cases.c.gemeente == gemeente,
                                         func.lower(cases.c.case_number).like(like))
    by_party = (select(party_cases.c.case_id).join(party_table, party_table.c.id == party_cases.c.party_id)
                .where(party_table.c.gemeente == gemeente, func.lower(party_table.c.naam).like(like)))
    return work_items.c.case_id.in_(union(by_name, by_number, by_party))


def _row(r, names: dict[str, str]) -> Row:
    return Row(r["task_id"], r["title"], r["process_id"], names.get(r["process_id"], r["process_id"]),
               r["case_id"], r["case_number"], r["case_version"], r["client_id"], r["naam"], r["bsn"],
               r["claimed_by"], r["created_at"], r["target_date"] or r["due_at"], r["legal_deadline"])


def _processes_with_work(conn: Connection, gemeente: str, names: dict[str, str]) -> list[tuple[str, str]]:
    # One EXISTS probe of ix_work_items_gemeente_process per deployed process, not a DISTINCT over
    # every open task of the gemeente.
    deployed = (select(process_versions.c.process_id)
                .where(process_versions.c.gemeente.in_([gemeente, "*"])).distinct().subquery())
    ids = conn.execute(select(deployed.c.process_id).where(exists().where(
        work_items.c.gemeente == gemeente, work_items.c.process_id == deployed.c.process_id))).scalars().all()
    return sorted(((pid, names.get(pid, pid)) for pid in ids), key=lambda p: p[1].lower())


def current_trede(conn: Connection, case_ids: list[int]) -> dict[int, int]:
    """The latest ladder trede recorded per case (from the data people and starts supplied)."""
    if not case_ids:
        return {}
    found: dict[int, int] = {}
    rows = conn.execute(select(events.c.case_id, events.c.payload)
                        .where(events.c.case_id.in_(set(case_ids)), events.c.payload.like('%"trede"%'))
                        .order_by(events.c.case_id, events.c.seq))
    for case_id, payload in rows:
        value = (json.loads(payload).get("data") or {}).get("trede")
        if isinstance(value, int) and not isinstance(value, bool):
            found[case_id] = value
    return found
