"""Cells of the sheets the store writes (CSV and XLSX) and reads back.

A spreadsheet takes text that starts with =, +, -, @, a tab or a carriage return for a formula
(OWASP's "CSV injection"): a product, buyer or factory named `=HYPERLINK(...)` would run as one
on the computer that opens the download. Such text is written behind a single quote, which the
catalogue import takes off again, so a sheet exported and imported leaves every name as it was.
Numbers are not text and stay numbers: a negative amount is still an amount.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date, time
from numbers import Number

# Quotes already ahead of a formula's first character are quoted once more, so taking one
# quote off on import always gives back the text exactly as it was.
_FORMULA_LIKE = re.compile(r"'*[=+\-@\t\r]")


def neutralised(value):
    """A cell as a sheet gets it: text that a spreadsheet would run as a formula is quoted."""
    if value is None or isinstance(value, Number | date | time):
        return value
    text = str(value)
    return "'" + text if _FORMULA_LIKE.match(text) else text


def restored(text: str) -> str:
    """An imported cell as it was before `neutralised` quoted it."""
    return text[1:] if text[:1] == "'" and _FORMULA_LIKE.match(text, 1) else text


def csv_bytes(rows: Iterable[Iterable]) -> bytes:
    """Rows as CSV with every cell neutralised, in UTF-8 with a byte order mark (which Excel
    needs to read Chinese)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(
        [neutralised(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(title: str, rows: Iterable[Iterable]) -> bytes:
    """Rows as a workbook of one sheet with every cell neutralised, so none is a formula."""
    from openpyxl import Workbook  # a heavy import, for the few downloads that need it

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for row in rows:
        sheet.append([neutralised(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
