"""observations, screening items and audit log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from alembic import op
import sqlalchemy as sa

from app.models import UTCDateTime


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_entry',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Column('actor_id', sa.String(length=36), nullable=True),
    sa.Column('action', sa.String(length=24), nullable=False),
    sa.Column('prisoner_id', sa.String(length=36), nullable=True),
    sa.Column('record_id', sa.String(length=64), nullable=True),
    sa.Column('purpose', sa.String(length=200), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('row_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq')
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_prisoner_id'), ['prisoner_id'], unique=False)

    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('row_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('catalogue_version',
    sa.Column('version', sa.String(length=32), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('first_loaded_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('version')
    )
    op.create_table('observation',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('prisoner_id', sa.String(length=36), nullable=False),
    sa.Column('wing_id', sa.String(length=36), nullable=False),
    sa.Column('prison_id', sa.String(length=36), nullable=False),
    sa.Column('author_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=64), nullable=False),
    sa.Column('occurred_at', UTCDateTime(), nullable=False),
    sa.Column('recorded_at', UTCDateTime(), nullable=True),
    sa.Column('received_at', UTCDateTime(), nullable=False),
    sa.Column('location', sa.String(length=32), nullable=False),
    sa.Column('catalogue_version', sa.String(length=32), nullable=False),
    sa.Column('indicators', sa.JSON(), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('concern_observation', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('concern', sa.String(length=8), nullable=False),
    sa.Column('flag', sa.Boolean(), nullable=False),
    sa.Column('flag_reason_enc', sa.Text(), nullable=True),
    sa.Column('facts_enc', sa.Text(), nullable=False),
    sa.Column('assessment_enc', sa.Text(), nullable=True),
    sa.Column('payload_hash', sa.String(length=64), nullable=False),
    sa.Column('review_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['prison_id'], ['prison.id'], ),
    sa.ForeignKeyConstraint(['prisoner_id'], ['prisoner.id'], ),
    sa.ForeignKeyConstraint(['wing_id'], ['wing.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observation_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observation_prison_id'), ['prison_id'], unique=False)
        batch_op.create_index('ix_observation_prisoner_occurred', ['prisoner_id', 'occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_observation_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_observation_review_at'), ['review_at'], unique=False)

    op.create_table('screening_item',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('prisoner_id', sa.String(length=36), nullable=False),
    sa.Column('prison_id', sa.String(length=36), nullable=False),
    sa.Column('opened_at', UTCDateTime(), nullable=False),
    sa.Column('closed_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['prison_id'], ['prison.id'], ),
    sa.ForeignKeyConstraint(['prisoner_id'], ['prisoner.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('screening_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screening_item_prison_id'), ['prison_id'], unique=False)
        batch_op.create_index('uq_screening_item_open_prisoner', ['prisoner_id'], unique=True, sqlite_where=sa.text('closed_at IS NULL'), postgresql_where=sa.text('closed_at IS NULL'))

    op.create_table('addendum',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('observation_id', sa.String(length=36), nullable=False),
    sa.Column('author_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('text_enc', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['observation_id'], ['observation.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('addendum', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_addendum_observation_id'), ['observation_id'], unique=False)

    op.create_table('screening_trigger',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.String(length=32), nullable=False),
    sa.Column('sentence', sa.Text(), nullable=False),
    sa.Column('observation_ids', sa.JSON(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['screening_item.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('screening_trigger', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screening_trigger_item_id'), ['item_id'], unique=False)

    # The chain's genesis: appends lock and advance this one row (app/services/audit.py).
    op.bulk_insert(sa.table("audit_head", sa.column("id", sa.Integer),
                            sa.column("seq", sa.Integer), sa.column("row_hash", sa.String)),
                   [{"id": 1, "seq": 0, "row_hash": "0" * 64}])


def downgrade() -> None:
    with op.batch_alter_table('screening_trigger', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screening_trigger_item_id'))

    op.drop_table('screening_trigger')
    with op.batch_alter_table('addendum', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_addendum_observation_id'))

    op.drop_table('addendum')
    with op.batch_alter_table('screening_item', schema=None) as batch_op:
        batch_op.drop_index('uq_screening_item_open_prisoner', sqlite_where=sa.text('closed_at IS NULL'), postgresql_where=sa.text('closed_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_screening_item_prison_id'))

    op.drop_table('screening_item')
    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observation_review_at'))
        batch_op.drop_index(batch_op.f('ix_observation_received_at'))
        batch_op.drop_index('ix_observation_prisoner_occurred')
        batch_op.drop_index(batch_op.f('ix_observation_prison_id'))
        batch_op.drop_index(batch_op.f('ix_observation_author_id'))

    op.drop_table('observation')
    op.drop_table('catalogue_version')
    op.drop_table('audit_head')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_prisoner_id'))

    op.drop_table('audit_entry')
