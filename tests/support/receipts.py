"""A receipt with every kind of line, for the printing tests."""

from __future__ import annotations

from shelf_labels.receipts import (
    Receipt,
    ReceiptLine,
)

RECEIPT = Receipt(
    header="选品中心", order="7NBTRBW91A", placed_at="2026-11-22 14:05",
    lines=[ReceiptLine("316不锈钢保温杯 500毫升", 24, 2800, "普通 ≥24"),
           ReceiptLine("折叠硅胶旅行杯 ¥", 48, 950, "金牌会员 ≥48")],
    total_fen=112_800, payment="现金", reference="POS-1",
    groups=["到店自提：已提货", "工厂发货：已转工厂"], track_url="HTTP://SHOP.LAN/ORDERS/7NBTRBW91A",
)

# A receipt that tries the width: long names, large amounts, a long tier and a long header.
LONG = Receipt(
    header="义乌国际商贸城选品中心五区二楼东门店", order="7NBTRBW91A",
    placed_at="2026-11-22 14:05",
    lines=[ReceiptLine("316不锈钢真空保温杯 大容量 500毫升 磨砂喷涂 礼盒装 可定制logo", 200, 260,
                       "普通 ≥200"),
           ReceiptLine("Foldable silicone travel cup with lid, 350 ml, assorted colours",
                       12_000, 99_950, "金牌会员 ≥10000"),
           ReceiptLine("折叠伞", 1, 1, "普通 ≥1")],
    total_fen=1_199_452_520, payment="银行转账（对公）", reference="POS-202611221405-000123456789",
    groups=["到店自提：已提货，仓库二号门 取货柜 A-17",
            "工厂发货：浙江省杭州市西湖区文三路 100 号，已转工厂"],
    track_url="HTTP://SHOP.LAN/ORDERS/7NBTRBW91A",
)

# Bytes an ESC/POS command takes after its first byte, for the commands receipts use.
_FIXED = {b"\x1b@": 2, b"\x1c&": 2, b"\x1b!": 3, b"\x1bE": 3, b"\x1ba": 3, b"\x1bd": 3}


def printed_lines(data: bytes, encoding: str = "gb18030") -> list[tuple[str, int]]:
    """Walk ESC/POS bytes as a printer in Chinese mode would: return each printed line of
    text with the columns it takes (double-byte characters two, each column twice in double
    width)."""
    lines: list[tuple[str, int]] = []
    text, columns, wide, at = b"", 0, 1, 0
    while at < len(data):
        two = data[at:at + 2]
        if two in _FIXED:
            if two == b"\x1b!":
                wide = 2 if data[at + 2] & 0x20 else 1
            at += _FIXED[two]
        elif two == b"\x1d(":  # GS ( k pL pH and pL + 256 pH bytes of parameters
            at += 5 + data[at + 3] + 256 * data[at + 4]
        elif two == b"\x1dV":  # GS V m, and n after m = 65 or 66
            at += 4 if data[at + 2] in (65, 66) else 3
        elif data[at] == 0x0A:
            lines.append((text.decode(encoding), columns))
            text, columns, at = b"", 0, at + 1
        elif data[at] < 0x80:
            text, columns, at = text + data[at:at + 1], columns + wide, at + 1
        else:  # a double-byte (or GB18030 four-byte) character: two columns
            size = 4 if encoding == "gb18030" and 0x30 <= data[at + 1] <= 0x39 else 2
            text, columns, at = text + data[at:at + size], columns + 2 * wide, at + size
    return lines
