"""Buyers, the devices that proved a buyer's phone, and the one-time codes sent to prove it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store_api.core.models import Base, UtcDateTime, created_at_column


class Buyer(Base):
    """A business that orders: an account known by its proved phone, or a guest's claim."""

    __tablename__ = "buyers"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The account's phone; only a device that proved it with a code acts for the account.
    # None for a guest: what a device typed without proof, kept apart from every account.
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    name: Mapped[str] = mapped_column(String(100))
    company: Mapped[str] = mapped_column(String(200), default="")
    business_type: Mapped[str] = mapped_column(String(20))
    member_level: Mapped[str] = mapped_column(String(20))
    # Approved by staff to pay later, on account, up to the credit limit.
    on_account: Mapped[bool] = mapped_column(Boolean, default=False)
    credit_limit_fen: Mapped[int] = mapped_column(Integer, default=0)
    # What staff keep in mind about the buyer; never shown to the buyer.
    notes: Mapped[str] = mapped_column(Text, default="")
    verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = created_at_column()

    @property
    def is_guest(self) -> bool:
        """Whether this is a device's unproved claim rather than an account."""
        return self.phone is None


ENTRY_KINDS = ("charge", "payment", "reversal")


class AccountEntry(Base):
    """One line of a buyer's account: an order paid on account (a charge, positive), money
    received against the account (a payment, negative), or a cancelled order's charge taken back
    (a reversal, negative). Rows are only ever added (triggers refuse the rest); the balance is
    their sum."""

    __tablename__ = "account_entries"
    __table_args__ = (
        CheckConstraint("kind IN ('charge', 'payment', 'reversal')", name="kind"),
        CheckConstraint("(kind = 'charge') = (amount_fen > 0) AND amount_fen <> 0",
                        name="sign_follows_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    amount_fen: Mapped[int] = mapped_column(Integer)
    # The order a charge or reversal is for; None for a payment.
    order_number: Mapped[str | None] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(20), default="")
    reference: Mapped[str] = mapped_column(String(100), default="")
    actor: Mapped[str] = mapped_column(String(100))  # who put it on the account
    created_at: Mapped[datetime] = created_at_column()


class BuyerDevice(Base):
    """A phone or browser signed in to an account by a code; the cookie holds its token."""

    __tablename__ = "buyer_devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyers.id"), index=True)
    # SHA-256 of the token: a copy of the table signs nobody in.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = created_at_column()
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class PhoneCode(Base):
    """A one-time code sent to a phone: kept as a keyed hash, tried a few times, used once."""

    __tablename__ = "phone_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    # The client address that asked, for the per-address resend limit.
    address: Mapped[str] = mapped_column(String(45), index=True)
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    tries: Mapped[int] = mapped_column(Integer, default=0)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
