"""ESC/POS receipts for Chinese thermal printers, from plain data.

Text goes out in the printer's Chinese mode (FS &) as GB18030 or GBK bytes; characters common
printer fonts lack are mapped to ones they have. The order's QR uses the printer's own QR command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from escpos.printer import Dummy

from shelf_labels.money import yuan
from shelf_labels.raster import text_image

CHINESE_MODE = b"\x1c\x26"  # FS &
# Characters that GBK printers cannot show, and what to print instead.
_PRINTABLE = str.maketrans({"¥": "￥", "•": "·", "–": "-", "—": "-", "“": '"', "”": '"'})
# Control characters in a name or a reference would reach the printer as commands (ESC p opens
# the cash drawer, GS V cuts): they are dropped, so text is only ever printed.
_PRINTABLE.update({code: None for code in [*range(32), 127]})


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    quantity: int
    unit_price_fen: int
    tier: str  # such as "普通 ≥60"


WORDS_ZH = {"order": "订单", "total": "合计", "payment": "付款方式", "reference": "流水号",
            "track": "扫码查看订单"}


@dataclass(frozen=True)
class Receipt:
    header: str
    order: str
    placed_at: str
    lines: list[ReceiptLine]
    total_fen: int
    payment: str
    reference: str
    groups: list[str]
    track_url: str
    words: dict[str, str] = field(default_factory=lambda: dict(WORDS_ZH))


def display_width(text: str) -> int:
    """Columns a string takes on a receipt in the printer's Chinese mode: every character
    outside ASCII goes out as a double-byte code and prints two columns wide (×, ≥ and ￥ as
    much as 杯)."""
    return sum(1 if ord(ch) < 128 else 2 for ch in text.translate(_PRINTABLE))


def wrap(text: str, width: int) -> list[str]:
    """Break text into lines of at most width columns."""
    lines, current = [], ""
    for ch in text:
        if display_width(current + ch) > width:
            lines.append(current)
            current = ""
        current += ch
    return [*lines, current] if current or not lines else lines


def two_columns(left: str, right: str, width: int) -> list[str]:
    """Put left and right on one line, right aligned; when they do not fit, the left wraps
    and the right goes on a line of its own, still right aligned."""
    if display_width(left) + 1 + display_width(right) <= width:
        return [left + " " * (width - display_width(left) - display_width(right)) + right]
    return [*wrap(left, width), " " * max(width - display_width(right), 0) + right]


def encode(text: str, encoding: str) -> bytes:
    """Encode text for the printer, mapping what its font lacks."""
    return text.translate(_PRINTABLE).encode(encoding, errors="replace")


def receipt_bytes(receipt: Receipt, *, encoding: str = "gb18030", width: int = 32,
                  raster_font: Path | None = None) -> bytes:
    """Return the ESC/POS bytes of a receipt for a printer `width` columns wide.

    With raster_font the text is sent as pictures drawn with that font, for printers that have
    no Chinese characters of their own.
    """
    printer = Dummy()
    pending: list[str] = []

    def text(line: str = "") -> None:
        if raster_font is None:
            printer._raw(encode(line, encoding) + b"\n")
        else:
            pending.append(line)

    def flush() -> None:
        if pending:
            printer.image(text_image(pending, raster_font, width=width * 12))
            pending.clear()

    printer.hw("INIT")
    if raster_font is None:
        printer._raw(CHINESE_MODE)
    def lines(*parts: str) -> None:
        for part in parts:
            text(part)

    printer.set(align="center", bold=True, double_height=True, double_width=True)
    lines(*wrap(receipt.header, width // 2))  # double width: each column counts twice
    printer.set(align="left", normal_textsize=True, bold=False)
    words = receipt.words
    lines(*wrap(f"{words['order']} {receipt.order}", width), *wrap(receipt.placed_at, width))
    text("-" * width)
    for line in receipt.lines:
        amount = f"{line.quantity} × {yuan(line.unit_price_fen)} ({line.tier})"
        lines(*wrap(line.name, width),
              *two_columns("  " + amount, yuan(line.quantity * line.unit_price_fen), width))
    text("-" * width)
    printer.set(bold=True)
    lines(*two_columns(words["total"], yuan(receipt.total_fen), width))
    printer.set(bold=False)
    lines(*two_columns(words["payment"], receipt.payment, width))
    if receipt.reference:
        lines(*two_columns(words["reference"], receipt.reference, width))
    text("-" * width)
    for group in receipt.groups:
        lines(*wrap(group, width))
    flush()
    printer.set(align="center")
    printer.qr(receipt.track_url, native=True, size=6, center=False)
    text(words["track"])
    flush()
    printer.cut()
    return printer.output
