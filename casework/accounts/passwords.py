"""Password policy, applied wherever a password is set (``create_user``; any future reset page).

Length over complexity rules (NIST SP 800-63B, BIO 9.4.3): at least 12 characters, not the
username, not one of the passwords every attacker tries first.
"""
from __future__ import annotations

MIN_LENGTH = 12

# A small deny list: the most common passwords of at least 12 characters and the obvious local
# ones. A longer list (a breached-password corpus) can replace this without changing callers.
COMMON_PASSWORDS = frozenset({
    "123456789012", "1234567890123", "12345678910", "qwertyuiopas", "qwerty123456", "password1234",
    "password12345", "passwordpassword", "wachtwoord12", "wachtwoord123", "wachtwoord1234",
    "welkom123456", "welkomwelkom", "geheimgeheim", "administrator", "iloveyou1234",
    "aaaaaaaaaaaa", "abcdefghijkl", "abc123456789", "gemeente1234", "gemeente12345",
    "zomer2026!!!", "winter2026!!", "voorjaar2026", "trede1234567", "letmein12345",
})


def password_problem(password: str, username: str = "") -> str | None:
    """A Dutch explanation of what is wrong with ``password``, or None when it may be used."""
    if len(password) < MIN_LENGTH:
        return f"het wachtwoord moet minstens {MIN_LENGTH} tekens lang zijn"
    lowered = password.strip().lower()
    if username and username.strip().lower() in lowered:
        return "het wachtwoord mag de gebruikersnaam niet bevatten"
    if lowered in COMMON_PASSWORDS or len(set(lowered)) <= 2:
        return "dit wachtwoord is te voorspelbaar; kies een langere zin of een willekeurig wachtwoord"
    return None
