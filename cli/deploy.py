"""`trede deploy PATH...`: deploy a bundle of .bpmn/.dmn files as an immutable version."""
from __future__ import annotations

import click

from cli._common import case_engine, database_option, fail
from engine.models.validation import BundleInvalid, read_model_files


@click.command("deploy")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--gemeente", default="*", show_default=True,
              help="Gemeente waarvoor de versie geldt; '*' = gedeeld door alle gemeenten.")
@click.option("--actor", default="cli", show_default=True, help="Wie uitrolt (voor de historie).")
@database_option
def command(paths: tuple[str, ...], gemeente: str, actor: str, database_url: str | None) -> None:
    """Rol procesmodellen uit als nieuwe, onveranderlijke versie."""
    try:
        files = read_model_files(paths)
        result = case_engine(database_url).deploy(files, gemeente=gemeente, actor=actor)
    except BundleInvalid as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        fail(f"niet uitgerold: {len(exc.problems)} probleem/problemen")
    except OSError as exc:
        fail(f"kan niet lezen: {exc}")
    state = "uitgerold" if result.created else "ongewijzigd (deze bundel stond er al)"
    for v in result.versions:
        click.echo(f"{v.process_id} versie {v.version} (gemeente {v.gemeente}, "
                   f"{v.content_hash[:12]}): {state}")
