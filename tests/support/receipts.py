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
