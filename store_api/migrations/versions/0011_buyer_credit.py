"""buyer credit: a credit limit and staff notes per buyer, and an append-only account ledger

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 09:00:00

A buyer approved for account before this revision keeps the approval with a limit of 0: no
order goes on account until a manager sets one.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("buyers") as batch:
        batch.add_column(sa.Column("credit_limit_fen", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("notes", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("buyers") as batch:
        batch.alter_column("credit_limit_fen", server_default=None)
        batch.alter_column("notes", server_default=None)
    op.create_table(
        "account_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(length=20), nullable=True),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('charge', 'payment', 'reversal')",
                           name=op.f("ck_account_entries_kind")),
        sa.CheckConstraint("(kind = 'charge') = (amount_fen > 0) AND amount_fen <> 0",
                           name=op.f("ck_account_entries_sign_follows_kind")),
        sa.ForeignKeyConstraint(["buyer_id"], ["buyers.id"],
                                name=op.f("fk_account_entries_buyer_id_buyers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_entries")),
    )
    op.create_index(op.f("ix_account_entries_buyer_id"), "account_entries", ["buyer_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE FUNCTION account_entries_append_only() RETURNS trigger "
                   "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION "
                   "'account_entries is append-only'; END $$")
        op.execute("CREATE TRIGGER account_entries_append_only BEFORE UPDATE OR DELETE ON "
                   "account_entries FOR EACH ROW EXECUTE FUNCTION account_entries_append_only()")
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER account_entries_no_{action.lower()} BEFORE {action} ON "
                       "account_entries BEGIN SELECT RAISE(ABORT, "
                       "'account_entries is append-only'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER account_entries_append_only ON account_entries")
        op.execute("DROP FUNCTION account_entries_append_only()")
    op.drop_table("account_entries")  # SQLite drops a table's triggers with it
    with op.batch_alter_table("buyers") as batch:
        batch.drop_column("notes")
        batch.drop_column("credit_limit_fen")
