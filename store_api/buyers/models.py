"""A buyer: a business known by its phone, with a member level and a business type."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from store_api.core.models import Base, created_at_column


class Buyer(Base):
    __tablename__ = "buyers"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    company: Mapped[str] = mapped_column(String(200), default="")
    business_type: Mapped[str] = mapped_column(String(20))
    member_level: Mapped[str] = mapped_column(String(20))
    # Approved by staff to pay later, on account.
    on_account: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = created_at_column()
