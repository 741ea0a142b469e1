"""The public offer form counts and caps a post before it reads it (issue 17 finding 8).

Seen in an attack: 340 invalid posts (up to 9.5 MB) each got a 400 after being parsed, never a
429, and the limit was per address only. Now every post counts, valid or not, per address and in
all (the form is one gemeente's: seed 000, Zeeuws-Vlaanderen), before the CSRF check or the view
parses anything; a post larger than the cap is a Dutch 413 by its Content-Length. The receipt
shows a kenmerk of its own, not the case number (which counts every case of the installation).
"""
from __future__ import annotations

import io
import re

import pytest

from processes import aanbod
from processes.catalogue import deploy_all
from tests.web.helpers import csrf_token
from tests.web.test_casefiles import OFFER, PDF

pytestmark = pytest.mark.database


def _garbage(client, addr="192.0.2.10", body=b"\x00" * 2048):
    """Not a form at all: no CSRF token, no multipart boundary (it would be a 400 once parsed)."""
    return client.post("/aanbod/", data=body, content_type="multipart/form-data",
                       environ_overrides={"REMOTE_ADDR": addr})


def test_invalid_posts_meet_the_limit_per_address_before_any_parsing(app, engine):
    client = app.test_client()
    answers = [_garbage(client).status_code for _ in range(aanbod.ATTEMPTS_PER_ADDRESS + 2)]
    assert set(answers[:aanbod.ATTEMPTS_PER_ADDRESS]) == {400}
    assert answers[aanbod.ATTEMPTS_PER_ADDRESS:] == [429, 429]
    page = _garbage(client).get_data(as_text=True)
    assert "te veel aanvragen" in page and 'lang="nl"' in page
    assert _garbage(client, addr="192.0.2.99").status_code == 400  # another address is not blocked


def test_the_form_as_a_whole_has_a_limit_too(app, engine, monkeypatch):
    monkeypatch.setattr(aanbod, "ATTEMPTS_PER_GEMEENTE", 6)  # a small installation's setting
    client = app.test_client()
    answers = [_garbage(client, addr=f"198.51.100.{n}").status_code for n in range(8)]
    assert answers == [400] * 6 + [429, 429]  # eight addresses, each far below its own limit


def test_a_body_over_the_cap_is_a_dutch_413_by_its_length(app, engine):
    client = app.test_client()
    answer = _garbage(client, body=b"x" * (aanbod.MAX_BODY + 1))
    assert answer.status_code == 413
    assert "te groot" in answer.get_data(as_text=True) and "10 MB" in answer.get_data(as_text=True)


def test_the_receipt_shows_no_case_number(app, engine):
    deploy_all(engine)
    client = app.test_client()
    token = csrf_token(client, "/aanbod/")
    answer = client.post("/aanbod/", data={**OFFER, "csrf_token": token,
                                            "bewijsstukken": [(io.BytesIO(PDF), "verzekering.pdf")]},
                         content_type="multipart/form-data", environ_overrides={"REMOTE_ADDR": "192.0.2.7"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Uw aanbod is ontvangen" in page
    assert not re.search(r"Z\d{4}-\d+", page)
    assert re.search(r"<strong>AANBOD-[0-9A-F]{10}</strong>", page)
