"""The one rule for cells of every sheet the store writes: text a spreadsheet would run as a
formula is quoted, numbers stay numbers, and the catalogue import takes the quote off again."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from store_api.core.sheet_cells import csv_bytes, neutralised, restored, xlsx_bytes

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1",
           "-折叠伞", "'=1+1", "''@x"]
PLAIN = ["折叠伞", "Folding umbrella", "12.50", "A-1-3", "'quoted", "a=b", " =1", ""]
NUMBERS = [-1500, 0, 7, Decimal("-12.50"), -0.5, True, None, date(2026, 11, 30)]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_starts_like_a_formula_is_quoted_and_restored(text):
    assert neutralised(text) == "'" + text
    assert restored(neutralised(text)) == text


@pytest.mark.parametrize("text", PLAIN)
def test_other_text_is_written_and_read_as_it_is(text):
    assert neutralised(text) == text
    assert restored(text) == text


@pytest.mark.parametrize("value", NUMBERS)
def test_numbers_dates_and_blanks_are_not_text_and_stay_as_they_are(value):
    assert neutralised(value) is value


def test_a_csv_reads_back_with_every_formula_quoted_and_numbers_bare():
    data = csv_bytes([["name", "amount"], *([text, -1500] for text in HOSTILE)])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[1:] == [["'" + text, "-1500"] for text in HOSTILE]


def test_an_xlsx_holds_no_formula_and_keeps_numbers_as_numbers():
    # XML reads a carriage return back as a line feed, whatever the cell.
    texts = [text for text in HOSTILE if "\r" not in text]
    data = xlsx_bytes("t", [["name", "amount"], *([text, Decimal("-12.50")] for text in texts)])
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    cells = list(sheet.iter_rows(min_row=2))
    assert [row[0].value for row in cells] == ["'" + text for text in texts]
    assert {row[0].data_type for row in cells} == {"s"}
    assert {(row[1].value, row[1].data_type) for row in cells} == {(-12.5, "n")}
