"""`trede decide DECISION_ID --gemeente G --input '{...}' [--on YYYY-MM-DD]`: one JSON object out."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from engine.storage.db import make_db_engine
from processes.decisions import DecisionError, DecisionService, get_decision_service
from processes.decisions.model import PackError
from processes.decisions.service import parse_on


@click.command(name="decide")
@click.argument("decision_id")
@click.option("--gemeente", required=True, help="Gemeente key, e.g. ooststellingwerf.")
@click.option("--input", "input_json", default="{}", show_default=True, help="Inputs as a JSON object.")
@click.option("--on", "on_text", default=None, help="Use the rules in force on this date (YYYY-MM-DD).")
@click.option("--rules", "rules_dir", default=None,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Rule packs to read instead of the repository's (a pack being written).")
@click.option("--uitleg", "explain", is_flag=True,
              help="Print why: the rules that matched and, for a diagram, what each required decision gave.")
@click.option("--database-url", default=None,
              help="Also the versions deployed from the designer in this database (default: the release's "
                   "rule packs only, no database needed).")
def command(decision_id: str, gemeente: str, input_json: str, on_text: str | None, rules_dir: Path | None,
            explain: bool, database_url: str | None) -> None:
    """Evaluate a decision and print its outputs as JSON (exit 2 on a bad request). A decision of a
    decision requirements diagram is evaluated with every decision it requires, those first."""
    try:
        inputs = _parse_inputs(input_json)
        on = parse_on(on_text) if on_text is not None else None
        service = get_decision_service() if rules_dir is None else DecisionService(rules_dir)
        if database_url:
            with make_db_engine(database_url).connect() as conn:
                result = service.decide(decision_id, gemeente, inputs, on, conn)
        else:
            result = service.decide(decision_id, gemeente, inputs, on)
    except DecisionError as exc:
        click.echo(f"error: {_one_line(str(exc))}", err=True)
        sys.exit(2)
    except PackError as exc:  # a broken rule pack is the repository's fault, not the caller's
        click.echo(f"error: rule pack: {exc}", err=True)
        sys.exit(1)
    click.echo(json.dumps(result.outputs_json(), ensure_ascii=False))
    if explain:
        click.echo(result.explanation)


MAX_LINE = 300


def _one_line(message: str) -> str:
    """One readable line: an echoed input of megabytes is cut short."""
    line = " ".join(message.split())
    return line if len(line) <= MAX_LINE else line[:MAX_LINE] + " …"


def _parse_inputs(text: str) -> dict:
    try:
        inputs = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DecisionError(f"--input is geen geldige JSON (kolom {exc.colno})") from None
    except (ValueError, RecursionError):  # a number of thousands of digits, nesting thousands deep
        raise DecisionError("--input is te groot of te diep genest om te lezen") from None
    if not isinstance(inputs, dict):
        raise DecisionError("--input moet een JSON-object zijn met de namen en waarden van de invoer")
    return inputs
