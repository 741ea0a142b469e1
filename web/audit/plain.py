"""Task data as plain JSON values (dates as ISO text, amounts as text) for pages and exports."""
from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from web.audit.history import is_missing


def plain(value: Any) -> Any:
    if is_missing(value):
        return None
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)  # exact: a float would round an amount
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def show(value: Any) -> str:
    """A value as one short line of text for a table cell."""
    if is_missing(value):
        return "—"
    value = plain(value)
    if value is None:
        return "leeg"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
