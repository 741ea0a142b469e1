"""Reading report tables back from a page, and signing in to an app on a prepared database."""
from __future__ import annotations

import html
import re

from werkzeug.security import generate_password_hash

from casework.accounts.service import create_user
from tests.web.helpers import PASSWORD, login

_HASH: list[str] = []


def add_user(db, username: str, gemeente: str, roles: list[str]) -> None:
    if not _HASH:  # scrypt is deliberately slow: hash once
        _HASH.append(generate_password_hash(PASSWORD))
    create_user(db, username, PASSWORD, username, gemeente, roles, team="Team Werk", password_hash=_HASH[0])


def client_for(app, username: str):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def page_table(page: str, key: str) -> list[list[str]]:
    """The body cells of the table ``tabel-<key>`` on a report page, as text."""
    match = re.search(rf'<table[^>]*id="tabel-{key}".*?<tbody[^>]*>(.*?)</tbody>', page, re.S)
    assert match, f"no table {key} on the page"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", match[1], re.S)
    return [[html.unescape(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows]
