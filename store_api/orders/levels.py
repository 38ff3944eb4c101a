"""What a buyer has bought in the last year, and what the next member level asks of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store_api.core.models import utcnow
from store_api.orders.models import Order

YEAR = timedelta(days=365)


@dataclass(frozen=True)
class Progress:
    """Paid orders of the last year, and the next level with what it still needs (None at the
    top)."""

    spent_fen: int
    next_level: str | None
    missing_fen: int


def next_level(levels: list[str], spend_yuan: list[float], level: str,
               spent_fen: int) -> tuple[str | None, int]:
    """Return the first level above `level` and what is missing to it (0 when the spend
    already qualifies, for staff to confirm); None at the top."""
    above = levels[levels.index(level) + 1:] if level in levels else levels[1:]
    if not above:
        return None, 0
    wanted = round(spend_yuan[levels.index(above[0])] * 100)
    return above[0], max(wanted - spent_fen, 0)


def progress(session: Session, buyer_id: int, level: str, *, levels: list[str],
             spend_yuan: list[float]) -> Progress:
    """Return what the buyer spent in paid orders over the last 365 days, and what the next
    member level needs."""
    spent = session.scalar(select(func.coalesce(func.sum(Order.total_fen), 0)).where(
        Order.buyer_id == buyer_id, Order.status.in_(("paid", "completed")),
        Order.paid_at >= utcnow() - YEAR))
    above, missing = next_level(levels, spend_yuan, level, spent)
    return Progress(spent, above, missing)
