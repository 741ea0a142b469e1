"""Web: ledger page (four eyes, CSV), documents and bezwaar on the dossier, the public offer form."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from casework.accounts.service import create_user
from engine.storage.db import cases, instances
from processes import aanbod, beschikking, ledger, system_models
from processes.catalogue import deploy_all
from tests.processes.helpers import mark_sent, send_letters
from tests.web.helpers import PASSWORD, csrf_token, start_case

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n% bewijs\n"


@pytest.fixture
def fin2(engine):
    create_user(
        engine.db, "fin2", PASSWORD, "Fenna Financien", "ooststellingwerf", ["financien"], team="Team Werk"
    )


def _line(engine, case, created_by="fin"):
    with engine.db.begin() as conn:
        row = conn.execute(select(cases).where(cases.c.id == case.id)).mappings().one()
        return ledger.add_line(
            conn,
            dict(row),
            soort="premie",
            bedrag="600",
            ontvanger="Jan Jansen",
            omschrijving="Uitstroompremie 1e premie",
            actor=created_by,
            now=engine.clock.now(),
        )


def test_ledger_page_four_eyes_and_csv(app, engine, case, signed_in, fin2):
    line_id = _line(engine, case)
    fin = signed_in("fin")
    page = fin.get("/grootboek/").get_data(as_text=True)
    assert "Uitstroompremie 1e premie" in page and "Door een collega goed te keuren" in page
    assert "€ 600,00" in page
    token = csrf_token(fin, "/grootboek/")
    fin.post(f"/grootboek/{line_id}/goedkeuren", data={"csrf_token": token})
    with engine.db.connect() as conn:
        assert ledger.get(conn, line_id).status == "concept"  # the creator cannot approve

    other = signed_in("fin2")
    token = csrf_token(other, "/grootboek/")
    assert other.post(f"/grootboek/{line_id}/goedkeuren", data={"csrf_token": token}).status_code == 302
    with engine.db.connect() as conn:
        assert ledger.get(conn, line_id).approved_by == "fin2"
    response = other.post("/grootboek/export.csv", data={"csrf_token": token})
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True)), delimiter=";"))
    assert [(r["zaak"], r["bedrag"]) for r in rows] == [(case.case_number, "600.00")]


def test_ledger_is_for_financien_only_and_per_gemeente(app, engine, case, signed_in):
    line_id = _line(engine, case)
    assert signed_in("cm").get("/grootboek/").status_code == 403
    apel = signed_in("apel")
    assert apel.get("/grootboek/").status_code == 403
    fin = signed_in("fin")
    assert "Grootboek" in fin.get("/grootboek/").get_data(as_text=True)
    other_case, _ = start_case(engine, gemeente="apeldoorn", bsn="999990044")
    foreign = _line(engine, other_case, created_by="someone")
    token = csrf_token(fin, "/grootboek/")
    assert fin.post(f"/grootboek/{foreign}/goedkeuren", data={"csrf_token": token}).status_code == 404
    assert line_id


def _client_id(engine, case) -> int:
    with engine.db.connect() as conn:
        return conn.execute(select(cases.c.client_id).where(cases.c.id == case.id)).scalar_one()


def test_upload_list_and_download_documents(app, engine, case, signed_in):
    cm = signed_in("cm")
    dossier_url = f"/dossier/{_client_id(engine, case)}"
    token = csrf_token(cm, dossier_url)
    response = cm.post(
        f"/zaak/{case.id}/documenten",
        data={"csrf_token": token, "soort": "plan_van_aanpak", "bestand": (io.BytesIO(PDF), "plan.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = cm.get(dossier_url).get_data(as_text=True)
    assert "plan.pdf" in page and "Ondertekend plan van aanpak" in page
    link = re.search(rf'href="(/zaak/{case.id}/documenten/\d+)"', page)[1]
    download = cm.get(link)
    assert (download.data, download.mimetype) == (PDF, "application/pdf")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment")

    # a name with accents downloads under that name (RFC 5987 encoding, no header error)
    cm.post(
        f"/zaak/{case.id}/documenten",
        data={
            "csrf_token": token,
            "soort": "uwv_advies",
            "bestand": (io.BytesIO(b"Advies UWV"), "advies-één.txt"),
        },
        content_type="multipart/form-data",
    )
    page = cm.get(dossier_url).get_data(as_text=True)
    links = re.findall(rf'href="(/zaak/{case.id}/documenten/\d+)"', page)
    accented = cm.get(links[-1])
    assert (
        accented.data == b"Advies UWV"
        and "filename*=UTF-8''advies-%C3%A9%C3%A9n.txt" in accented.headers["Content-Disposition"]
    )

    # an executable renamed to .pdf is refused by its magic bytes, with a Dutch message
    cm.post(
        f"/zaak/{case.id}/documenten",
        data={
            "csrf_token": token,
            "soort": "bewijsstuk",
            "bestand": (io.BytesIO(b"MZ\x90\x00\x03"), "x.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert "alleen PDF, PNG, JPEG of platte tekst" in cm.get(dossier_url).get_data(as_text=True)
    # another gemeente's user does not even learn the document exists
    assert signed_in("apel").get(link).status_code == 404


def _letter_and_bezwaar(engine, case, cm) -> tuple[int, str]:
    """A refusal sent as a beschikking outside any process, and a bezwaar against it."""
    with engine.case(case.id) as work:  # with its event: verify rebuilds the row from it (issue 16)
        beschikking_id = beschikking.issue_on_case(
            work, onderwerp="Uitstroompremie", besluit="afwijzen", motivering="Te vroeg aangevraagd.",
            regel="Seed 002 art. 15", actor="lead")
    send_letters(engine, case.id)  # the review step: only a sent letter can be objected to
    dossier_url = f"/dossier/{_client_id(engine, case)}"
    cm.post(f"/zaak/{case.id}/bezwaar", data={
        "csrf_token": csrf_token(cm, dossier_url), "beschikking_id": beschikking_id,
        "ontvangen_op": engine.clock.now().date().isoformat(), "gronden": "Ik was op tijd."})
    return beschikking_id, dossier_url


def test_a_gegrond_bezwaar_is_refused_whole_where_no_new_decision_can_be_started(engine, case, signed_in):
    # An installation without the system processes (trede db upgrade deploys them): the answer says
    # what is missing and what to do, and nothing of the decision is saved.
    cm = signed_in("cm")
    _, dossier_url = _letter_and_bezwaar(engine, case, cm)
    _, (bezwaar,) = beschikking.BezwaarService(engine).list(case.id)
    answer = cm.post(f"/zaak/{case.id}/bezwaar/{bezwaar.id}", follow_redirects=True, data={
        "csrf_token": csrf_token(cm, dossier_url), "uitkomst": "gegrond", "horen": "gehoord",
        "motivering": "Tijdig."})
    page = answer.get_data(as_text=True)
    assert "De beslissing is niet opgeslagen" in page and "bezwaar_heroverweging" in page
    assert "trede db upgrade" in page
    (letter,), (bezwaar,) = beschikking.BezwaarService(engine).list(case.id)
    assert (bezwaar.status, letter.status) == ("ingediend", "geldig")
    assert engine.verify(case.id).ok


def test_bezwaar_registered_and_decided_from_the_dossier(app, engine, case, signed_in):
    system_models.load(engine)  # as trede db upgrade does
    with engine.db.begin() as conn:
        row = dict(conn.execute(select(cases).where(cases.c.id == case.id)).mappings().one())
        beschikking_id = beschikking.issue(
            conn,
            row,
            onderwerp="Uitstroompremie",
            besluit="afwijzen",
            motivering="Te vroeg aangevraagd.",
            regel="Seed 002 art. 15",
            actor="lead",
            now=engine.clock.now(),
        )
        mark_sent(conn, beschikking_id, engine.clock.now().date())
    cm = signed_in("cm")
    dossier_url = f"/dossier/{_client_id(engine, case)}"
    page = cm.get(dossier_url).get_data(as_text=True)
    assert "Beschikkingen en bezwaar" in page and "brief (PDF)" in page
    token = csrf_token(cm, dossier_url)
    sent = engine.clock.now().date()
    cm.post(
        f"/zaak/{case.id}/bezwaar",
        data={
            "csrf_token": token,
            "beschikking_id": beschikking_id,
            "ontvangen_op": sent.isoformat(),
            "gronden": "Ik heb wel op tijd aangevraagd.",
        },
    )
    _, (bezwaar,) = beschikking.BezwaarService(engine).list(case.id)
    assert bezwaar.status == "ingediend" and bezwaar.deadline_id is not None
    cm.post(
        f"/zaak/{case.id}/bezwaar/{bezwaar.id}",
        data={"csrf_token": token, "uitkomst": "gegrond", "horen": "gehoord",
              "motivering": "De aanvraag was tijdig."},
    )
    (found,), (bezwaar,) = beschikking.BezwaarService(engine).list(case.id)
    assert (bezwaar.status, found.status) == ("gegrond", "herzien")
    # no process to take the decision again: a case manager gets the task (Awb 7:11)
    assert "Nieuw besluit nemen na gegrond bezwaar" in [t.title for t in engine.ready_tasks(case_id=case.id)]


def test_bezwaar_by_post_gets_the_postmark_rule_and_a_bad_postmark_a_dutch_answer(engine, case, signed_in):
    """Awb 6:9 lid 2 in the dossier: a bezwaarschrift posted on the last day of the term and received
    three days later is registered as in time (issue 19 item 15)."""
    with engine.db.begin() as conn:
        row = dict(conn.execute(select(cases).where(cases.c.id == case.id)).mappings().one())
        beschikking_id = beschikking.issue(conn, row, onderwerp="Uitstroompremie", besluit="afwijzen",
                                           motivering="Te vroeg aangevraagd.", regel="Seed 002 art. 15",
                                           actor="lead", now=engine.clock.now())
        mark_sent(conn, beschikking_id, engine.clock.now().date())
    (letter,), _ = beschikking.BezwaarService(engine).list(case.id)
    # registered the day after it arrived (a date of receipt in the future is refused, Awb 6:9)
    engine.clock.set(datetime.combine(letter.bezwaar_einde + timedelta(days=4), time(12), tzinfo=UTC))
    cm = signed_in("cm")
    dossier_url = f"/dossier/{_client_id(engine, case)}"
    assert "datum poststempel" in cm.get(dossier_url).get_data(as_text=True)
    form = {"csrf_token": csrf_token(cm, dossier_url), "beschikking_id": beschikking_id,
            "ontvangen_op": (letter.bezwaar_einde + timedelta(days=3)).isoformat(),
            "gronden": "Ik was op tijd."}
    page = cm.post(f"/zaak/{case.id}/bezwaar", data={**form, "gepost_op": "14-04"},
                   follow_redirects=True).get_data(as_text=True)
    assert "Gepost op: vul een datum in" in page
    assert beschikking.BezwaarService(engine).list(case.id)[1] == []  # nothing registered
    cm.post(f"/zaak/{case.id}/bezwaar", data={**form, "gepost_op": letter.bezwaar_einde.isoformat()})
    _, (bezwaar,) = beschikking.BezwaarService(engine).list(case.id)
    assert (bezwaar.tijdig, bezwaar.status) == (True, "ingediend")


# -- the public offer form (seed 000) ---------------------------------------------------------

OFFER = {
    "aanbieder": "Zorgboerderij De Vlinder",
    "kvk": "12345678",
    "contactpersoon": "Els de Smet",
    "email": "els@devlinder.nl",
    "plaats": "Oostburg",
    "werkzaamheden": "Dierverzorging en tuinwerk.",
    "urenPerWeek": "24",
    "toezeggingMaanden": "12",
    "regioZeeuwsVlaanderen": "ja",
    "begeleiderHbo": "ja",
}


def offer_case(engine, kenmerk: str) -> int:
    """The case of a receipt's kenmerk, as a case manager finds it: in the offer's data."""
    for item in engine.ready_tasks(gemeente=aanbod.GEMEENTE):
        if engine.task_data(item.task_id)["aanbod"].get("kenmerk") == kenmerk:
            return item.case_id
    raise AssertionError(f"geen zaak met kenmerk {kenmerk}")


def _offer(client, token, **changes):
    files = changes.pop("files", [(io.BytesIO(PDF), "verzekering.pdf"), (io.BytesIO(PNG), "werkruimte.png")])
    addr = changes.pop("addr", "192.0.2.10")
    form = {**OFFER, "csrf_token": token, **changes}
    return client.post(
        "/aanbod/",
        data={**form, "bewijsstukken": files},
        content_type="multipart/form-data",
        environ_overrides={"REMOTE_ADDR": addr},
    )


def test_public_offer_starts_werkplek_aanbod_with_its_evidence(app, engine):
    deploy_all(engine)
    client = app.test_client()
    assert client.get("/aanbod/").status_code == 200  # no sign-in
    token = csrf_token(client, "/aanbod/")
    response = _offer(client, token)
    assert response.status_code == 200, response.get_data(as_text=True)
    kenmerk = re.search(r"<strong>(AANBOD-[0-9A-F]{10})</strong>", response.get_data(as_text=True))[1]
    case_id = offer_case(engine, kenmerk)
    with engine.db.connect() as conn:
        process_ids = list(
            conn.execute(select(instances.c.process_id).where(instances.c.case_id == case_id)).scalars()
        )
    assert process_ids == ["werkplek_aanbod"]
    (item,) = engine.ready_tasks(case_id=case_id)
    data = engine.task_data(item.task_id)
    assert (item.task_name, data["aanbieder"], data["aanbod"]["kvk"]) == (
        "toetsen",
        "Zorgboerderij De Vlinder",
        "12345678",
    )
    assert "regioZeeuwsVlaanderen" not in data  # the provider's claims are checked, not pre-ticked
    from processes.documents import Documents

    assert [d.filename for d in Documents(engine).list(case_id)] == ["verzekering.pdf", "werkruimte.png"]
    assert engine.verify(case_id).ok
    # the public client reads nothing else
    assert client.get("/dossier/1").status_code in (302, 401, 403)
    assert client.get("/grootboek/").status_code in (302, 401, 403)


def test_public_offer_field_messages_csrf_and_rate_limit(app, engine):
    deploy_all(engine)
    client = app.test_client()
    token = csrf_token(client, "/aanbod/")
    bad = _offer(client, token, kvk="12AB", email="geen-adres", urenPerWeek="60", files=[])
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400
    for message in (
        "Een KvK-nummer bestaat uit 8 cijfers.",
        "Vul een geldig e-mailadres in",
        "Vul bij uren per week een heel getal van 1 tot en met 40 in.",
        "Voeg de bewijsstukken toe",
    ):
        assert message in page, message
    exe = _offer(client, token, files=[(io.BytesIO(b"MZ\x90\x00"), "bewijs.pdf")])
    assert exe.status_code == 400 and "alleen PDF, PNG, JPEG of platte tekst" in exe.get_data(as_text=True)
    assert app.test_client().post("/aanbod/", data=OFFER).status_code == 400  # no CSRF token

    for _ in range(aanbod.MAX_PER_HOUR):
        assert _offer(client, token).status_code == 200
    assert _offer(client, token).status_code == 429  # the sixth within the hour
    assert _offer(client, token, addr="192.0.2.99").status_code == 200  # another address is not blocked


def test_sent_date_and_awb_terms_are_shown_in_the_letter_section(app, engine, case, signed_in):
    with engine.db.begin() as conn:
        row = dict(conn.execute(select(cases).where(cases.c.id == case.id)).mappings().one())
        letter = beschikking.issue(
            conn,
            row,
            onderwerp="Trajectpremie",
            besluit="toekennen",
            motivering="Voldoet.",
            regel="Seed 002",
            actor="lead",
            now=engine.clock.now(),
        )
        mark_sent(conn, letter, engine.clock.now().date())
    page = signed_in("cm").get(f"/dossier/{_client_id(engine, case)}").get_data(as_text=True)
    assert "bezwaar tot en met" in page and "Trajectpremie" in page
