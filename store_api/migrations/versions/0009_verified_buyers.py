"""verified buyers: guests apart from accounts, signed-in devices, one-time phone codes

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 08:00:00

Every buyer before this revision was an account known by a phone nobody proved; it stays an
account, reached from now on only by a device that proves the phone with a code.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("buyers") as batch:
        batch.alter_column("phone", existing_type=sa.String(length=20), nullable=True)
        batch.add_column(sa.Column("contact_phone", sa.String(length=20), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("buyers") as batch:
        batch.alter_column("contact_phone", server_default=None)
    op.execute("UPDATE buyers SET contact_phone = phone")
    op.create_table(
        "buyer_devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["buyer_id"], ["buyers.id"],
                                name=op.f("fk_buyer_devices_buyer_id_buyers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buyer_devices")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_buyer_devices_token_hash")),
    )
    op.create_index(op.f("ix_buyer_devices_buyer_id"), "buyer_devices", ["buyer_id"])
    op.create_table(
        "phone_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=45), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_codes")),
    )
    op.create_index(op.f("ix_phone_codes_phone"), "phone_codes", ["phone"])
    op.create_index(op.f("ix_phone_codes_address"), "phone_codes", ["address"])


def downgrade() -> None:
    op.drop_table("phone_codes")
    op.drop_table("buyer_devices")
    # Before this revision every buyer had a phone: a guest keeps its orders under a
    # placeholder no phone number can match.
    op.execute("UPDATE buyers SET phone = 'guest-' || id WHERE phone IS NULL")
    with op.batch_alter_table("buyers") as batch:
        batch.drop_column("verified_at")
        batch.drop_column("contact_phone")
        batch.alter_column("phone", existing_type=sa.String(length=20), nullable=False)
