"""casework/settings.py: every TREDE_* variable read once, a bad value one clear line, and the
web app refusing to start outside development without a secret key."""
from __future__ import annotations

from pathlib import Path

import pytest

from casework.settings import Settings, SettingsError


def test_defaults_and_good_values(tmp_path):
    assert Settings.from_environ({}, instance_dir=tmp_path).seal_key_file == tmp_path / "seal.key"
    s = Settings.from_environ({"TREDE_ENV": "development", "TREDE_SESSION_COOKIE_SECURE": "0",
                               "TREDE_SESSION_IDLE_MINUTES": "15", "TREDE_SEAL_KEY": "ab" * 16,
                               "TREDE_DATA_KEY": "k2:" + "22" * 32, "TREDE_PROCESS_MEMORY_MB": "0",
                               "TREDE_OIDC_CONFIG": "/etc/trede/oidc.json"})
    assert s.development and not s.session_cookie_secure and s.session_idle_minutes == 15
    assert s.seal_key == b"\xab" * 16 and s.data_keys.current == "k2" and s.process_memory_mb == 0
    assert s.oidc_config == Path("/etc/trede/oidc.json")


@pytest.mark.parametrize("name, value", [
    ("TREDE_ENV", "staging"), ("TREDE_SESSION_COOKIE_SECURE", "misschien"),
    ("TREDE_SESSION_IDLE_MINUTES", "0"), ("TREDE_PROCESS_MEMORY_MB", "veel"),
    ("TREDE_SEAL_KEY", "zz"), ("TREDE_PSEUDONYM_KEY", "abcd"), ("TREDE_DATA_KEY", "k1:abcd")])
def test_a_bad_value_is_one_line_naming_the_variable(name, value):
    with pytest.raises(SettingsError) as caught:
        Settings.from_environ({name: value})
    message = str(caught.value)
    assert name in message and "\n" not in message


def test_the_app_refuses_to_start_outside_development_without_a_secret_key(db_url):
    from web.app import create_app

    with pytest.raises(SettingsError, match="TREDE_SECRET_KEY"):
        create_app(settings=Settings(database_url=db_url))
    assert create_app(settings=Settings(environment="development", database_url=db_url)).secret_key
    assert create_app(settings=Settings(database_url=db_url, secret_key="s")).secret_key == "s"
