"""Amounts of money as people read them, on pages, labels, receipts and documents alike."""

from __future__ import annotations


def yuan(fen: int | None) -> str:
    """Format an amount in fen as ￥1,234.50 (U+FFE5, the full-width sign every font of the
    store has); a negative amount as -￥12.50, and no amount as nothing."""
    if fen is None:
        return ""
    sign, fen = ("-", -fen) if fen < 0 else ("", fen)
    return f"{sign}￥{fen // 100:,}.{fen % 100:02d}"
