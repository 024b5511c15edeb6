"""screening events

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from alembic import op
import sqlalchemy as sa

from app.models import UTCDateTime


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('screening_event',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Column('actor_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.String(length=24), nullable=True),
    sa.Column('support_kind', sa.String(length=24), nullable=True),
    sa.Column('review_on', UTCDateTime(), nullable=True),
    sa.Column('refers_to', sa.Integer(), nullable=True),
    sa.Column('text_enc', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['item_id'], ['screening_item.id'], ),
    sa.ForeignKeyConstraint(['refers_to'], ['screening_event.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('screening_event', schema=None) as batch_op:
        batch_op.create_index('ix_screening_event_item_at', ['item_id', 'at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('screening_event', schema=None) as batch_op:
        batch_op.drop_index('ix_screening_event_item_at')

    op.drop_table('screening_event')
