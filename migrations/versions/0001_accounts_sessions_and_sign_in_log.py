"""accounts, sessions and sign-in log

Revision ID: 0001
Revises: 
Create Date: 2026-11-21
"""

from alembic import op
import sqlalchemy as sa

from app.models import UTCDateTime


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('auth_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Column('event', sa.String(length=32), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('detail', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('auth_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auth_log_at'), ['at'], unique=False)

    op.create_table('login_throttle',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_started_at', UTCDateTime(), nullable=True),
    sa.Column('locked_until', UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('username')
    )
    op.create_table('prison',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('app_user',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('prison_id', sa.String(length=36), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['prison_id'], ['prison.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    op.create_table('wing',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('prison_id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['prison_id'], ['prison.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('prison_id', 'code')
    )
    op.create_table('prisoner',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('prison_id', sa.String(length=36), nullable=False),
    sa.Column('wing_id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('given_name', sa.String(length=80), nullable=False),
    sa.Column('family_name', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['prison_id'], ['prison.id'], ),
    sa.ForeignKeyConstraint(['wing_id'], ['wing.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('prison_id', 'number')
    )
    with op.batch_alter_table('prisoner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prisoner_wing_id'), ['wing_id'], unique=False)

    op.create_table('user_wing',
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('wing_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['wing_id'], ['wing.id'], ),
    sa.PrimaryKeyConstraint('user_id', 'wing_id')
    )
    op.create_table('web_session',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=True),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('last_activity_at', UTCDateTime(), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('unlock_failures', sa.Integer(), nullable=False),
    sa.Column('ended_at', UTCDateTime(), nullable=True),
    sa.Column('end_reason', sa.String(length=32), nullable=True),
    sa.Column('ticket_hash', sa.String(length=64), nullable=True),
    sa.Column('ticket_expires_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key_hash'),
    sa.UniqueConstraint('ticket_hash')
    )
    with op.batch_alter_table('web_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_session_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('web_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_session_user_id'))

    op.drop_table('web_session')
    op.drop_table('user_wing')
    with op.batch_alter_table('prisoner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prisoner_wing_id'))

    op.drop_table('prisoner')
    op.drop_table('wing')
    op.drop_table('app_user')
    op.drop_table('prison')
    op.drop_table('login_throttle')
    with op.batch_alter_table('auth_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auth_log_at'))

    op.drop_table('auth_log')
