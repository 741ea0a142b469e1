"""How client data is shown: masked BSN and Dutch dates (registered as template filters)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from casework.roles import gemeente_name
from processes import ledger

LOCAL = ZoneInfo("Europe/Amsterdam")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")


def mask_bsn(bsn: str | None) -> str:
    """Only the last four digits: enough to tell two clients apart on a list, not to identify one."""
    if not bsn:
        return ""
    return "*****" + str(bsn)[-4:]


def datum(value: date | datetime | str | None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL).date()
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def datumtijd(value: datetime | None) -> str:
    if value is None:
        return "—"
    local = value.astimezone(LOCAL)
    return f"{datum(local)} {local:%H:%M}"


def days_left(deadline: date | datetime | None, today: date) -> int | None:
    if deadline is None:
        return None
    if isinstance(deadline, datetime):
        deadline = deadline.astimezone(LOCAL).date()
    return (deadline - today).days


def waarde(value: Any) -> str:
    """A value from a decision's in- or output as a reader says it: ja/nee, no value as a dash."""
    if value is True:
        return "ja"
    if value is False:
        return "nee"
    if value is None or value == "":
        return "—"
    if isinstance(value, date):
        return datum(value)
    return str(value)


def regel(value: Any) -> str:
    """The rule that fired: its description and id (a decision table's annotation), or the text."""
    if isinstance(value, dict):
        text, rule_id = value.get("omschrijving"), value.get("id")
        return f"{text} ({rule_id})" if text and rule_id else str(text or rule_id or "—")
    return waarde(value)


def euro(amount: Any) -> str:
    """An amount the Dutch way: € 1.935,50."""
    return "—" if amount is None else ledger.euro(Decimal(str(amount)))


def uren(value: float) -> str:
    """Hours the Dutch way: 24, 12,5."""
    return f"{value:g}".replace(".", ",")


FILTERS = {"bsn_masker": mask_bsn, "datum": datum, "datumtijd": datumtijd, "gemeente_naam": gemeente_name,
           "waarde": waarde, "regel": regel, "euro": euro, "uren": uren}
