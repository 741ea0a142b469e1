"""`trede verify --case N | --all`: prove cases' stored state from their recorded history."""
from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from itertools import islice

import click
from sqlalchemy import or_, select

from casework.settings import Settings
from cli._common import case_engine, database_option, fail, settings
from engine.retention import destruction
from engine.storage.db import cases


@click.command("verify")
@click.option("--case", "case_ref", help="Zaaknummer (Z2026-000001) of zaak-id.")
@click.option("--all", "all_cases", is_flag=True, help="Alle zaken, met voortgangsbalk.")
@click.option("--jobs", type=click.IntRange(1, 64),
              help="Parallelle processen voor --all (standaard: het aantal cores; replay is rekenwerk).")
@database_option
def command(case_ref: str | None, all_cases: bool, jobs: int, database_url: str | None) -> None:
    """Controleer de hashketen en het zegel, speel de zaak opnieuw af en vergelijk met wat is opgeslagen.

    Exit 0 als alles klopt; exit 1 met de eerste afwijkende gebeurtenis per zaak als iets niet klopt.
    """
    if bool(case_ref) == all_cases:
        fail("geef --case ZAAK of --all")
    engine = case_engine(database_url)
    ids = engine.case_ids() if all_cases else [_case_id(engine, case_ref)]
    # What exists now (modules, the engine, its rule packs) lives until the end: the cyclic garbage
    # collector need not scan it again and again while cases are replayed (4 % of the CPU of
    # `verify --all`), and forked workers do not copy its pages by touching it.
    gc.freeze()
    jobs = jobs or _default_jobs(len(ids))
    bad = 0
    bar = click.progressbar(ids, label="zaken controleren", file=sys.stderr, show_pos=True)
    with bar if all_cases else nullcontext(ids) as progress:
        for verdict in _verdicts(engine, progress if jobs == 1 else ids, jobs, database_url,
                                 bar if all_cases and jobs > 1 else None):
            if not verdict.ok:
                bad += 1
                seq = verdict.first_bad_seq
                where = f" (eerste afwijking: gebeurtenis {seq})" if seq else ""
                click.echo(f"AFWIJKING {verdict.case_number}{where}: {verdict.problems[0]}")
                for more in verdict.problems[1:_SHOWN]:  # e.g. after the seal: the event that differs
                    click.echo(f"  - {more}")
    if all_cases:  # the cases destroyed by the rules: each record backed by its approved list
        with engine.reader.connect() as conn:
            for number, problem in destruction.destroyed_problems(conn):
                bad += 1
                click.echo(f"AFWIJKING {number} (vernietigd): {problem}")
    if bad:
        click.echo(f"{bad} van {len(ids)} zaken wijken af", err=True)
        sys.exit(1)
    click.echo(f"OK: {len(ids)} zaak/zaken geverifieerd")


_SHOWN = 6  # lines per deviating case; the browser's verification shows them all
_BATCH = 50  # cases whose rows are read together (one query per table)


def _default_jobs(n_cases: int) -> int:
    # A worker process costs about a second to start; below a few hundred cases one process wins.
    return 1 if n_cases < 200 else min(os.cpu_count() or 1, 64)


def _verdicts(engine, ids: Iterable[int], jobs: int, database_url: str | None, bar) -> Iterator:
    if jobs == 1:
        run = engine.verification_run()  # each stored model read and checked once per run
        pending = iter(ids)  # the progress bar moves as each batch is taken
        while batch := list(islice(pending, _BATCH)):
            yield from engine.verify_many(batch, run)
        return
    chunks = _chunks(list(ids), jobs)
    # Forked, a worker inherits this process's engine (its modules, rule packs and parsed models)
    # instead of building its own (issue 16 item 5); elsewhere it builds one.
    forked = "fork" in multiprocessing.get_all_start_methods()
    global _worker_engine
    _worker_engine = engine if forked else None
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker,
                             mp_context=multiprocessing.get_context("fork") if forked else None,
                             initargs=(database_url, settings())) as pool:
        for verdicts in pool.map(_verify_chunk, chunks):
            if bar is not None:
                bar.update(len(verdicts))
            yield from verdicts


def _chunks(ids: list[int], jobs: int) -> list[list[int]]:
    """About ``_BATCH`` cases per chunk, and as many chunks for every worker: with 21 chunks for two
    workers one of them verified the last chunk alone while the other had finished (issue 16 item 5).
    The last round is split in halves, so that the workers also end closer together."""
    rounds = max(1, round(len(ids) / (_BATCH * jobs)))
    size = -(-len(ids) // (rounds * jobs))
    chunks = [ids[i:i + size] for i in range(0, len(ids), size)]
    tail = chunks[-jobs:] if len(chunks) > jobs else []
    halves = [half for chunk in tail for half in (chunk[:len(chunk) // 2], chunk[len(chunk) // 2:]) if half]
    return chunks[:len(chunks) - len(tail)] + halves


_worker_engine = None


def _start_worker(database_url: str | None, using: Settings) -> None:
    # One engine per worker process for all its chunks: its parsed specs are most of a cold start.
    global _worker_engine
    if _worker_engine is not None:  # inherited by fork: the parent's pooled connections stay its own
        _worker_engine.db.dispose(close=False)
        return
    _worker_engine = case_engine(database_url, using)


def _verify_chunk(chunk: list[int]) -> list:
    run = _worker_engine.verification_run()  # the stored models read once per chunk of cases
    return _worker_engine.verify_many(chunk, run)


def _case_id(engine, ref: str) -> int:
    with engine.reader.connect() as conn:
        found = conn.execute(select(cases.c.id).where(or_(
            cases.c.case_number == ref, cases.c.id == (int(ref) if ref.isdigit() else -1)))).scalar()
    if found is None:
        record = engine.destruction_record(ref)
        if record is not None:  # destroyed by the rules: reported as such, never as tampering
            click.echo(f"VERNIETIGD {record.case_number} op {record.destroyed_at.date()} "
                       f"(vernietigingslijst {record.list_id}, resultaat {record.resultaat})")
            sys.exit(0)
        fail(f"zaak {ref!r} bestaat niet")
    return found
