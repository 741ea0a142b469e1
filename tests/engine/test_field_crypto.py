"""engine.storage.field_crypto: named JSON fields encrypted with AES-GCM, exact plaintext round trip."""
from __future__ import annotations

import json

import pytest

from engine.storage.field_crypto import MARKER, DataKeyError, FieldCipher, KeyRing, parse_env_keys

RING = KeyRing("a", {"a": b"\x01" * 32})
TEXT = json.dumps({"tasks": {"t1": {"data": {"diagnose": "hernia", "uren": 20, "n": [1.5, None]}},
                             "t2": {"data": {"diagnose": {"nested": ["x", 2]}, "note": "é"}}}},
                  separators=(",", ":"))


def test_fields_are_encrypted_at_any_depth_and_come_back_byte_for_byte():
    cipher = FieldCipher({"diagnose"}, RING)
    stored = cipher.protect_text(TEXT)
    assert "hernia" not in stored and "nested" not in stored and stored.count(MARKER) == 2
    assert '"uren":20' in stored  # other fields untouched
    assert cipher.reveal_text(stored) == TEXT
    assert cipher.protect_text(TEXT) != stored  # a fresh nonce every write


def test_text_without_the_fields_is_left_alone():
    cipher = FieldCipher({"diagnose"}, RING)
    plain = '{"uren":20}'
    assert cipher.protect_text(plain) is plain and cipher.reveal_text(plain) is plain


def test_an_altered_or_moved_ciphertext_is_refused_with_a_clear_error():
    cipher = FieldCipher({"diagnose", "advies"}, RING)
    stored = json.loads(cipher.protect_text('{"diagnose":"hernia"}'))
    body = stored["diagnose"][MARKER]
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(DataKeyError, match="diagnose"):
        cipher.reveal_text(json.dumps({"diagnose": {MARKER: flipped}}))
    with pytest.raises(DataKeyError, match="advies"):  # the field name is bound to the ciphertext
        cipher.reveal_text(json.dumps({"advies": stored["diagnose"]}))


def test_a_missing_key_is_named():
    stored = FieldCipher({"diagnose"}, RING).protect_text('{"diagnose":"x"}')
    other = FieldCipher({"diagnose"}, KeyRing("b", {"b": b"\x02" * 32}))
    with pytest.raises(DataKeyError, match="'a'"):
        other.reveal_text(stored)


def test_keys_from_the_environment_form():
    ring = parse_env_keys("k2:" + "22" * 32 + ",k1:" + "11" * 32)
    assert ring.current == "k2" and set(ring.keys) == {"k1", "k2"}
    with pytest.raises(ValueError):
        parse_env_keys("k1:abcd")


def test_raw_driver_writes_can_protect_their_parameters_like_the_column_type_does():
    from engine.storage import field_crypto
    from engine.storage.db import events

    cipher = FieldCipher({"diagnose"}, RING)
    params = field_crypto.protect_params(events, {"payload": '{"diagnose":"hernia"}', "seq": 1}, cipher)
    assert "hernia" not in params["payload"] and params["seq"] == 1
    assert field_crypto.protect_params(events, params, cipher) == params  # already protected: unchanged
    assert cipher.reveal_text(params["payload"]) == '{"diagnose":"hernia"}'


def _first_key(path: str) -> str:
    from pathlib import Path

    from engine.storage import field_crypto
    return field_crypto.KeySource(key_file=Path(path)).load().keys["k1"].hex()


def test_workers_starting_together_agree_on_one_generated_key_file(tmp_path):
    import multiprocessing
    import os
    import stat

    path = tmp_path / "instance" / "data.keys"
    with multiprocessing.get_context("fork").Pool(6) as pool:
        keys = pool.map(_first_key, [str(path)] * 24)
    assert len(set(keys)) == 1 and os.listdir(path.parent) == ["data.keys"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
