"""Names with spaces (``Monthly Salary``, ``date and time``): FEEL allows them, a grammar cannot
tell them from the words around them without knowing which names exist. The names a table can
see are known when it is compiled, so each is swapped for one placeholder token before parsing
(outside string literals), longest first, and swapped back by the compiler."""
from __future__ import annotations

import re
from collections.abc import Iterable

_STRING = re.compile(r'"(?:\\.|[^"\\])*"')
_PLAIN = re.compile(r"[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_'\u00C0-\uFFFF]*")
PREFIX = "__feel_name_"


def protect(text: str, names: Iterable[str]) -> tuple[str, dict[str, str]]:
    """``text`` with every name that is not a plain identifier replaced; placeholder -> name."""
    special = sorted({name for name in names if name and not _PLAIN.fullmatch(name)}, key=len, reverse=True)
    if not special:
        return text, {}
    found: dict[str, str] = {}
    pattern = re.compile("|".join(rf"(?<![\w]){re.escape(name)}(?![\w])" for name in special))

    def swap(match: re.Match[str]) -> str:
        placeholder = f"{PREFIX}{special.index(match.group(0))}__"
        found[placeholder] = match.group(0)
        return placeholder

    parts, last = [], 0
    for literal in _STRING.finditer(text):
        parts.append(pattern.sub(swap, text[last:literal.start()]))
        parts.append(literal.group(0))
        last = literal.end()
    parts.append(pattern.sub(swap, text[last:]))
    return "".join(parts), found
