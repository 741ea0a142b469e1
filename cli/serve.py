"""`trede serve`: run the web application (development server; use gunicorn in production).

Being the development server, it runs as TREDE_ENV=development unless TREDE_ENV says otherwise:
then a missing TREDE_SECRET_KEY is allowed (a fixed development key), which gunicorn refuses.
"""
from __future__ import annotations

import dataclasses

import click

from casework.settings import DEVELOPMENT, SettingsError
from cli._common import database_option, fail, settings


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@database_option
def command(host: str, port: int, database_url: str | None) -> None:
    """Start de webapplicatie (ontwikkelserver; in productie gunicorn)."""
    from web.app import create_app

    using = settings()
    if using.environment is None:
        using = dataclasses.replace(using, environment=DEVELOPMENT)
    if database_url:
        using = dataclasses.replace(using, database_url=database_url)
    try:
        app = create_app(settings=using)
    except SettingsError as exc:
        fail(str(exc))
    click.echo(f"trede draait: open http://{host}:{port}/  (stoppen: Ctrl+C)")
    app.run(host=host, port=port, debug=False, use_reloader=False)
