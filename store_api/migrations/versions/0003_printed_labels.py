"""printed labels, and where each order line's price came from

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 06:22:32.424414
"""

import sqlalchemy as sa
from alembic import op


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('printed_labels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('template', sa.String(length=40), nullable=False),
    sa.Column('shown', sa.JSON(), nullable=False),
    sa.Column('printed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['slot_id'], ['shelf_slots.id'], name=op.f('fk_printed_labels_slot_id_shelf_slots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_printed_labels'))
    )
    with op.batch_alter_table('printed_labels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_printed_labels_slot_id'), ['slot_id'], unique=False)

    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('member_level', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('tier_quantity', sa.Integer(), nullable=False, server_default='1'))



def downgrade() -> None:
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_column('tier_quantity')
        batch_op.drop_column('member_level')

    with op.batch_alter_table('printed_labels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_printed_labels_slot_id'))

    op.drop_table('printed_labels')
