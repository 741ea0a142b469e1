"""Task completions through the REST API: a small closed-loop load client on loopback.

``POST /api/tasks/<id>/complete`` with a bearer token, from a fixed number of client threads, each
with its own keep-alive connection, each sending its next request when the previous one answered.
Bounded twice: by the number of tasks handed out and by a wall-clock limit. Throughput is
successful completions divided by the time from the first measured request to the last answer;
latency is per request as the client sees it (queueing in gunicorn's backlog included).
"""
from __future__ import annotations

import http.client
import json
import queue
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench.stats import Samples

# What a case manager submits for the open tasks the generated cases have (by BPMN id).
TASK_DATA: dict[str, dict] = {
    "gesprek": {"verslag": "evaluatiegesprek gevoerd", "trede": 3},
    "werkgever": {"werkgever": "Bakkerij De Korrel"},
    "afspreken": {"start": "maandag"},
}


@dataclass
class LoadResult:
    latency: Samples
    ok: int
    errors: int
    seconds: float
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.ok / self.seconds if self.seconds > 0 else 0.0


def open_tasks(db: Engine, gemeente: str, limit: int) -> list[tuple[str, dict]]:
    """Unclaimed tasks that complete with fixed data, at most one per case (no waiting on case locks)."""
    with db.connect() as conn:
        rows = conn.execute(text(
            "SELECT DISTINCT ON (case_id) task_id, task_name FROM work_items "
            "WHERE gemeente = :g AND claimed_by IS NULL AND task_name = ANY(:names) "
            "ORDER BY case_id, task_id LIMIT :n"),
            {"g": gemeente, "names": list(TASK_DATA), "n": limit}).all()
    return [(task_id, TASK_DATA[name]) for task_id, name in rows]


def issue_token(db: Engine, gemeente: str, name: str = "bench-http") -> str:
    from web.api.tokens import issue

    return issue(db, name, gemeente, {"tasks:read", "tasks:write"}, datetime.now(UTC))


def run(base_url: str, token: str, tasks: list[tuple[str, dict]], threads: int, warmup: int,
        max_seconds: float) -> LoadResult:
    """Complete ``tasks`` (the first ``warmup`` not measured) with ``threads`` clients, for at most
    ``max_seconds``."""
    work: queue.Queue = queue.Queue()
    for n, task in enumerate(tasks):
        work.put((n, task))
    target = urlsplit(base_url)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    lock = threading.Lock()
    result = LoadResult(Samples("http complete"), 0, 0, 0.0)
    window = {"first": None, "last": 0.0}
    stop_at = time.monotonic() + max_seconds

    def client() -> None:
        conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        try:
            while time.monotonic() < stop_at:
                try:
                    n, (task_id, data) = work.get_nowait()
                except queue.Empty:
                    return
                body = json.dumps({"data": data})
                began = time.perf_counter_ns()
                try:
                    conn.request("POST", f"/api/tasks/{task_id}/complete", body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                    status = 0
                ended = time.perf_counter_ns()
                if n < warmup:
                    continue
                with lock:
                    result.statuses[status] = result.statuses.get(status, 0) + 1
                    if window["first"] is None or began < window["first"]:
                        window["first"] = began
                    window["last"] = max(window["last"], ended)
                    if status == 200:
                        result.ok += 1
                        result.latency.ns.append(ended - began)
                    else:
                        result.errors += 1
        finally:
            conn.close()

    pool = [threading.Thread(target=client, daemon=True) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(max_seconds + 60)
    if window["first"] is not None:
        result.seconds = (window["last"] - window["first"]) / 1e9
    return result
