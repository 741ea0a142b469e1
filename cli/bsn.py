"""`trede bsn check NUMBER`: the elfproef from the command line."""

from __future__ import annotations

import sys

import click

from processes.bsn import check_bsn


@click.group(name="bsn")
def command() -> None:
    """Burgerservicenummer (BSN) helpers."""


@command.command(name="check")
@click.argument("number")
def check(number: str) -> None:
    """Print `valid` (exit 0) or `invalid: REASON` (exit 1)."""
    reason = check_bsn(number)
    if reason is None:
        click.echo("valid")
        return
    click.echo(f"invalid: {reason}")
    sys.exit(1)
