"""BSNs never in logs, whatever writes the line.

Our own code logs case numbers and ids, never a BSN. But text we do not write reaches the logs
too: a database error's detail (PostgreSQL's ``Key (gemeente, bsn)=(…, 999990019) already exists``),
a library's exception message, a traceback's repr of a value. Filtering at the handler would miss
handlers we do not install (gunicorn's, Flask's, pytest's), so the redaction sits where every log
record is made: the process's log record factory. It masks each stand-alone run of nine digits that
passes the elfproef; other numbers (ids, KvK numbers of eight digits, amounts) stay readable.
"""
from __future__ import annotations

import logging
import re
from typing import Any

from processes.bsn import is_valid_bsn

MASK = "[bsn]"
_NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")
_FORMATTER = logging.Formatter()


def redact(text: str) -> str:
    """``text`` with every elfproef-valid nine-digit number replaced by ``[bsn]``."""
    return _NINE_DIGITS.sub(lambda m: MASK if is_valid_bsn(m.group()) else m.group(), text)


def install() -> None:
    """Make every log record of this process redacted (idempotent: a second call does nothing)."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "redacts_bsn", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _redact_record(record)
        return record

    factory.redacts_bsn = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


def _redact_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a malformed call must still be logged, as logging would
        message = str(record.msg)
    record.msg, record.args = redact(message), ()
    if record.exc_info and record.exc_info[0] is not None:
        # The formatter uses exc_text when it is set: the traceback is written from this text only.
        record.exc_text = redact(_FORMATTER.formatException(record.exc_info))
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
