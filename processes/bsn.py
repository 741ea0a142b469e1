"""The BSN elfproef: the one check every place that takes a burgerservicenummer uses.

Contract (shared/contracts/decisions.md, "BSN"): 8 digits get a leading zero; weights 9..2 and -1;
the weighted sum must be divisible by 11 and above 0 (which rejects 000000000).
"""

from __future__ import annotations

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def normalize_bsn(value: str) -> str:
    """Strip surrounding whitespace and give an 8-digit number its leading zero."""
    text = str(value).strip()
    if len(text) == 8 and text.isdigit():
        return "0" + text
    return text


def check_bsn(value: str) -> str | None:
    """None when ``value`` is a valid BSN, else the reason it is not (in plain words)."""
    text = normalize_bsn(value)
    if not text:
        return "empty"
    # isdigit() accepts other scripts' digits (e.g. Arabic-Indic); a BSN is ASCII only.
    if not (text.isascii() and text.isdigit()):
        return "not only digits"
    if len(text) != 9:
        return f"{len(text)} digits, expected 8 or 9"
    total = sum(weight * int(digit) for weight, digit in zip(_WEIGHTS, text, strict=True))
    if total <= 0:
        return "weighted sum is 0"
    if total % 11:
        return f"fails the elfproef (weighted sum {total} is not divisible by 11)"
    return None


def is_valid_bsn(value: str) -> bool:
    """True when ``value`` passes the elfproef (after adding a leading zero to 8 digits)."""
    return check_bsn(value) is None
