"""`trede datakey status|rotate|reencrypt`: the key that encrypts health data at rest."""
from __future__ import annotations

import click

from cli._common import case_engine, database_option, fail, settings
from engine.storage import data_keys, field_crypto


@click.group("datakey")
def command() -> None:
    """Sleutels voor versleutelde bijzondere persoonsgegevens (gezondheid, AVG art. 9)."""


@command.command("status")
@database_option
def status(database_url: str | None) -> None:
    """Toon per sleutel-id hoeveel waarden ermee versleuteld zijn."""
    engine = case_engine(database_url)
    ring = field_crypto.cipher_of(engine.db).keyring
    usage = data_keys.key_usage(engine.db)
    click.echo(f"huidige sleutel: {ring.current}; bekend: {', '.join(sorted(ring.keys))}")
    for kid, count in sorted(usage.items()):
        label = "nog onversleuteld (rijen)" if kid == "plaintext" else f"sleutel {kid}"
        click.echo(f"{label}: {count}")


@command.command("rotate")
@database_option
def rotate(database_url: str | None) -> None:
    """Maak een nieuwe sleutel (in het sleutelbestand) en versleutel alles opnieuw daarmee."""
    try:
        kid = settings().data_key_source().add_key()
    except ValueError as exc:
        fail(str(exc))
    click.echo(f"nieuwe sleutel {kid}")
    _reencrypt(case_engine(database_url).db)  # an engine built after the new key, so it encrypts with it


@command.command("reencrypt")
@database_option
def reencrypt(database_url: str | None) -> None:
    """Versleutel alles opnieuw met de huidige sleutel (na wisselen in TREDE_DATA_KEY, of oude data)."""
    _reencrypt(case_engine(database_url).db)


def _reencrypt(db) -> None:
    result = data_keys.reencrypt_all(db)
    for label, count in sorted(result.rewritten.items()):
        click.echo(f"{label}: {count} opnieuw versleuteld")
    click.echo(f"klaar: {sum(result.rewritten.values())} rijen; oude sleutels kunnen weg zodra "
               "'trede datakey status' ze niet meer noemt")
