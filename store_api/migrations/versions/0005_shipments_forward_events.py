"""shipments, forward events, inbound webhooks; groups can be shipped and delivered

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 07:41:25.776387
"""

import sqlalchemy as sa
from alembic import op


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


_OLD_GROUP_STATUSES = "'pending', 'picked', 'collected', 'forward_queued', 'cancelled'"
_NEW_GROUP_STATUSES = ("'pending', 'picked', 'collected', 'forward_queued', 'shipped', "
                       "'delivered', 'cancelled'")


def _group_statuses(allowed: str) -> None:
    with op.batch_alter_table('fulfilment_groups', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_fulfilment_groups_status'), type_='check')
        batch_op.create_check_constraint('status', f"status IN ({allowed})")


def upgrade() -> None:
    _group_statuses(_NEW_GROUP_STATUSES)
    op.create_table('inbound_webhooks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('factory_id', sa.Integer(), nullable=False),
    sa.Column('webhook_id', sa.String(length=100), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['factory_id'], ['factories.id'], name=op.f('fk_inbound_webhooks_factory_id_factories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_webhooks')),
    sa.UniqueConstraint('factory_id', 'webhook_id', name=op.f('uq_inbound_webhooks_factory_id'))
    )
    op.create_table('forward_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forward_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['forward_id'], ['forwards.id'], name=op.f('fk_forward_events_forward_id_forwards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forward_events'))
    )
    with op.batch_alter_table('forward_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forward_events_forward_id'), ['forward_id'], unique=False)

    op.create_table('shipments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forward_id', sa.Integer(), nullable=False),
    sa.Column('carrier', sa.String(length=60), nullable=False),
    sa.Column('tracking_number', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['forward_id'], ['forwards.id'], name=op.f('fk_shipments_forward_id_forwards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipments')),
    sa.UniqueConstraint('forward_id', 'carrier', 'tracking_number', name=op.f('uq_shipments_forward_id'))
    )
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shipments_forward_id'), ['forward_id'], unique=False)

    op.create_table('shipment_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_shipment_lines_quantity_positive')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_shipment_lines_product_id_products')),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_shipment_lines_shipment_id_shipments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipment_lines'))
    )
    with op.batch_alter_table('shipment_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shipment_lines_shipment_id'), ['shipment_id'], unique=False)



def downgrade() -> None:
    _group_statuses(_OLD_GROUP_STATUSES)
    with op.batch_alter_table('shipment_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shipment_lines_shipment_id'))

    op.drop_table('shipment_lines')
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shipments_forward_id'))

    op.drop_table('shipments')
    with op.batch_alter_table('forward_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forward_events_forward_id'))

    op.drop_table('forward_events')
    op.drop_table('inbound_webhooks')
