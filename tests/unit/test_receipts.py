"""Receipt bytes for Chinese ESC/POS printers, from plain data."""

from shelf_labels.receipts import (
    CHINESE_MODE,
    display_width,
    receipt_bytes,
    two_columns,
    wrap,
)
from tests.support.receipts import RECEIPT


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
    assert display_width(two_columns("合计", "￥9.00", 32)) == 32
