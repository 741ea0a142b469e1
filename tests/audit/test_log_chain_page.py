"""The auditor checks the own gemeente's processing-log chain on a page (read only)."""
from __future__ import annotations

from sqlalchemy import select, update

from engine.audit.processing_log import log_processing
from engine.storage.db import processing_log

BSN = "999990019"


def _lines(engine, n: int, gemeente: str) -> None:
    for _ in range(n):
        log_processing(engine.db, "dossier-raadplegen", "cm", BSN, "HTTP 200", gemeente=gemeente)


def test_the_auditor_sees_the_chain_of_their_own_gemeente_and_a_tampered_line(engine, signed_in):
    _lines(engine, 3, "ooststellingwerf")
    _lines(engine, 1, "apeldoorn")
    page = signed_in("aud").get("/audit/logboek/keten").get_data(as_text=True)
    assert "De keten klopt: 3 regels gecontroleerd" in page
    other = signed_in("aud-apel").get("/audit/logboek/keten").get_data(as_text=True)
    assert "De keten klopt: 1 regel gecontroleerd" in other  # Apeldoorn's own chain
    with engine.db.connect() as conn:
        second = conn.execute(select(processing_log.c.id).where(
            processing_log.c.gemeente == "ooststellingwerf", processing_log.c.seq == 2)).scalar_one()
    with engine.db.begin() as conn:
        conn.execute(update(processing_log).where(processing_log.c.id == second).values(result="HTTP 404"))
    page = signed_in("aud").get("/audit/logboek/keten").get_data(as_text=True)
    assert "De keten klopt niet: regel 2" in page and "gewijzigd" in page


def test_only_auditors_open_it(signed_in):
    assert signed_in("cm").get("/audit/logboek/keten").status_code == 403
