"""forwards and delivery attempts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 06:47:51.678670
"""

import sqlalchemy as sa
from alembic import op


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('factories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('webhook_previous_secret_encrypted', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('webhook_previous_until', sa.DateTime(timezone=True), nullable=True))
    op.create_table('forwards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('factory_id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.String(length=40), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('queued', 'sending', 'submitted', 'accepted', 'rejected', 'shipped', 'delivered', 'cancel_requested', 'cancelled')", name=op.f('ck_forwards_state')),
    sa.ForeignKeyConstraint(['factory_id'], ['factories.id'], name=op.f('fk_forwards_factory_id_factories')),
    sa.ForeignKeyConstraint(['group_id'], ['fulfilment_groups.id'], name=op.f('fk_forwards_group_id_fulfilment_groups')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forwards')),
    sa.UniqueConstraint('group_id', name=op.f('uq_forwards_group_id')),
    sa.UniqueConstraint('message_id', name=op.f('uq_forwards_message_id'))
    )
    with op.batch_alter_table('forwards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forwards_factory_id'), ['factory_id'], unique=False)

    op.create_table('delivery_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forward_id', sa.Integer(), nullable=False),
    sa.Column('attempted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['forward_id'], ['forwards.id'], name=op.f('fk_delivery_attempts_forward_id_forwards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_attempts'))
    )
    with op.batch_alter_table('delivery_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_attempts_forward_id'), ['forward_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('factories', schema=None) as batch_op:
        batch_op.drop_column('webhook_previous_until')
        batch_op.drop_column('webhook_previous_secret_encrypted')
    with op.batch_alter_table('delivery_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_attempts_forward_id'))

    op.drop_table('delivery_attempts')
    with op.batch_alter_table('forwards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forwards_factory_id'))

    op.drop_table('forwards')
