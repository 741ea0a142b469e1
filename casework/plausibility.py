"""Data quality at the door: the formats and date rules a form JSON declares on its fields.

Declared per field in the form JSON, checked by ``casework.forms.validate_submission`` for the task
page and the REST API alike, each message in Dutch and naming the field:

- ``"format": "kvk"``: a KvK-nummer has 8 digits (Handelsregisterwet 2007 art. 12 and the
  Handelsregisterbesluit 2008: the registration number the Kamer van Koophandel gives).
- ``"format": "iban"``: the ISO 13616 structure of the country and the ISO 7064 mod-97 check, as the
  ``schwifty`` library implements them; stored compact in capitals.
- ``"format": "postcode"``: a Dutch postcode, four digits (not starting with 0) and two letters, not
  SA, SD or SS (PostNL's postcode system, as the BAG stores it); stored as "1234 AB".
- ``"x-niet-in-toekomst": true``: a date that records something that happened (a signature, a
  receipt, a measurement) cannot lie after today (Amsterdam date).
- ``"x-niet-in-verleden": true``: a date that plans something cannot lie before today.
- ``"x-niet-voor": "<field>"``: this date lies on or after the other field's date (an einddatum
  before its startdatum makes the end timer fire at once: seed 002 [AMB-14], issue 18 item 3).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

Errors = dict[str, str]
_POSTCODE = re.compile(r"([1-9]\d{3}) ?([A-Z]{2})")
_POSTCODE_NOT_ISSUED = {"SA", "SD", "SS"}


def check_format(kind: str, text: str) -> tuple[Any, str | None] | None:
    """The value of a text field in a declared format, or a message; None for another format."""
    if kind == "kvk":
        compact = re.sub(r"[\s.]", "", text)
        if not re.fullmatch(r"\d{8}", compact):
            return None, "een KvK-nummer heeft 8 cijfers, bijvoorbeeld 12345678."
        return compact, None
    if kind == "iban":
        return _iban(text)
    if kind == "postcode":
        match = _POSTCODE.fullmatch(text.upper())
        if not match or match[2] in _POSTCODE_NOT_ISSUED:
            return None, "vul een postcode in van 4 cijfers en 2 letters, bijvoorbeeld 1234 AB."
        return f"{match[1]} {match[2]}", None
    return None


def _iban(text: str) -> tuple[str | None, str | None]:
    from schwifty import IBAN  # imported on first use: its registry is large, most forms have no IBAN
    from schwifty.exceptions import SchwiftyException

    try:
        return IBAN(text).compact, None
    except SchwiftyException:
        return None, ("dit is geen geldig IBAN; controleer het nummer (bijvoorbeeld "
                      "NL91 ABNA 0417 1643 00).")


def date_errors(schema: Mapping[str, Any], data: Mapping[str, Any], today: date) -> Errors:
    """The declared date rules, on the converted answers (fields that already failed are skipped)."""
    props = schema.get("properties") or {}
    found: Errors = {}
    for name, prop in props.items():
        value = data.get(name)
        if not isinstance(value, date):
            continue
        title = prop.get("title") or name
        if prop.get("x-niet-in-toekomst") and value > today:
            found[name] = f"{title}: deze datum ligt in de toekomst; vul de datum in waarop het gebeurde."
        elif prop.get("x-niet-in-verleden") and value < today:
            found[name] = f"{title}: deze datum ligt in het verleden; kies vandaag of een latere datum."
        elif (other := prop.get("x-niet-voor")) and isinstance(data.get(other), date) and value < data[other]:
            other_title = ((props.get(other) or {}).get("title") or other).split(" (")[0].lower()
            found[name] = (f"{title}: deze datum ligt vóór de {other_title} "
                           f"({data[other].strftime('%d-%m-%Y')}); kies een datum op of na die dag.")
    return found
