"""tablets (issue 11): each device the capture island runs on, its officers, token cut-offs

A tablet is known by the id it made itself; it is recorded at every sync and at the island's
report of how many entries wait on it (counts and times, never content). tablet_officer keeps
each officer's waiting count on each tablet; token_cutoff refuses bearer tokens issued before a
moment (a tablet marked lost).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'tablet',
        sa.Column('device_id', sa.String(64), primary_key=True),
        sa.Column('prison_id', sa.String(36), sa.ForeignKey('prison.id'), nullable=True),
        sa.Column('first_seen_at', sa.DateTime(), nullable=False),
        sa.Column('last_contact_at', sa.DateTime(), nullable=False),
        sa.Column('last_officer_id', sa.String(36), sa.ForeignKey('app_user.id'), nullable=True),
        sa.Column('app_version', sa.String(32), nullable=True),
        sa.Column('lost_at', sa.DateTime(), nullable=True),
        sa.Column('lost_by', sa.String(36), sa.ForeignKey('app_user.id'), nullable=True),
    )
    op.create_index('ix_tablet_prison_id', 'tablet', ['prison_id'])
    op.create_table(
        'tablet_officer',
        sa.Column('device_id', sa.String(64), sa.ForeignKey('tablet.device_id'),
                  primary_key=True),
        sa.Column('user_id', sa.String(36), sa.ForeignKey('app_user.id'), primary_key=True),
        sa.Column('first_seen_at', sa.DateTime(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.Column('waiting', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('oldest_waiting_at', sa.DateTime(), nullable=True),
        sa.Column('reported_at', sa.DateTime(), nullable=True),
    )
    op.create_index('ix_tablet_officer_user_id', 'tablet_officer', ['user_id'])
    op.create_table(
        'token_cutoff',
        sa.Column('user_id', sa.String(36), sa.ForeignKey('app_user.id'), primary_key=True),
        sa.Column('not_before', sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('token_cutoff')
    op.drop_index('ix_tablet_officer_user_id', 'tablet_officer')
    op.drop_table('tablet_officer')
    op.drop_index('ix_tablet_prison_id', 'tablet')
    op.drop_table('tablet')
