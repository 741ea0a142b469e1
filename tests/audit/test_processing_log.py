"""The processing log (Logboek Dataverwerkingen): one line per subject, pseudonymised, searchable."""
from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from flask import g
from sqlalchemy import select

from engine.audit.processing_log import (
    REGISTER,
    STATUS_OK,
    LogQuery,
    Pseudonymizer,
    Trace,
    activity,
    load_pseudonymizer,
    log_processing,
    search,
)
from engine.storage.db import processing_log
from tests.audit.conftest import PSEUDONYM_KEY
from tests.audit.helpers import live_case
from tests.web.helpers import BSN, BSN_2, csrf_token, start_case
from web import authz
from web.api.tokens import Principal
from web.audit.ldv import _who, note_subject, processes_personal_data

PSEUDO = Pseudonymizer(bytes.fromhex(PSEUDONYM_KEY))
HEX = re.compile(r"^[0-9a-f]+$")


def _rows(engine) -> list[dict]:
    with engine.db.connect() as conn:
        query = select(processing_log).order_by(processing_log.c.id)
        return [dict(r) for r in conn.execute(query).mappings()]


def _search(client, **form):
    token = csrf_token(client, "/audit/logboek")
    return client.post("/audit/logboek", data={"csrf_token": token, **form})


def test_auditor_pages_log_one_line_per_subject_and_never_a_bsn(engine, signed_in):
    case, _ = live_case(engine)
    other, _ = start_case(engine, bsn=BSN_2, naam="Piet Pietersen")
    client = signed_in("aud")
    base = f"/audit/zaken/{case.case_number}"
    for path in (base, f"{base}/export.json", f"{base}/export.pdf", f"{base}/afspelen.json",
                 f"/audit/zaken/{other.case_number}?per=2026-01-05"):
        assert client.get(path).status_code == 200
    assert _search(client, bsn=BSN).status_code == 200
    assert _search(client, actor="cm").status_code == 200
    rows = _rows(engine)
    assert len(rows) == 7
    for row in rows:  # no column of any line holds a BSN, in any form
        for value in row.values():
            text = str(value)
            assert BSN not in text and BSN_2 not in text, row
        assert len(row["trace_id"]) == 32 and HEX.match(row["trace_id"])
        assert len(row["span_id"]) == 16 and HEX.match(row["span_id"])
        assert row["processing_activity_id"] in {a.uri() for a in REGISTER.values()}
        assert (row["actor"], row["gemeente"], row["status_code"]) == ("aud", "ooststellingwerf", STATUS_OK)
        assert row["end_time"] >= row["start_time"]
    subjects = [r["data_subject_id"] for r in rows]
    assert subjects[:4] == [PSEUDO.pseudonym("ooststellingwerf", BSN)] * 4
    assert subjects[4] == PSEUDO.pseudonym("ooststellingwerf", BSN_2)
    assert subjects[5] == PSEUDO.pseudonym("ooststellingwerf", BSN)  # the log search for BSN
    assert subjects[6] is None  # a search by actor concerns no single subject
    assert rows[0]["object_ref"] == case.case_number and rows[0]["data_subject_id_type"] == "BSN-pseudoniem"
    assert rows[0]["processing_activity_id"] == activity("audit-zaakhistorie").uri()
    assert rows[1]["processing_activity_id"] == activity("audit-export").uri()
    assert len({r["trace_id"] for r in rows}) == len(rows)  # a new trace for every processing


def test_search_by_bsn_finds_that_subject_only_and_the_bsn_stays_out_of_url_and_page(engine, signed_in):
    case, _ = live_case(engine)
    other, _ = start_case(engine, bsn=BSN_2, naam="Piet Pietersen")
    client = signed_in("aud")
    client.get(f"/audit/zaken/{case.case_number}")
    client.get(f"/audit/zaken/{other.case_number}")
    response = _search(client, bsn=BSN)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and BSN not in page
    assert "1 regel gevonden voor de opgegeven inwoner" in page  # the earlier line; the search logs after
    assert case.case_number in page and other.case_number not in page
    assert BSN not in response.request.url
    assert "1 regel gevonden" in _search(client, bsn=BSN_2).get_data(as_text=True)  # its own case view


def test_search_by_actor_activity_and_period(engine, signed_in):
    case, _ = live_case(engine)
    log_processing(engine.db, "dossier-raadplegen", "cm", BSN, "HTTP 200", gemeente="ooststellingwerf",
                   object_ref=case.case_number, pseudonymizer=PSEUDO)
    client = signed_in("aud")
    client.get(f"/audit/zaken/{case.case_number}")
    page = _search(client, actor="cm").get_data(as_text=True)
    assert "1 regel gevonden" in page and "Re-integratiedossier raadplegen" in page
    page = _search(client, activiteit="audit-zaakhistorie").get_data(as_text=True)
    assert "1 regel gevonden" in page and "Zaakhistorie controleren (audit)" in page
    today = datetime.now(ZoneInfo("Europe/Amsterdam")).date().isoformat()  # the log keeps wall-clock time
    assert "4 regels gevonden" in _search(client, van=today, tot=today).get_data(as_text=True)
    assert "0 regels gevonden" in _search(client, van="2001-01-01", tot="2001-12-31").get_data(as_text=True)


def test_bad_search_input_is_explained_and_the_bsn_is_not_echoed(engine, signed_in):
    response = _search(signed_in("aud"), bsn="123456789", van="morgen")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "BSN: vul een geldig burgerservicenummer in" in page and "Van: vul een datum in" in page
    assert "123456789" not in page


def test_an_auditor_sees_only_the_log_of_their_own_gemeente(engine, signed_in):
    log_processing(engine.db, "dossier-raadplegen", "cm", BSN, "HTTP 200", gemeente="ooststellingwerf",
                   pseudonymizer=PSEUDO)
    page = _search(signed_in("aud-apel"), bsn=BSN).get_data(as_text=True)
    assert "0 regels gevonden" in page


def test_a_callers_trace_context_is_continued(engine, signed_in):
    case, _ = live_case(engine)
    trace_id, span_id = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    signed_in("aud").get(f"/audit/zaken/{case.case_number}",
                         headers={"traceparent": f"00-{trace_id}-{span_id}-01"})
    row = _rows(engine)[-1]
    assert (row["trace_id"], row["parent_span_id"]) == (trace_id, span_id)
    assert trace_id in row["foreign_operation"] and row["span_id"] != span_id


def test_a_failed_export_logs_an_error_status(engine, signed_in, monkeypatch):
    case, _ = live_case(engine)
    client = signed_in("aud")

    def broken(*_args):
        raise OSError("disk full")

    monkeypatch.setattr("web.audit.routes.case_pdf", broken)
    with pytest.raises(OSError):
        client.get(f"/audit/zaken/{case.case_number}/export.pdf")
    row = _rows(engine)[-1]
    assert row["status_code"] == 2 and row["result"] == "HTTP 500" and row["object_ref"] == case.case_number
    # a bad date is refused before any personal data is read: nothing to log
    assert client.get(f"/audit/zaken/{case.case_number}/export.json?per=nooit").status_code == 400
    assert len(_rows(engine)) == 1


def test_writer_api_inside_a_callers_transaction(engine):
    trace = Trace()
    with engine.db.begin() as conn:
        first = log_processing(conn, "taak-afhandelen", "cm", BSN, "taak afgerond",
                               gemeente="ooststellingwerf", trace=trace, pseudonymizer=PSEUDO)
    with pytest.raises(RuntimeError), engine.db.begin() as conn:
        log_processing(conn, "taak-afhandelen", "cm", BSN, "teruggedraaid", gemeente="ooststellingwerf",
                       pseudonymizer=PSEUDO)
        raise RuntimeError("the step failed: its log line goes with it")
    rows = search(engine.db, LogQuery("ooststellingwerf", subject_bsn=BSN), PSEUDO)
    assert [r["span_id"] for r in rows] == [first.span_id] and rows[0]["trace_id"] == trace.trace_id
    with pytest.raises(ValueError):
        log_processing(engine.db, "onbekend", "cm", BSN, "x", gemeente="ooststellingwerf",
                       pseudonymizer=PSEUDO)


def test_pseudonyms_are_keyed_and_differ_per_gemeente(tmp_path):
    key_file = tmp_path / "pseudonym.key"
    one = load_pseudonymizer(key_file)
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert load_pseudonymizer(key_file).pseudonym("woerden", BSN) == one.pseudonym("woerden", BSN)
    assert one.pseudonym("woerden", BSN) != one.pseudonym("apeldoorn", BSN)
    assert one.pseudonym("woerden", BSN) != PSEUDO.pseudonym("woerden", BSN)
    assert BSN not in one.pseudonym("woerden", BSN)


def test_bad_trace_context_starts_a_new_trace():
    for header in (None, "", "00-xyz-abc-01", "00-" + "0" * 32 + "-00f067aa0ba902b7-01"):
        trace = Trace.from_traceparent(header)
        assert trace.foreign is None and trace.parent_span_id is None and len(trace.trace_id) == 32


def test_the_decorator_writes_one_span_per_subject_in_one_trace(app, engine, signed_in, monkeypatch):
    @processes_personal_data("dossier-raadplegen")
    def two_subjects():
        note_subject(BSN, object_ref="Z1")
        note_subject(BSN_2, object_ref="Z2")
        return "ok"

    app.add_url_rule("/ldv-test", "ldv_test", two_subjects)
    # web/authz.py refuses routes without an entry (default deny): give this test route one.
    monkeypatch.setitem(authz.MATRIX, "ldv_test", {"GET": authz.Rule(authz.AUDITORS)})
    assert signed_in("aud").get("/ldv-test").status_code == 200
    first, second = _rows(engine)
    assert first["trace_id"] == second["trace_id"] and first["span_id"] != second["span_id"]
    assert (first["object_ref"], second["object_ref"]) == ("Z1", "Z2")
    assert first["name"] == "GET /ldv-test" and first["origin"] == "127.0.0.1"
    with app.test_request_context("/api/cases/1"):
        g.principal = Principal("koppeling", "woerden", frozenset())
        assert _who() == ("api:koppeling", "woerden")
