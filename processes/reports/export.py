"""CSV and XLSX downloads of a report: the same tables, cell for cell, as the page shows."""
from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

_PERCENT = re.compile(r"^(\d{1,3})%$")
_EURO = re.compile(r"^-?\d+\.\d{2}$")


def to_csv(report: dict[str, Any]) -> str:
    """Semicolon separated (what Dutch spreadsheet settings open without a wizard), one block per
    table with its title, a blank line between."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([report["titel"], report["gemeente"], f"{report['begin']} t/m {report['einde']}"])
    for section in report["sections"]:
        writer.writerow([])
        writer.writerow([section["title"]])
        writer.writerow(section["columns"])
        for row in section["rows"]:
            writer.writerow(["" if v is None else _safe(v) for v in row])
    return out.getvalue()


def _safe(value: Any) -> Any:
    """No cell starts a spreadsheet formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") and not _EURO.match(value):
        return "'" + value
    return value


def xlsx_value(value: Any) -> tuple[Any, str | None]:
    """A cell as a spreadsheet number where it is one: 18% as 0.18 shown as a percentage, an
    amount as a Decimal with two decimals; counts stay integers, labels text."""
    if isinstance(value, str):
        if match := _PERCENT.match(value):
            return Decimal(match[1]) / 100, "0%"
        if _EURO.match(value):
            return Decimal(value), "#,##0.00"
    return value, None


def to_xlsx(report: dict[str, Any]) -> bytes:
    """One sheet per table (named by the table's key), title in A1, header in row 2."""
    from openpyxl import Workbook  # imported here: only the download needs it
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for section in report["sections"]:
        sheet = book.create_sheet(section["key"][:31])
        sheet.append([section["title"]])
        sheet["A1"].font = Font(bold=True)
        sheet.append(section["columns"])
        for row in section["rows"]:
            cells = [xlsx_value(v) for v in row]
            sheet.append([v for v, _ in cells])
            for column, (_, fmt) in enumerate(cells, start=1):
                if fmt:
                    sheet.cell(row=sheet.max_row, column=column).number_format = fmt
        sheet.column_dimensions["A"].width = 46
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
