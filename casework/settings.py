"""Every TREDE_* environment variable, read once into one frozen ``Settings``.

The web app (``create_app``), the CLI and gunicorn's hooks build it once and pass the values down;
nothing below reads the environment (``tests/test_settings_reads.py`` checks the engine). A bad
value is one clear line naming the variable (``SettingsError``), never a traceback.

Nothing here touches a file: key files are named, and read or created by the engine on first use.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from engine.audit.processing_log import DEFAULT_REGISTER_BASE, Pseudonymizer, load_pseudonymizer
from engine.audit.seal import Sealer, load_sealer
from engine.storage.field_crypto import KeyRing, KeySource, parse_env_keys

DEVELOPMENT, PRODUCTION = "development", "production"
DEV_SECRET_KEY = "dev-only-change-me"
_TRUE, _FALSE = {"1", "true", "yes", "ja", "on"}, {"0", "false", "no", "nee", "off"}


class SettingsError(ValueError):
    """A setting is missing or malformed; the message is one line for the person starting trede."""


@dataclass(frozen=True)
class Settings:
    environment: str | None = None  # TREDE_ENV: "development", "production"; unset counts as production
    database_url: str | None = None  # None: the engine's default, SQLite at instance/trede.db
    secret_key: str | None = None
    session_cookie_secure: bool = True
    session_idle_minutes: int = 30
    # Re-authentication after 12 hours even while in use (OWASP ASVS 4.0.3 V3.3.2, level 2).
    session_max_hours: int = 12
    api_token_days: int = 90  # default lifetime of an API token (`trede token create --days`)
    # Largest stored workflow state of one process instance; a step that would store more is
    # refused and the case stays as it was (issue 17, finding 10). 0: no cap.
    max_state_kb: int = 2048
    seal_key: bytes | None = None
    seal_key_file: Path = Path("instance") / "seal.key"
    pseudonym_key: bytes | None = None
    pseudonym_key_file: Path = Path("instance") / "pseudonym.key"
    data_keys: KeyRing | None = None
    data_key_file: Path = Path("instance") / "data.keys"
    register_base: str = DEFAULT_REGISTER_BASE
    process_memory_mb: int = 2048
    oidc_config: Path | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ,
                     instance_dir: Path = Path("instance")) -> Settings:
        """The settings named by ``environ``; key files default to ``instance_dir``."""
        env = _Reader(environ)
        instance_dir = Path(instance_dir)
        return cls(
            environment=env.choice("TREDE_ENV", (DEVELOPMENT, PRODUCTION)),
            database_url=env.text("TREDE_DATABASE_URL"),
            secret_key=env.text("TREDE_SECRET_KEY"),
            session_cookie_secure=env.flag("TREDE_SESSION_COOKIE_SECURE", True),
            session_idle_minutes=env.number("TREDE_SESSION_IDLE_MINUTES", 30, minimum=1),
            session_max_hours=env.number("TREDE_SESSION_MAX_HOURS", 12, minimum=1),
            api_token_days=env.number("TREDE_API_TOKEN_DAYS", 90, minimum=1),
            max_state_kb=env.number("TREDE_MAX_STATE_KB", 2048, minimum=0),
            seal_key=env.hex_key("TREDE_SEAL_KEY"),
            seal_key_file=env.path("TREDE_SEAL_KEY_FILE", instance_dir / "seal.key"),
            pseudonym_key=env.hex_key("TREDE_PSEUDONYM_KEY"),
            pseudonym_key_file=env.path("TREDE_PSEUDONYM_KEY_FILE", instance_dir / "pseudonym.key"),
            data_keys=env.key_ring("TREDE_DATA_KEY"),
            data_key_file=env.path("TREDE_DATA_KEY_FILE", instance_dir / "data.keys"),
            register_base=env.text("TREDE_REGISTER_BASE") or DEFAULT_REGISTER_BASE,
            process_memory_mb=env.number("TREDE_PROCESS_MEMORY_MB", 2048, minimum=0),
            oidc_config=env.optional_path("TREDE_OIDC_CONFIG"),
        )

    @property
    def development(self) -> bool:
        return self.environment == DEVELOPMENT

    def web_secret_key(self) -> str:
        """The session key; outside development trede refuses to run without TREDE_SECRET_KEY."""
        if self.secret_key:
            return self.secret_key
        if self.development:
            return DEV_SECRET_KEY
        raise SettingsError(
            "TREDE_SECRET_KEY ontbreekt: zet een geheime sessiesleutel (buiten de ontwikkelomgeving "
            "verplicht; TREDE_ENV=development alleen voor lokaal gebruik)")

    def sealer(self) -> Sealer:
        return Sealer(self.seal_key) if self.seal_key else load_sealer(self.seal_key_file)

    def pseudonymizer(self) -> Pseudonymizer:
        return Pseudonymizer(self.pseudonym_key) if self.pseudonym_key else load_pseudonymizer(
            self.pseudonym_key_file)

    def data_key_source(self) -> KeySource:
        return KeySource(self.data_keys, self.data_key_file)


class _Reader:
    """Typed reads of one environment; each failure names its variable and what it must look like."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ

    def text(self, name: str) -> str | None:
        value = self.environ.get(name, "").strip()
        return value or None

    def path(self, name: str, default: Path) -> Path:
        value = self.text(name)
        return Path(value) if value else default

    def optional_path(self, name: str) -> Path | None:
        value = self.text(name)
        return Path(value) if value else None

    def choice(self, name: str, allowed: tuple[str, ...]) -> str | None:
        value = self.text(name)
        if value is not None and value.lower() not in allowed:
            raise SettingsError(f"{name} moet {' of '.join(allowed)} zijn, niet {value!r}")
        return value.lower() if value else None

    def flag(self, name: str, default: bool) -> bool:
        value = self.text(name)
        if value is None:
            return default
        if value.lower() in _TRUE | _FALSE:
            return value.lower() in _TRUE
        raise SettingsError(f"{name} moet 1 (aan) of 0 (uit) zijn, niet {value!r}")

    def number(self, name: str, default: int, minimum: int) -> int:
        value = self.text(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            number = minimum - 1
        if number < minimum:
            raise SettingsError(f"{name} moet een geheel getal van minstens {minimum} zijn, niet {value!r}")
        return number

    def hex_key(self, name: str) -> bytes | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            key = bytes.fromhex(value)
        except ValueError:
            key = b""
        if len(key) < 16:
            raise SettingsError(f"{name} moet een hexadecimale sleutel van minstens 16 bytes "
                                "(32 hextekens) zijn")
        return key

    def key_ring(self, name: str) -> KeyRing | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return parse_env_keys(value)
        except ValueError:
            raise SettingsError(f"{name} moet de vorm 'id:hex64[,id:hex64...]' hebben "
                                "(een sleutel is 32 bytes, 64 hextekens)") from None
