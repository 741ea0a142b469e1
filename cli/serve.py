"""`trede serve`: run the web application (development server; use gunicorn in production)."""
from __future__ import annotations

import click

from cli._common import database_option


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@database_option
def command(host: str, port: int, database_url: str | None) -> None:
    """Start de webapplicatie."""
    from web.app import create_app

    config = {"DATABASE_URL": database_url} if database_url else None
    app = create_app(config) if config else create_app()
    click.echo(f"trede draait: open http://{host}:{port}/  (stoppen: Ctrl+C)")
    app.run(host=host, port=port, debug=False, use_reloader=False)
