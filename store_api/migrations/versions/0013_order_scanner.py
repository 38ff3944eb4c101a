"""orders remember the phone they were placed from, so scans and orders meet in reports; a
phone's scans are found by an index

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN on both databases: no copy of the busiest table.
    op.add_column("orders", sa.Column("scanner_id", sa.String(length=32), nullable=True))
    op.create_index(op.f("ix_orders_scanner_id"), "orders", ["scanner_id"])
    op.create_index("ix_scan_events_session_id_id", "scan_events", ["session_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_scan_events_session_id_id", table_name="scan_events")
    op.drop_index(op.f("ix_orders_scanner_id"), table_name="orders")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("scanner_id")
