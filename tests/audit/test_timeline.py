"""The auditor's timeline and "as of" views match what the case showed at the time (issue 6, item 4)."""
from __future__ import annotations

import html as htmllib
import io
import json
from datetime import datetime, timedelta

from pypdf import PdfReader
from sqlalchemy import select

from casework.people import find_user
from engine.audit import journal
from engine.storage.db import cases
from engine.storage.state import data_from_json
from tests.audit.helpers import DAYS, live_case, open_tasks_on_page
from web.audit.service import audit_case


def test_as_of_three_dates_shows_what_the_case_showed_then(app, engine, signed_in):
    case, moments = live_case(engine)
    client = signed_in("aud")
    auditor = find_user(engine.db, "aud")
    for day, then in moments.items():
        response = client.get(f"/audit/zaken/{case.case_number}?per={day}")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert open_tasks_on_page(page) == then.worklist, day
        assert f"{then.event_count} van " in page  # events recorded up to that day
        found = audit_case(engine, auditor, case.case_number, day)
        assert len(found.history.steps) == then.event_count
        assert {i.id: i.data for i in found.history.instances if i.status == "running"} == then.data, day
    # and the worklist really changed between the moments, so the comparison means something
    assert len({tuple(m.worklist) for m in moments.values()}) == 3
    now = client.get(f"/audit/zaken/{case.case_number}").get_data(as_text=True)
    assert open_tasks_on_page(now) == [] and "Geen openstaande taken." in now


def test_timeline_shows_who_what_when_data_and_the_decision(engine, signed_in):
    case, _ = live_case(engine)
    page = htmllib.unescape(signed_in("aud").get(f"/audit/zaken/{case.case_number}").get_data(as_text=True))
    assert "Verificatie: de historie klopt" in page
    assert page.index("Verificatie") < page.index("Tijdlijn")  # the verdict comes first
    assert "Taak afgerond: Diagnose klant in beeld" in page
    assert "07-01-2026 09:00:00 · door cm · model begeleiding versie 1" in page
    assert "Taak geclaimd: Uitstroompremie beoordelen" in page and "door cm2" in page
    # data submitted and the data the step produced, before and after
    cell = '<td class="utrecht-table__cell">'
    assert f"{cell}toelichting</td>{cell}nieuw</td>" in page
    # the decision with its rule, version, inputs and outputs
    assert "Beslissing UitstroompremieRecht" in page and "regel R3 (uitstroom > 6 maanden)" in page
    assert "versie 2026-01-01" in page and "maandenUitstroom" in page


def test_a_later_correction_shows_only_from_its_own_date(engine, signed_in):
    case, _ = live_case(engine)
    diagnose = next(e for e in engine.history(case.id) if e.kind == "task_completed")
    engine.clock.advance(timedelta(days=5))  # 2026-01-20
    engine.correct_task(diagnose.task_id, "trede was verkeerd ingevuld", actor="lead")
    client = signed_in("aud")
    before = client.get(f"/audit/zaken/{case.case_number}?per=2026-01-19").get_data(as_text=True)
    after = client.get(f"/audit/zaken/{case.case_number}?per=2026-01-20").get_data(as_text=True)
    assert "Correctie" not in before and "verkeerd ingevuld" not in before
    assert open_tasks_on_page(before) == []
    assert "Correctie: taak heropend" in after and "verkeerd ingevuld" in after
    assert [title for _, title, _ in open_tasks_on_page(after)] == ["Diagnose klant in beeld"]
    assert "Verificatie: de historie klopt" in after and "Afwijking" not in after  # replayed, not skipped
    steps = client.get(f"/audit/zaken/{case.case_number}/afspelen.json").get_json()["steps"]
    assert steps[-1]["kind"] == "task_corrected" and {"besluit", "afronden"} <= set(steps[-1]["withdrawn"])


def test_a_bad_date_is_explained(engine, signed_in):
    case, _ = live_case(engine)
    response = signed_in("aud").get(f"/audit/zaken/{case.case_number}?per=gisteren")
    assert response.status_code == 422
    assert "Datum: vul een datum in als JJJJ-MM-DD." in response.get_data(as_text=True)


def test_json_export_round_trips_the_events(engine, signed_in):
    case, _ = live_case(engine)
    response = signed_in("aud").get(f"/audit/zaken/{case.case_number}/export.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    doc = json.loads(response.get_data(as_text=True))
    stored = engine.history(case.id)
    assert doc["zaak"]["zaaknummer"] == case.case_number and doc["verificatie"]["ok"] is True
    assert len(doc["gebeurtenissen"]) == len(stored) == doc["zaak"]["gebeurtenissen_totaal"]
    prev = journal.GENESIS
    for exported, event in zip(doc["gebeurtenissen"], stored, strict=True):
        # the exported payload gives back exactly the recorded payload (dates included) ...
        payload_json = json.dumps(exported["payload"], separators=(",", ":"))
        assert data_from_json(payload_json) == event.payload
        assert (exported["seq"], exported["kind"], exported["actor"], exported["task_id"]) == \
            (event.seq, event.kind, event.actor, event.task_id)
        # ... and the chain can be checked offline from the export alone
        digest = journal.event_hash(prev, exported["seq"], exported["kind"], exported["actor"],
                                    datetime.fromisoformat(exported["at"]), exported["task_id"], payload_json,
                                    exported["state_hash"], case_id=exported["case_id"],
                                    instance_id=exported["instance_id"], task_name=exported["task_name"])
        assert exported["hash_formaat"] == 2
        assert exported["prev_hash"] == prev and digest == exported["hash"] == event.hash
        prev = digest
    assert prev == doc["zaak"]["kop_hash"]
    assert doc["keten"] == {"kop_gebeurtenis": len(doc["gebeurtenissen"]), "kop_hash": prev,
                            "zegel_geldig": True}
    assert doc["verificatie"]["ok"] and doc["verificatie"]["uitgevoerd_op"] == doc["geexporteerd_op"]


def test_json_export_as_of_a_date_holds_only_the_events_until_then(engine, signed_in):
    case, moments = live_case(engine)
    response = signed_in("aud").get(f"/audit/zaken/{case.case_number}/export.json?per={DAYS[1]}")
    doc = json.loads(response.get_data(as_text=True))
    assert len(doc["gebeurtenissen"]) == moments[DAYS[1]].event_count
    assert doc["peilmoment"].startswith("2026-01-07T23:59:59")
    assert "per-2026-01-07" in response.headers["Content-Disposition"]


def test_pdf_export_is_a_real_pdf_with_the_case_in_it(engine, signed_in):
    case, _ = live_case(engine)
    response = signed_in("aud").get(f"/audit/zaken/{case.case_number}/export.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert f"Zaakhistorie {case.case_number}" in text
    assert "de historie klopt" in text and "Diagnose klant in beeld" in text
    assert "UitstroompremieRecht" in text and "R3 (uitstroom > 6 maanden)" in text
    # issue 16 item 4: what an auditor hands over states zones, the chain head, the seal, when it was checked
    assert "(UTC+01:00)" in text and "Europe/Amsterdam" in text
    with engine.db.connect() as conn:
        count, head = conn.execute(select(cases.c.event_count, cases.c.head_hash)
                                   .where(cases.c.id == case.id)).one()
    assert f"Kop van de keten: gebeurtenis {count}, hash {head[:20]}" in text
    assert "Zegel op de kop: geldig" in text and "Uitgevoerd op " in text
    assert "regelset geldig vanaf" in text


def test_pdf_export_breaks_lines_between_words(engine, signed_in):
    case, _ = live_case(engine)
    engine.start_process(case.id, "begeleiding", {"toelichting": " ".join(["persoonsgegevens"] * 60)})
    response = signed_in("aud").get(f"/audit/zaken/{case.case_number}/export.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    words = {w.strip("'\".,:;{}[]()") for w in text.split() if "oons" in w or "pers" in w or "gegevens" in w}
    assert words == {"persoonsgegevens"}  # never "pers oonsgegevens"


def test_pdf_export_survives_characters_outside_latin1(engine, signed_in):
    case, _ = live_case(engine)
    engine.start_process(case.id, "begeleiding", {"toelichting": "Zoë – “gesprek” → 😀 北京"})
    response = signed_in("aud").get(f"/audit/zaken/{case.case_number}/export.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(response.data)).pages[-1].extract_text()
    assert "Zoë - \"gesprek\" -> ?" in text
