"""catalogue versions made in the browser: drafts, then published and frozen

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'catalogue_edition',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('version', sa.String(32), nullable=True, unique=True),
        sa.Column('based_on', sa.String(32), nullable=False),
        sa.Column('content', sa.JSON(), nullable=False),
        sa.Column('created_by', sa.String(36), sa.ForeignKey('app_user.id'), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('published_by', sa.String(36), sa.ForeignKey('app_user.id'), nullable=True),
        sa.Column('published_at', sa.DateTime(), nullable=True),
        sa.Column('effective_from', sa.Date(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('sha256', sa.String(64), nullable=True),
    )


def downgrade() -> None:
    op.drop_table('catalogue_edition')
