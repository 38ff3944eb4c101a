"""A buyer's or factory's text in a factory's documents stays text: in the PDFs markup, links
and image tags print as typed, never as reportlab's markup; in the CSV statement a name that
looks like a formula is quoted, and amounts stay numbers."""

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from store_api.fulfilment.consignment import ReturnLine, Statement, StatementLine, period
from store_api.fulfilment.documents import pick_list_pdf, statement_csv, statement_pdf
from tests.support.services import unavailable

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "-1+1", "@SUM(A1)"]
HOSTILE = ["<b>", '<a href="http://evil.example/">点我</a>', '<img src="/etc/passwd"/>',
           "A & B <br/> 5 < 6"]


@pytest.fixture
def text_of():
    if not FONT.exists() or shutil.which("pdftotext") is None:
        unavailable("the CJK font or pdftotext is missing (fonts-wqy-zenhei, poppler-utils)")

    def text_of(pdf: bytes) -> str:
        return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                              check=True).stdout.decode()

    return text_of


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("hostile", HOSTILE)
def test_the_pick_list_prints_recipient_and_address_as_typed(text_of, hostile):
    forward = {"order": "7NBTRBW91A", "id": "msg_1", "dispatch_by": "2026-12-04 10:00",
               "ship_to": {"name": hostile, "phone": "13900000000", "address": hostile},
               "lines": [{"sku": "CUP-1", "name_zh": hostile, "name_en": "cup",
                          "quantity": 6, "shipped": 0}]}
    text = squeezed(text_of(pick_list_pdf(hostile, [forward], "2026-12-02", FONT)))
    assert squeezed(hostile) in text
    assert text.count(squeezed(hostile)) >= 3  # title, recipient, address and the line name


@pytest.mark.parametrize("hostile", HOSTILE)
def test_the_statement_prints_names_as_typed(text_of, hostile):
    statement = Statement(period("2026-11-01", "2026-11-30", "Asia/Shanghai"), "F1", hostile,
                          [StatementLine("CUP-1", hostile, 3, 1000)], [])
    text = squeezed(text_of(statement_pdf(statement, FONT)))
    assert text.count(squeezed(hostile)) == 2 and "￥30.00" in text


def test_the_statement_csv_quotes_names_that_look_like_formulas_and_keeps_amounts_numbers():
    # Net units go below nought when buyers brought back more than they bought this month.
    lines = [StatementLine(text, text, units, 1000) for text, units in zip(FORMULAS, (3, -2, 1, 1),
                                                                         strict=True)]
    returns = [ReturnLine(text, text, 2, 800) for text in FORMULAS]
    statement = Statement(period("2026-11-01", "2026-11-30", "Asia/Shanghai"), "F1", "厂",
                          lines + [StatementLine("CUP-9", "杯", -7, 1000)], returns)
    rows = list(csv.reader(io.StringIO(statement_csv(statement).decode("utf-8-sig"),
                                       newline="")))
    quoted = ["'" + text for text in FORMULAS]
    assert [row[1:3] for row in rows if row[0] == "sale"][:4] == [[q, q] for q in quoted]
    assert [row[1:3] for row in rows if row[0] == "return"] == [[q, q] for q in quoted]
    assert rows[2][3:] == ["-2", "1000", "-2000"]
    assert rows[5][3:] == ["-7", "1000", "-7000"]
    assert rows[-1] == ["total_owed", "", "", "", "", "-4000"]
