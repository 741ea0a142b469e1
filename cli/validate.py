"""`trede validate PATH...`: check .bpmn/.dmn files before deploying them."""
from __future__ import annotations

import logging

import click

from casework.designer import approvals
from engine.models.camunda import translate_bundle
from engine.models.safe_xml import parse_safe_xml
from engine.models.validation import BundleInvalid, parse_bundle, read_model_files


def _count(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def validate(paths: tuple[str, ...]) -> None:
    """Validate BPMN/DMN model files (files or directories): safe XML, schema, sandboxed code.

    Prints each problem as FILE:LINE: ELEMENT: MESSAGE on stderr (in Dutch, the element as
    "Scripttaak ‘Naam’ (id)") and exits 2; exits 0 when fine.
    """
    try:
        files = read_model_files(paths)
        for note in translate_bundle(files, parse_safe_xml).notes:  # a line per Camunda translation
            click.echo(f"{note} (vertaald)")
        bundle = parse_bundle(files)
        if lanes := approvals.lane_problems(files):  # a Camunda group must name a role of trede
            raise BundleInvalid(lanes)
    except BundleInvalid as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(_count(len(exc.problems), "probleem", "problemen") + " gevonden", err=True)
        raise SystemExit(2) from None
    except Exception:  # noqa: BLE001 - a CLI user gets one line, never a traceback
        logging.getLogger(__name__).debug("validate failed", exc_info=True)
        click.echo("interne fout bij het valideren; het model is niet gecontroleerd", err=True)
        raise SystemExit(2) from None
    click.echo(
        f"OK: {_count(len(files), 'bestand', 'bestanden')}, "
        f"{_count(len(bundle.process_ids), 'proces', 'processen')}, "
        f"{_count(len(bundle.decision_ids), 'beslissing', 'beslissingen')}"
    )


command = validate
