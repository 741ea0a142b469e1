"""`trede demo load`: the demo municipalities, accounts, processes and cases (idempotent).

Each part of the product contributes a loader; they run in order and each skips what exists.
"""
from __future__ import annotations

import importlib
import importlib.util

import click

from cli._common import case_engine, database_option, fail

# (module, function): processes and cases first, then the accounts that work on them.
LOADERS = [("processes.system_models", "load"), ("processes.demo", "load"),
           ("casework.accounts.demo", "load")]


@click.group("demo")
def command() -> None:
    """Demogegevens."""


@command.command("load")
@database_option
def load(database_url: str | None) -> None:
    """Laad de demogemeenten, -accounts, -processen en -zaken (slaat over wat er al is)."""
    engine = case_engine(database_url)
    for module_name, function in LOADERS:
        if importlib.util.find_spec(module_name) is None:
            continue
        loader = getattr(importlib.import_module(module_name), function)
        try:
            summary = loader(engine)
        except Exception as exc:  # noqa: BLE001 - one clear line, never a traceback
            fail(f"demo laden mislukt in {module_name}: {str(exc).splitlines()[0]}")
        if summary:
            click.echo(summary)
