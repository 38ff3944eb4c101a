"""allocations: what each order line holds where

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 06:00:00
"""

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# What a group's status says its lines hold, before any shipment is counted.
_STATE_OF_GROUP = {"pending": "reserved", "picked": "reserved", "forward_queued": "reserved",
                   "shipped": "reserved", "collected": "sold", "delivered": "sold",
                   "cancelled": "released"}


def upgrade() -> None:
    allocations = op.create_table(
        "allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_allocations_quantity_positive")),
        sa.CheckConstraint("state IN ('reserved', 'sold', 'released', 'returned')",
                           name=op.f("ck_allocations_state")),
        sa.ForeignKeyConstraint(["location_id"], ["stock_locations.id"],
                                name=op.f("fk_allocations_location_id_stock_locations")),
        sa.ForeignKeyConstraint(["order_line_id"], ["order_lines.id"],
                                name=op.f("fk_allocations_order_line_id_order_lines")),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"],
                                name=op.f("fk_allocations_product_id_products")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocations")),
        sa.UniqueConstraint("order_line_id", "location_id", "state",
                            name=op.f("uq_allocations_order_line_id")),
    )
    op.create_index(op.f("ix_allocations_order_line_id"), "allocations", ["order_line_id"])
    _fill(op.get_bind(), allocations)


def _fill(connection, allocations) -> None:
    """Derive each existing line's allocation from its group's status and the parcels shipped:
    shipped units are sold, the rest of a shipping group still reserved. A group rerouted before
    this revision shows only where it is served from now; what its factory released is in the
    ledger."""
    shipped: dict[tuple[int, int], int] = defaultdict(int)
    for group_id, product_id, quantity in connection.execute(sa.text(
            "SELECT f.group_id, sl.product_id, sl.quantity FROM shipment_lines sl"
            " JOIN shipments s ON s.id = sl.shipment_id JOIN forwards f ON f.id = s.forward_id")):
        shipped[(group_id, product_id)] += quantity
    rows = []
    for line_id, product_id, quantity, group_id, location_id, status in connection.execute(
            sa.text("SELECT l.id, l.product_id, l.quantity, g.id, g.location_id, g.status"
                    " FROM order_lines l JOIN fulfilment_groups g ON g.id = l.group_id"
                    " ORDER BY l.id")):
        state = _STATE_OF_GROUP[status]
        sold = min(quantity, shipped[(group_id, product_id)]) if state == "reserved" else 0
        shipped[(group_id, product_id)] -= sold
        for part, part_state in ((sold, "sold"), (quantity - sold, state)):
            if part:
                rows.append({"order_line_id": line_id, "product_id": product_id,
                             "location_id": location_id, "quantity": part, "state": part_state})
    if rows:
        op.bulk_insert(allocations, rows)


def downgrade() -> None:
    op.drop_index(op.f("ix_allocations_order_line_id"), table_name="allocations")
    op.drop_table("allocations")
