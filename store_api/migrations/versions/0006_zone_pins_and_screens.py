"""zone pins and screens

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 08:12:29.659783
"""

import sqlalchemy as sa
from alembic import op


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('screens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=True),
    sa.Column('approved', sa.Boolean(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_screens_zone_id_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screens')),
    sa.UniqueConstraint('code', name=op.f('uq_screens_code')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_screens_token_hash'))
    )
    op.create_table('zone_pins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_zone_pins_product_id_products')),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_zone_pins_zone_id_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zone_pins')),
    sa.UniqueConstraint('zone_id', 'product_id', name=op.f('uq_zone_pins_zone_id'))
    )
    with op.batch_alter_table('zone_pins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zone_pins_zone_id'), ['zone_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('zone_pins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zone_pins_zone_id'))

    op.drop_table('zone_pins')
    op.drop_table('screens')
