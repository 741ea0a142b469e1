"""`trede decisions [--json]`: every decision with its gemeenten, inputs, outputs and versions."""

from __future__ import annotations

import json

import click

from processes.decisions import get_decision_service


@click.command(name="decisions")
@click.option("--json", "as_json", is_flag=True, help="Print the catalogue as JSON.")
def command(as_json: bool) -> None:
    """List the decision catalogue."""
    catalogue = get_decision_service().catalogue()
    if as_json:
        click.echo(json.dumps(catalogue, ensure_ascii=False, indent=2))
        return
    for decision in catalogue:
        versions = ", ".join(
            f"{v['gemeente']} {v['geldigVanaf']}" + (" (adopted)" if v["adoptedFrom"] else "")
            for v in decision["versions"]
        )
        click.echo(f"{decision['id']}: {versions}")
