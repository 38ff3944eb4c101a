"""shortlists: named lists of products shared between phones by an edit or a view link

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 09:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shortlists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("edit_token", sa.String(length=32), nullable=False),
        sa.Column("view_token", sa.String(length=32), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["buyer_id"], ["buyers.id"],
                                name=op.f("fk_shortlists_buyer_id_buyers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shortlists")),
        sa.UniqueConstraint("edit_token", name=op.f("uq_shortlists_edit_token")),
        sa.UniqueConstraint("view_token", name=op.f("uq_shortlists_view_token")),
    )
    op.create_index(op.f("ix_shortlists_buyer_id"), "shortlists", ["buyer_id"])
    op.create_table(
        "shortlist_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shortlist_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"],
                                name=op.f("fk_shortlist_items_product_id_products")),
        sa.ForeignKeyConstraint(["shortlist_id"], ["shortlists.id"], ondelete="CASCADE",
                                name=op.f("fk_shortlist_items_shortlist_id_shortlists")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shortlist_items")),
        sa.UniqueConstraint("shortlist_id", "product_id",
                            name=op.f("uq_shortlist_items_shortlist_id")),
    )
    op.create_index(op.f("ix_shortlist_items_shortlist_id"), "shortlist_items",
                    ["shortlist_id"])


def downgrade() -> None:
    op.drop_table("shortlist_items")
    op.drop_table("shortlists")
