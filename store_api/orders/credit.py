"""Credit that has a limit: a buyer on account owes the sum of their account's entries, and
orders placed on account and not yet settled count against the limit too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from shelf_labels.money import yuan
from store_api.buyers import buyers
from store_api.buyers.models import AccountEntry, Buyer
from store_api.core import audit
from store_api.core.db import Database
from store_api.core.errors import DomainError, NotFound
from store_api.core.models import utcnow
from store_api.orders.models import Order

PAYMENT_METHODS = ("cash", "card", "bank_transfer")


@dataclass(frozen=True)
class Account:
    """Where a buyer's credit stands: what they owe, what open on-account orders will add,
    the limit, and how much of what they owe is past the payment terms."""

    limit_fen: int
    balance_fen: int
    open_orders_fen: int
    overdue_fen: int

    @property
    def available_fen(self) -> int:
        """What the buyer may still order on account."""
        return max(self.limit_fen - self.balance_fen - self.open_orders_fen, 0)


def _open_on_account(session: Session, buyer_id: int, but: int | None = None) -> int:
    """The total of the buyer's orders placed on account and not settled yet (no hold)."""
    query = select(func.coalesce(func.sum(Order.total_fen), 0)).where(
        Order.buyer_id == buyer_id, Order.status == "awaiting_payment",
        Order.hold_until.is_(None))
    if but is not None:
        query = query.where(Order.id != but)
    return session.scalar(query)


def account(session: Session, buyer: Buyer, *, terms_days: int) -> Account:
    """Return where a buyer's credit stands now."""
    due_before = utcnow() - timedelta(days=terms_days)
    reversed_orders = select(AccountEntry.order_number).where(
        AccountEntry.buyer_id == buyer.id, AccountEntry.kind == "reversal")
    balance, due_charges, paid = session.execute(select(
        func.coalesce(func.sum(AccountEntry.amount_fen), 0),
        # A charge taken back by its order's cancellation is never due.
        func.coalesce(func.sum(case((and_(AccountEntry.kind == "charge",
                                          AccountEntry.created_at < due_before,
                                          AccountEntry.order_number.not_in(reversed_orders)),
                                     AccountEntry.amount_fen), else_=0)), 0),
        func.coalesce(func.sum(case((AccountEntry.kind == "payment",
                                     -AccountEntry.amount_fen), else_=0)), 0),
    ).where(AccountEntry.buyer_id == buyer.id)).one()
    # Payments settle the oldest charges first: what is past its terms and not paid is overdue.
    return Account(buyer.credit_limit_fen, balance, _open_on_account(session, buyer.id),
                   max(due_charges - paid, 0))


def check(session: Session, buyer: Buyer, total_fen: int, *, but: int | None = None) -> None:
    """Refuse an order on account that would take what the buyer owes past their limit."""
    owed = session.scalar(select(func.coalesce(func.sum(AccountEntry.amount_fen), 0))
                          .where(AccountEntry.buyer_id == buyer.id))
    available = buyer.credit_limit_fen - owed - _open_on_account(session, buyer.id, but)
    if total_fen > available:
        raise DomainError(
            _l("This order of %(total)s is more than your credit allows: %(available)s is "
               "available on account. Pay part of what you owe, or pay this order now."),
            code="credit_limit", field="payment", status=409,
            total=yuan(total_fen), available=yuan(max(available, 0)))


def charge(session: Session, order: Order, *, actor: str) -> None:
    """Put an order paid on account on the buyer's account."""
    session.add(AccountEntry(buyer_id=order.buyer_id, kind="charge", amount_fen=order.total_fen,
                             order_number=order.number, actor=actor[:100]))


def reverse(session: Session, order: Order, *, actor: str) -> None:
    """Take a cancelled order's charge off the buyer's account."""
    session.add(AccountEntry(buyer_id=order.buyer_id, kind="reversal",
                             amount_fen=-order.total_fen, order_number=order.number,
                             actor=actor[:100]))


def record_payment(db: Database, buyer_id: int, amount_yuan, *, method, reference,
                   actor: audit.Actor, terms_days: int) -> None:
    """Record money a buyer paid against their account; more than they owe is refused."""
    if method not in PAYMENT_METHODS:
        raise DomainError(_l("Choose a payment method."), code="invalid_payment_method",
                          field="method")
    fen = buyers.amount_fen(amount_yuan, "amount")
    if not isinstance(reference, str) or len(reference) > 100:
        raise DomainError(_l("At most %(limit)s characters."), code="too_long",
                          field="reference", limit=100)
    with db.unit_of_work() as session:
        buyer = session.get(Buyer, buyer_id, with_for_update=True)
        if buyer is None or buyer.is_guest:
            raise NotFound(_l("There is no such buyer."), field="buyer")
        owed = account(session, buyer, terms_days=terms_days).balance_fen
        if fen > owed:
            raise DomainError(_l("The buyer owes %(owed)s; a payment cannot be more."),
                              code="more_than_owed", field="amount", owed=yuan(owed))
        session.add(AccountEntry(buyer_id=buyer.id, kind="payment", amount_fen=-fen,
                                 method=method, reference=reference.strip(),
                                 actor=actor.name[:100]))
        audit.record(session, actor, "account.payment", "buyer", buyer.id,
                     after={"amount_fen": fen, "method": method})


def entries(session: Session, buyer_id: int, limit: int = 100) -> list[AccountEntry]:
    """Return the latest entries of a buyer's account, newest first."""
    return list(session.scalars(select(AccountEntry).where(AccountEntry.buyer_id == buyer_id)
                                .order_by(AccountEntry.id.desc()).limit(limit)))


def overdue(session: Session, *, terms_days: int) -> list[tuple[Buyer, Account]]:
    """Return the accounts with money past their payment terms, the most overdue first."""
    owing = session.scalars(select(Buyer).where(Buyer.id.in_(
        select(AccountEntry.buyer_id).where(AccountEntry.kind == "charge"))))
    found = [(buyer, account(session, buyer, terms_days=terms_days)) for buyer in owing]
    return sorted(((b, a) for b, a in found if a.overdue_fen > 0),
                  key=lambda pair: -pair[1].overdue_fen)
