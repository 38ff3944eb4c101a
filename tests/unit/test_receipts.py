"""Receipt bytes for Chinese ESC/POS printers, from plain data."""

import pytest

from shelf_labels.receipts import (
    CHINESE_MODE,
    Receipt,
    ReceiptLine,
    display_width,
    receipt_bytes,
    two_columns,
    wrap,
)
from tests.support.receipts import LONG, RECEIPT, printed_lines


def test_receipt_has_chinese_mode_gb18030_text_native_qr_and_cut():
    data = receipt_bytes(RECEIPT)
    assert data.startswith(b"\x1b@" + CHINESE_MODE)
    for text in ("316不锈钢保温杯", "合计", "￥1,128.00", "现金", "POS-1", "7NBTRBW91A"):
        assert text.encode("gb18030") in data
    qr_store = b"\x1d(k" + (len(RECEIPT.track_url) + 3).to_bytes(2, "little") + b"1P0"
    assert qr_store + RECEIPT.track_url.encode() in data
    assert data.endswith(b"\x1dV\x00")


def test_gbk_printers_get_a_yen_sign_they_can_show():
    data = receipt_bytes(RECEIPT, encoding="gbk")
    assert b"?" not in data and "旅行杯 ￥".encode("gbk") in data


def test_columns_count_chinese_characters_as_two():
    assert display_width("保温杯 ab") == 9
    assert all(display_width(part) <= 10 for part in wrap("三一六不锈钢保温杯五百毫升", 10))
    assert display_width("24 × ￥28.00 ≥") == 16  # ×, ￥ and ≥ print two columns wide too
    assert [display_width(line) for line in two_columns("合计", "￥9.00", 32)] == [32]


def test_a_line_too_long_puts_its_amount_on_a_line_of_its_own():
    assert two_columns("  200 × ￥2.60 (普通 ≥200)", "￥520.00", 32) == [
        "  200 × ￥2.60 (普通 ≥200)", " " * 24 + "￥520.00"]


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
@pytest.mark.parametrize("width", [32, 48])
def test_no_printed_line_is_wider_than_the_paper(width, encoding):
    printed = printed_lines(receipt_bytes(LONG, width=width, encoding=encoding), encoding)
    assert max(columns for _, columns in printed) <= width
    assert max(columns for _, columns in printed) >= width - 2  # the walker does count
    text = "".join(line for line, _ in printed)
    for part in ("316不锈钢真空保温杯", "可定制logo", "￥11,994,525.20", "000123456789",
                 "取货柜 A-17"):
        assert part.replace(" ", "") in text.replace(" ", ""), part


def test_control_characters_in_a_name_never_reach_the_printer_as_commands():
    drawer, cut = b"\x1bp\x00\x19\xfa", b"\x1dV\x00"
    sneaky = Receipt(**{**RECEIPT.__dict__, "lines": [
        ReceiptLine("保温杯\x1bp\x00\x19\xfa\x1dV\x00", 24, 2800, "普通 ≥24")],
        "reference": "POS\x1bp\x00\x19\xfa"})
    data = receipt_bytes(sneaky)
    assert drawer not in data and "保温杯".encode("gb18030") in data
    assert data.count(cut) == receipt_bytes(RECEIPT).count(cut)  # only the receipt's own cut
