"""People who sign in: staff, managers, admins and factory portal users."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from store_api.core.models import Base, UtcDateTime, created_at_column
from store_api.factories.models import Factory

ROLES = ("staff", "manager", "admin", "factory")


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('staff', 'manager', 'admin', 'factory')", name="role"),
        CheckConstraint(
            "(role = 'factory') = (factory_id IS NOT NULL)", name="factory_users_have_factory"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))
    factory_id: Mapped[int | None] = mapped_column(ForeignKey("factories.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of every session's user id: raising it (sign-out, a new password) ends them all.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = created_at_column()

    factory: Mapped[Factory | None] = relationship()

    def set_password(self, password: str) -> None:
        """Store a scrypt hash of the password; every session signed in before ends."""
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.end_sessions()

    def end_sessions(self) -> None:
        """End every session of this user: their cookies name an epoch that is gone."""
        self.session_epoch = (self.session_epoch or 0) + 1

    def check_password(self, password: str) -> bool:
        """Compare a password with the stored hash in constant time."""
        return check_password_hash(self.password_hash, password)
