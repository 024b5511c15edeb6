"""trend rollups

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21

The tables start empty; `python -m app.cli setup` fills them from the observations and
decisions already stored (app/services/trends.py rebuild), once.
"""

from alembic import op
import sqlalchemy as sa

from app.models import UTCDateTime


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('trend_indicator_week',
    sa.Column('prison_id', sa.String(length=36), nullable=False),
    sa.Column('wing_id', sa.String(length=36), nullable=False),
    sa.Column('concern', sa.String(length=8), nullable=False),
    sa.Column('week', sa.Date(), nullable=False),
    sa.Column('indicator', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('observations', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['prison_id'], ['prison.id'], ),
    sa.PrimaryKeyConstraint('prison_id', 'wing_id', 'concern', 'week', 'indicator'),
    sqlite_with_rowid=False
    )
    op.create_table('trend_week',
    sa.Column('prison_id', sa.String(length=36), nullable=False),
    sa.Column('wing_id', sa.String(length=36), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('week', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('concern', sa.String(length=8), nullable=False),
    sa.Column('observations', sa.Integer(), nullable=False),
    sa.Column('flagged', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['prison_id'], ['prison.id'], ),
    sa.PrimaryKeyConstraint('prison_id', 'wing_id', 'category', 'week', 'kind', 'concern'),
    sqlite_with_rowid=False
    )
    op.create_table('trend_decision',
    sa.Column('event_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('prison_id', sa.String(length=36), nullable=False),
    sa.Column('wing_id', sa.String(length=36), nullable=False),
    sa.Column('decided_at', UTCDateTime(), nullable=False),
    sa.Column('outcome', sa.String(length=24), nullable=False),
    sa.Column('hours_to_first', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['screening_event.id'], ),
    sa.ForeignKeyConstraint(['prison_id'], ['prison.id'], ),
    sa.ForeignKeyConstraint(['wing_id'], ['wing.id'], ),
    sa.PrimaryKeyConstraint('event_id')
    )
    with op.batch_alter_table('trend_decision', schema=None) as batch_op:
        batch_op.create_index('ix_trend_decision_prison_at', ['prison_id', 'decided_at', 'wing_id', 'outcome', 'hours_to_first'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('trend_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_trend_decision_prison_at')

    op.drop_table('trend_decision')
    op.drop_table('trend_week')
    op.drop_table('trend_indicator_week')
