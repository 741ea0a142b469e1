"""A proposed rewrite of ``web.worklist.service.worklist``, measured beside the original.

Not used by the application: the lead applies it to web/worklist/service.py (the diff is in the
issue-9 report and docs/scaling.md). Three changes, each from an EXPLAIN ANALYZE of the original on
100,000 cases:

1. The earliest open deadline per case was an outer join on ``GROUP BY case_id`` over *every*
   open deadline of every gemeente (a hash aggregate of 80,000 + 40,000 rows, twice per page: count
   and page). Here it is a correlated ``min()`` per candidate row, which the partial index
   ``deadlines (case_id, kind, due_date) WHERE status = 'open'`` answers with one probe.
2. The count does not need the deadlines at all: it counts the filtered work items only.
3. The distinct lanes are only needed by the "team" view; the other views no longer read them.
4. The client search ``lower(naam) LIKE '%x%' OR lower(case_number) LIKE '%x%'`` spans two tables,
   so no index can answer it and every search joined all clients to all cases. Here it is a
   ``case_id IN (... UNION ...)`` of two single-table searches within the gemeente, each answered by
   a trigram index (pg_trgm) on the lowered column.
5. The process filter's choices (processes with open work in the gemeente) were a DISTINCT over all
   ~15,000 work items of the gemeente on every page view; here it is one EXISTS probe of
   ``work_items (gemeente, process_id)`` per deployed process.

Everything else -- filters, search clause, order, paging, rows -- is the original's own code.
"""
from __future__ import annotations

from sqlalchemy import and_, case, exists, func, select, union
from sqlalchemy.engine import Engine

from engine.db import cases, clients, deadlines, process_versions, work_items
from processes.bsn import normalize_bsn
from web.accounts.service import User
from web.worklist import service as original
from web.worklist.service import PAGE_SIZE, Filters, Page


def _earliest_open(kind: str):
    return (select(func.min(deadlines.c.due_date))
            .where(deadlines.c.case_id == work_items.c.case_id, deadlines.c.status == "open",
                   deadlines.c.kind == kind)
            .correlate(work_items).scalar_subquery())


def _search_clause(text: str, gemeente: str):
    text = text.strip()
    digits = normalize_bsn(text)
    if digits.isascii() and digits.isdigit() and len(digits) == 9:
        return clients.c.bsn == digits  # exact only: a BSN is never matched in part
    like = f"%{text.lower()}%"
    by_name = (select(cases.c.id).join(clients, clients.c.id == cases.c.client_id)
               .where(clients.c.gemeente == gemeente, func.lower(clients.c.naam).like(like)))
    by_number = select(cases.c.id).where(cases.c.gemeente == gemeente,
                                         func.lower(cases.c.case_number).like(like))
    return work_items.c.case_id.in_(union(by_name, by_number))


def _processes_with_work(conn, gemeente: str, names: dict[str, str]) -> list[tuple[str, str]]:
    deployed = (select(process_versions.c.process_id)
                .where(process_versions.c.gemeente.in_([gemeente, "*"])).distinct().subquery())
    ids = conn.execute(select(deployed.c.process_id).where(exists().where(
        work_items.c.gemeente == gemeente, work_items.c.process_id == deployed.c.process_id))).scalars().all()
    return sorted(((pid, names.get(pid, pid)) for pid in ids), key=lambda p: p[1].lower())


def worklist(db: Engine, user: User, filters: Filters) -> Page:
    view = filters.view if filters.view in original.allowed_views(user) else "mijn"
    lanes: list[str | None] = []
    if view == "team":
        with db.connect() as conn:
            lanes = conn.execute(select(work_items.c.lane).where(work_items.c.gemeente == user.gemeente)
                                 .distinct()).scalars().all()
    where = [work_items.c.gemeente == user.gemeente, *original._view_clause(view, user, lanes)]
    if filters.process:
        where.append(work_items.c.process_id == filters.process)
    if filters.status == "open":
        where.append(work_items.c.claimed_by.is_(None))
    elif filters.status == "geclaimd":
        where.append(work_items.c.claimed_by.is_not(None))
    if filters.search.strip():
        where.append(_search_clause(filters.search, user.gemeente))
    legal, target = _earliest_open("fatale_termijn").label("legal_deadline"), \
        _earliest_open("streefdatum").label("target_date")
    joined = (work_items.join(cases, cases.c.id == work_items.c.case_id)
              .join(clients, clients.c.id == cases.c.client_id))
    base = (select(work_items, cases.c.case_number, cases.c.version.label("case_version"),
                   clients.c.id.label("client_id"), clients.c.naam, clients.c.bsn, legal, target)
            .select_from(joined).where(and_(*where)))
    with db.connect() as conn:
        total = conn.execute(select(func.count()).select_from(joined).where(and_(*where))).scalar_one()
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(1, filters.page), pages)
        query = base.order_by(case((legal.is_(None), 1), else_=0), legal,
                              case((work_items.c.due_at.is_(None), 1), else_=0), work_items.c.due_at,
                              work_items.c.created_at, work_items.c.task_id)
        found = conn.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).mappings().all()
        names = original.process_names(conn, user.gemeente)
        rows = [original._row(r, names) for r in found]
        tredes = original.current_trede(conn, [r.case_id for r in rows])
        processes = _processes_with_work(conn, user.gemeente, names)
    for row in rows:
        row.trede = tredes.get(row.case_id)
    return Page(rows, total, page, pages, processes)
