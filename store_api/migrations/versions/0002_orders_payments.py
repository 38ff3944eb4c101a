"""orders payments and fulfilment details

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 05:31:57.879674
"""

import sqlalchemy as sa
from alembic import op


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("method IN ('cash', 'card', 'bank_transfer', 'on_account')", name=op.f('ck_payments_method')),
    sa.CheckConstraint('amount_fen > 0', name=op.f('ck_payments_amount_positive')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_payments_order_id_orders')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_payments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    sa.UniqueConstraint('order_id', name=op.f('uq_payments_order_id'))
    )
    with op.batch_alter_table('buyers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_account', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('fulfilment_groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('factory_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('subtotal_fen', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('dispatch_promise_hours', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('recipient_name', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('recipient_phone', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('distance_km', sa.Float(), nullable=True))
        batch_op.create_index(batch_op.f('ix_fulfilment_groups_factory_id'), ['factory_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_fulfilment_groups_factory_id_factories'), 'factories', ['factory_id'], ['id'])
        batch_op.create_check_constraint('status', "status IN ('pending', 'picked', 'collected', 'forward_queued', 'cancelled')")

    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_lines_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_lines_product_id'), ['product_id'], unique=False)

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_hash', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint('status', "status IN ('awaiting_payment', 'paid', 'completed', 'cancelled', 'expired')")


def downgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_orders_status'), type_='check')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('request_hash')

    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_lines_product_id'))
        batch_op.drop_index(batch_op.f('ix_order_lines_group_id'))

    with op.batch_alter_table('fulfilment_groups', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_fulfilment_groups_status'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_fulfilment_groups_factory_id_factories'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_fulfilment_groups_factory_id'))
        batch_op.drop_column('distance_km')
        batch_op.drop_column('recipient_phone')
        batch_op.drop_column('recipient_name')
        batch_op.drop_column('dispatch_promise_hours')
        batch_op.drop_column('subtotal_fen')
        batch_op.drop_column('factory_id')

    with op.batch_alter_table('buyers', schema=None) as batch_op:
        batch_op.drop_column('on_account')

    op.drop_table('payments')
