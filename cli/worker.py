"""`trede worker`: run due timers, scheduled work and deadline escalations."""
from __future__ import annotations

from datetime import datetime

import click

from cli._common import case_engine, database_option, fail, settings
from engine.clock import FixedClock
from engine.sandbox.process_limits import limit_process_memory, memory_ceiling_mb
from engine.scheduling.worker import Worker


@click.command("worker")
@click.option("--once", is_flag=True, help="Alles wat nu verlopen is afhandelen en stoppen.")
@click.option("--interval", default=5.0, show_default=True, help="Seconden tussen rondes.")
@click.option("--batch", default=100, show_default=True, help="Items per transactieronde.")
@click.option("--memory-mb", type=int, default=None, help=(
              "Geheugenplafond van dit proces in MB (standaard: TREDE_PROCESS_MEMORY_MB, anders 2048; "
              "0: geen)."))
@click.option("--now", "now_text", help="Vaste klok (ISO-tijdstip met zone), voor tests en proefdraaien.")
@database_option
def command(once: bool, interval: float, batch: int, memory_mb: int | None, now_text: str | None,
            database_url: str | None) -> None:
    """Start de achtergrondverwerker (meerdere tegelijk mogelijk op PostgreSQL)."""
    try:
        wanted = settings().process_memory_mb if memory_mb is None else memory_mb
        limit_process_memory(memory_ceiling_mb(wanted))
    except ValueError as exc:
        fail(f"--memory-mb: {exc}")
    engine = case_engine(database_url)
    if now_text:
        try:
            moment = datetime.fromisoformat(now_text)
            engine.clock = FixedClock(moment)
        except ValueError as exc:
            fail(f"--now: {exc}")
    worker = Worker(engine, batch=batch, interval=interval, report=lambda line: click.echo(line, err=True))
    if once:
        click.echo(f"afgehandeld: {worker.run_once()}")
        return
    click.echo(f"worker gestart (elke {interval:g} s; stoppen: Ctrl+C)", err=True)
    stats = worker.run_forever()
    click.echo(f"worker gestopt: {stats.fired} afgehandeld in {stats.rounds} rondes")
