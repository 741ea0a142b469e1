"""The worklist's search text in a URL without the text: sealed, so filters survive Back and a bookmark.

A search can hold a BSN or a name, which must never appear in a URL, an access log or the browser
history. The search form is POSTed; the answer redirects to a GET whose ``zoek`` parameter is the
text sealed with AES-GCM under a key derived from the app's secret key, bound to the signed-in user
(additional data): the URL can be bookmarked and reloaded, but says nothing to whoever reads it and
opens nothing for another user. A fresh nonce per search, so the same BSN never gives the same token.
"""
from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAX_SEARCH = 200  # characters: a name, a case number or a BSN; longer is not a search


def _key(secret: str | bytes) -> AESGCM:
    raw = secret.encode() if isinstance(secret, str) else secret
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=b"trede worklist search v1").derive(raw)
    return AESGCM(derived)


def seal(secret: str | bytes, username: str, text: str) -> str:
    nonce = os.urandom(12)
    sealed = _key(secret).encrypt(nonce, text[:MAX_SEARCH].encode(), username.encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")


def unseal(secret: str | bytes, username: str, token: str) -> str | None:
    """The search text, or None for a token that is not this user's or was altered."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        return _key(secret).decrypt(raw[:12], raw[12:], username.encode()).decode()
    except (ValueError, InvalidTag):
        return None
