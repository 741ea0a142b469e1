"""Health data (AVG art. 9) encrypted at rest: raw rows hold ciphertext, roles that need it read it.

The fields are the domain's list (processes/special_category.py); the engine encrypts them in the
workflow state, the event payloads and the drafts, and `verify` still proves the stored state.
"""
from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import text

from casework.accounts.service import create_user
from casework.tables import case_notes
from engine.audit.journal import GENESIS, event_hash
from engine.storage import data_keys, field_crypto
from tests.web.helpers import PASSWORD, csrf_token
from tests.web.test_dossier import _client_id

SECRET = "rugklachten sinds 2024"
DRAFT_SECRET = "slaapt slecht door medicatie"


def _raw(engine, sql: str) -> str:
    with engine.db.connect() as conn:
        return "\n".join(str(v) for v in conn.execute(text(sql)).scalars())


def _complete_with_health_data(engine, case):
    task = engine.ready_tasks(case_id=case.id)[0]
    engine.complete(task.task_id, {"trede": 3, "akkoord": True, "lichamelijkeSituatie": SECRET}, "cm")


def test_the_database_holds_health_data_only_encrypted_and_verify_still_proves_the_case(engine, case):
    _complete_with_health_data(engine, case)
    for table, column in (("instances", "state"), ("events", "payload")):
        raw = _raw(engine, f"SELECT {column} FROM {table}")
        assert SECRET not in raw and "rugklachten" not in raw
        assert '"lichamelijkeSituatie":{"$trede-enc":"' in raw
    # The engine above the database reads the plaintext, byte for byte what it hashed.
    stored = [e.payload.get("data", {}) for e in engine.history(case.id)]
    assert any(data.get("lichamelijkeSituatie") == SECRET for data in stored)
    assert engine.verify(case.id).ok


def test_a_casemanager_reads_back_a_draft_with_health_data_that_is_stored_encrypted(signed_in, engine, case):
    task_id = engine.ready_tasks(case_id=case.id)[0].task_id
    client = signed_in("cm")
    form = {"csrf_token": csrf_token(client, f"/taken/{task_id}"), "actie": "opslaan", "trede": "3",
            "lichamelijkeSituatie": DRAFT_SECRET}
    assert client.post(f"/taken/{task_id}", data=form).status_code == 302
    assert DRAFT_SECRET not in _raw(engine, "SELECT data FROM task_drafts")
    assert DRAFT_SECRET in client.get(f"/taken/{task_id}").get_data(as_text=True)
    page = signed_in("fin").get(f"/taken/{task_id}").get_data(as_text=True)
    assert DRAFT_SECRET not in page and "afgeschermd" in page


def test_the_auditor_json_export_leaves_health_data_out_but_keeps_the_chain_checkable(
        signed_in, engine, case):
    _complete_with_health_data(engine, case)
    create_user(engine.db, "aud", PASSWORD, "Audrey", "ooststellingwerf", ["auditor"])
    body = signed_in("aud").get(f"/audit/zaken/{case.case_number}/export.json").get_data(as_text=True)
    assert "rugklachten" not in body
    doc = json.loads(body)
    events = doc["gebeurtenissen"]
    assert doc["verificatie"]["ok"] and any(e["payload_afgeschermd"] for e in events)
    prev = GENESIS
    for event in events:  # every link checks; every event without health data checks in full
        assert event["prev_hash"] == prev
        if not event["payload_afgeschermd"]:
            payload_json = json.dumps(event["payload"], separators=(",", ":"))
            assert event_hash(prev, event["seq"], event["kind"], event["actor"],
                              datetime.fromisoformat(event["at"]), event["task_id"], payload_json,
                              event["state_hash"], case_id=event["case_id"],
                              instance_id=event["instance_id"], task_name=event["task_name"]) == event["hash"]
        prev = event["hash"]


def _use(engine, keyring=None, fields=None) -> None:
    """The engine's cipher with another key ring (rotation) or another list of fields."""
    current = field_crypto.cipher_of(engine.db)
    field_crypto.attach(engine.db, field_crypto.FieldCipher(
        current.fields if fields is None else fields, keyring or current.keyring))


@pytest.fixture
def two_keys(engine):
    """The key ring k1 (old) and k2 (new), on this test's engine."""
    old = field_crypto.KeyRing("k1", {"k1": bytes(range(32))})
    _use(engine, old)
    yield old, field_crypto.KeyRing("k2", {"k2": bytes(range(32, 64)), "k1": bytes(range(32))})


def test_rotation_reencrypts_under_the_new_key_and_the_chain_stays_valid(engine, case, two_keys):
    old, new = two_keys
    _complete_with_health_data(engine, case)
    assert '"k1.' in _raw(engine, "SELECT state FROM instances")
    _use(engine, new)
    result = data_keys.reencrypt_all(engine.db)
    assert result.rewritten["instances.state"] >= 1 and result.rewritten["events.payload"] >= 1
    raw = _raw(engine, "SELECT state FROM instances") + _raw(engine, "SELECT payload FROM events")
    assert '"k1.' not in raw and '"k2.' in raw and SECRET not in raw
    assert data_keys.key_usage(engine.db)["k1"] == 0
    # The old key can go: everything reads with k2 alone, and verify proves the case.
    _use(engine, field_crypto.KeyRing("k2", {"k2": new.keys["k2"]}))
    assert engine.verify(case.id).ok
    assert data_keys.reencrypt_all(engine.db).rewritten.total() == 0  # nothing left to do


def test_a_value_written_before_the_field_was_listed_is_encrypted_by_reencrypt(engine, case, two_keys):
    fields = field_crypto.cipher_of(engine.db).fields
    _use(engine, fields=frozenset())  # as before this feature: plaintext in the database
    _complete_with_health_data(engine, case)
    assert SECRET in _raw(engine, "SELECT state FROM instances")
    _use(engine, fields=fields)
    assert data_keys.key_usage(engine.db)["plaintext"] >= 2
    data_keys.reencrypt_all(engine.db)
    raw = _raw(engine, "SELECT state FROM instances") + _raw(engine, "SELECT payload FROM events")
    assert SECRET not in raw
    assert engine.verify(case.id).ok


MEDICAL = b"%PDF-1.4\n% UWV advies: beperkingen door hernia, belastbaar 20 uur\n%%EOF\n"


def test_an_uploaded_document_is_stored_encrypted_and_downloads_unchanged(signed_in, engine, case, two_keys):
    from processes import documents

    doc = documents.Documents(engine).upload(case.id, "uwv_advies", "advies.pdf", MEDICAL, "cm")
    with engine.db.connect() as conn:
        raw = bytes(conn.execute(text("SELECT content FROM documents")).scalar_one())
    assert b"hernia" not in raw and b"%PDF" not in raw and raw.startswith(field_crypto.BLOB_MAGIC + b"k1")
    _, content = documents.Documents(engine).download(doc.id)
    assert content == MEDICAL  # and its SHA-256, checked on every download, still matches
    old, new = two_keys
    _use(engine, new)
    assert data_keys.reencrypt_all(engine.db).rewritten["documents.content"] == 1
    with engine.db.connect() as conn:
        raw = bytes(conn.execute(text("SELECT content FROM documents")).scalar_one())
    assert raw.startswith(field_crypto.BLOB_MAGIC + b"k2")
    assert documents.Documents(engine).download(doc.id)[1] == MEDICAL
    assert engine.verify(case.id).ok


NOTE = "Vertelde over een burn-out; wil eerst naar de huisarts."


def test_a_case_note_is_stored_encrypted_and_reads_back_as_typed(signed_in, engine, case, two_keys):
    """Free text holds what a form has no field for, health included: a note is encrypted whole."""
    client = signed_in("cm")
    client_id = _client_id(engine)
    client.post(f"/dossier/{client_id}/notities", data={
        "csrf_token": csrf_token(client, f"/dossier/{client_id}"), "case_id": case.id, "tekst": NOTE})
    raw = _raw(engine, "SELECT text FROM case_notes")
    assert "burn-out" not in raw and raw.startswith('{"$trede-enc":"k1.')
    assert NOTE in client.get(f"/dossier/{client_id}").get_data(as_text=True)
    old, new = two_keys
    _use(engine, new)
    assert data_keys.reencrypt_all(engine.db).rewritten["case_notes.text"] == 1
    assert _raw(engine, "SELECT text FROM case_notes").startswith('{"$trede-enc":"k2.')
    assert NOTE in client.get(f"/dossier/{client_id}").get_data(as_text=True)


def test_a_note_written_before_notes_were_encrypted_reads_and_is_encrypted_by_reencrypt(engine, case):
    with engine.db.begin() as conn:  # as stored by an earlier release: plaintext
        conn.execute(text("INSERT INTO case_notes (case_id, author, text, created_at) "
                          "VALUES (:c, 'cm', :t, CURRENT_TIMESTAMP)"), {"c": case.id, "t": NOTE})
    assert data_keys.key_usage(engine.db)["plaintext"] >= 1
    assert data_keys.reencrypt_all(engine.db).rewritten["case_notes.text"] == 1
    assert "burn-out" not in _raw(engine, "SELECT text FROM case_notes")
    with engine.db.connect() as conn:
        assert conn.execute(case_notes.select()).mappings().one()["text"] == NOTE


def test_notes_are_for_the_roles_that_may_read_health_data(signed_in, engine, case):
    """A note can hold health data (AVG art. 9): the financiële administratie sees that there are
    notes, not what they say, and does not write them."""
    cm = signed_in("cm")
    client_id = _client_id(engine)
    cm.post(f"/dossier/{client_id}/notities", data={
        "csrf_token": csrf_token(cm, f"/dossier/{client_id}"), "case_id": case.id, "tekst": NOTE})
    fin = signed_in("fin")
    page = fin.get(f"/dossier/{client_id}").get_data(as_text=True)
    assert "burn-out" not in page and "1 notitie is afgeschermd" in page
    assert "Notitie toevoegen" not in page
    assert fin.post(f"/dossier/{client_id}/notities", data={
        "csrf_token": csrf_token(fin, f"/dossier/{client_id}"), "case_id": case.id,
        "tekst": "x"}).status_code == 403
    assert NOTE in signed_in("lead").get(f"/dossier/{client_id}").get_data(as_text=True)


def test_verify_with_another_key_names_the_field_and_the_table_instead_of_stopping(engine, case, two_keys):
    """An auditor running `trede verify --all` on a copy without the installation's data key (or after
    a ciphertext was edited) gets each case named, in Dutch; `verify --all` used to stop on the first
    case with a traceback (DataKeyError)."""
    _complete_with_health_data(engine, case)
    _use(engine, field_crypto.KeyRing("k1", {"k1": bytes(range(64, 96))}))  # same name, other key
    (verdict,) = engine.verify_many([case.id])
    assert not verdict.ok and verdict.case_number == case.case_number
    (problem,) = verdict.problems
    assert "versleuteld veld 'lichamelijkeSituatie'" in problem and "(tabel events)" in problem
    assert "andere sleutel dan die van deze installatie" in problem and "Error" not in problem
