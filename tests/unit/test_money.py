"""Amounts are written one way, by shelf_labels.money.yuan: ￥ (U+FFE5), thousands, two decimals."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from shelf_labels.money import yuan

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "store_api" / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"


@pytest.mark.parametrize("fen, shown", [
    (0, "￥0.00"), (5, "￥0.05"), (1250, "￥12.50"), (100_000, "￥1,000.00"),
    (1_199_452_520, "￥11,994,525.20"), (-150, "-￥1.50"), (-10_000, "-￥100.00"), (None, ""),
])
def test_yuan_writes_fen_as_people_read_them(fen, shown):
    assert yuan(fen) == shown


# A currency sign written beside a number or a placeholder: an amount formatted by hand.
SIGN_BY_AMOUNT = re.compile(r"[￥¥]\s*(?:%\(|\{|\$\{|\d)")
# Fen turned into yuan by hand (form values and CSV cells use catalogue.rules.format_money).
FEN_BY_HAND = re.compile(r"_fen\s*//?\s*100\b|/ 100:\.2f")


# The browser's one formatter, in the same form, for the scan page's bar whose price follows
# its stepper between two requests.
BROWSER_FORMATTER = {"static/js/money.js"}


def _sources():
    money = ROOT / "shelf_labels" / "money.py"
    for folder in ("store_api", "kiosk", "shelf_labels", "static"):
        for path in (ROOT / folder).rglob("*"):
            if (path.suffix in (".py", ".html", ".js") and path != money
                    and str(path.relative_to(ROOT)) not in BROWSER_FORMATTER):
                yield path


def test_no_amount_is_formatted_anywhere_but_by_yuan():
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
             for path in _sources()
             for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
             if SIGN_BY_AMOUNT.search(line) or FEN_BY_HAND.search(line)]
    assert found == []
    for name in BROWSER_FORMATTER:  # an exemption is only for what still needs it
        assert SIGN_BY_AMOUNT.search((ROOT / name).read_text("utf-8")), name


def test_no_message_writes_its_own_currency_sign():
    with CATALOG.open("rb") as f:
        messages = [m for m in read_po(f) if m.id]
    found = [m.id for m in messages
             for text in (m.id, m.string) if isinstance(text, str) and SIGN_BY_AMOUNT.search(text)]
    assert found == []
