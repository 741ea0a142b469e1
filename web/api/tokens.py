"""API tokens: the rules are casework's (``casework/accounts/api_tokens.py``); named here too for
the API's callers and the tests that issue tokens."""
from __future__ import annotations

from casework.accounts.api_tokens import SCOPES, Principal, Refused, authenticate, issue, revoke

__all__ = ["SCOPES", "Principal", "Refused", "authenticate", "issue", "revoke"]
