"""Thermal labels and raster fallbacks for printers without QR or Chinese characters."""

from datetime import date
from pathlib import Path

from shelf_labels.layout import LabelData
from shelf_labels.receipts import CHINESE_MODE, receipt_bytes
from shelf_labels.thermal import label_bytes
from tests.support.receipts import RECEIPT
from tests.support.services import unavailable

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
RASTER = b"\x1dv0"  # GS v 0: print a raster picture
LABEL = LabelData(name="可折叠收纳箱 大号45升", ladder=[(12, 2680), (60, 2490)], moq=12,
                  case_pack=12, zone_name="跨境区", zone_colour="#1B98E0",
                  slot_text="B-1-1 · PZME9N9VQS", url="HTTP://SHOP.LAN/S/PZME9N9VQS",
                  printed_on=date(2026, 11, 22))


def test_native_label_has_chinese_text_the_qr_command_and_a_cut():
    data = label_bytes([LABEL, LABEL])
    assert CHINESE_MODE in data and "可折叠收纳箱".encode("gb18030") in data
    assert b"1P0HTTP://SHOP.LAN/S/PZME9N9VQS" in data
    # A blank line above the centred code keeps it clear of the text; 扫码下单 follows it.
    assert data.count(b"\n\x1ba\x01\n\x1d(k") == 2
    assert data.count(b"1Q0\n" + "扫码下单".encode("gb18030") + b"\n") == 2
    assert data.count(b"\x1dV\x00") == 2 and RASTER not in data


def test_raster_qr_for_printers_without_a_qr_command():
    data = label_bytes([LABEL], native_qr=False)
    assert RASTER in data and b"1P0" not in data


def test_raster_text_for_printers_without_chinese_characters():
    if not FONT.exists():
        unavailable("CJK font missing (Debian package fonts-wqy-zenhei)")
    label = label_bytes([LABEL], raster_font=FONT)
    receipt = receipt_bytes(RECEIPT, raster_font=FONT)
    for data in (label, receipt):
        assert RASTER in data and CHINESE_MODE not in data
        assert "保温杯".encode("gb18030") not in data and "收纳箱".encode("gb18030") not in data
    assert b"1P0" + RECEIPT.track_url.encode() in receipt  # the QR stays native
