"""data protection: tombstones, retention runs and their lock, the review list, legal holds,
restrictions, corrections; trend decisions outlive an erased screening record

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'retention_run',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('started_at', sa.DateTime(), nullable=False, index=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('trigger', sa.String(12), nullable=False),
        sa.Column('dry_run', sa.Boolean(), nullable=False),
        sa.Column('summary', sa.JSON(), nullable=False),
    )
    op.create_table(
        'erased_record',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('record_class', sa.String(40), nullable=False),
        sa.Column('record_id', sa.String(64), nullable=False, index=True),
        sa.Column('action', sa.String(12), nullable=False),
        sa.Column('rule_id', sa.String(64), nullable=False),
        sa.Column('reference_on', sa.Date(), nullable=False),
        sa.Column('happened_on', sa.Date(), nullable=True),
        sa.Column('erased_at', sa.DateTime(), nullable=False, index=True),
        sa.Column('run_id', sa.Integer(), sa.ForeignKey('retention_run.id'), nullable=True),
        sa.Column('prison_id', sa.String(36), nullable=True),
        sa.Column('wing_id', sa.String(36), nullable=True),
        sa.Column('week', sa.Date(), nullable=True),
        sa.Column('concern', sa.String(8), nullable=True),
        sa.Column('concern_observation', sa.Boolean(), nullable=True),
        sa.Column('indicators', sa.JSON(), nullable=True),
        sa.Column('catalogue_version', sa.String(32), nullable=True),
        sa.Column('flagged', sa.Boolean(), nullable=True),
        sa.UniqueConstraint('record_class', 'record_id'),
    )
    op.create_table(
        'job_lock',
        sa.Column('name', sa.String(32), primary_key=True),
        sa.Column('holder', sa.String(64), nullable=True),
        sa.Column('until', sa.DateTime(), nullable=True),
        sa.Column('last_day', sa.Date(), nullable=True),
    )
    op.create_table(
        'review_entry',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('record_class', sa.String(40), nullable=False),
        sa.Column('record_id', sa.String(64), nullable=False),
        sa.Column('prison_id', sa.String(36), sa.ForeignKey('prison.id'), nullable=True),
        sa.Column('prisoner_id', sa.String(36), sa.ForeignKey('prisoner.id'), nullable=True),
        sa.Column('rule_id', sa.String(64), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('queued_at', sa.DateTime(), nullable=False),
        sa.Column('decision', sa.String(12), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('decided_by', sa.String(36), sa.ForeignKey('app_user.id'), nullable=True),
        sa.Column('extended_to', sa.Date(), nullable=True),
        sa.Column('reason_enc', sa.Text(), nullable=True),
        sa.Column('locale', sa.String(16), nullable=True),
    )
    op.create_index('ix_review_entry_open', 'review_entry', ['prison_id', 'decided_at', 'due_on'])
    op.create_table(
        'legal_hold',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('subject', sa.String(12), nullable=False),
        sa.Column('subject_id', sa.String(64), nullable=False),
        sa.Column('prison_id', sa.String(36), sa.ForeignKey('prison.id'), nullable=False),
        sa.Column('prisoner_id', sa.String(36), sa.ForeignKey('prisoner.id'), nullable=False,
                  index=True),
        sa.Column('reason_enc', sa.Text(), nullable=False),
        sa.Column('locale', sa.String(16), nullable=True),
        sa.Column('until', sa.Date(), nullable=False),
        sa.Column('placed_by', sa.String(36), sa.ForeignKey('app_user.id'), nullable=False),
        sa.Column('placed_at', sa.DateTime(), nullable=False),
        sa.Column('released_by', sa.String(36), sa.ForeignKey('app_user.id'), nullable=True),
        sa.Column('released_at', sa.DateTime(), nullable=True),
    )
    op.create_index('ix_legal_hold_subject', 'legal_hold', ['subject', 'subject_id'])
    op.create_table(
        'restriction',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('prisoner_id', sa.String(36), sa.ForeignKey('prisoner.id'), nullable=False,
                  index=True),
        sa.Column('prison_id', sa.String(36), sa.ForeignKey('prison.id'), nullable=False),
        sa.Column('ground', sa.String(24), nullable=False),
        sa.Column('reason_enc', sa.Text(), nullable=False),
        sa.Column('locale', sa.String(16), nullable=True),
        sa.Column('placed_by', sa.String(36), sa.ForeignKey('app_user.id'), nullable=False),
        sa.Column('placed_at', sa.DateTime(), nullable=False),
        sa.Column('lifted_by', sa.String(36), sa.ForeignKey('app_user.id'), nullable=True),
        sa.Column('lifted_at', sa.DateTime(), nullable=True),
        sa.Column('lift_reason_enc', sa.Text(), nullable=True),
        sa.Column('lift_locale', sa.String(16), nullable=True),
    )
    op.create_table(
        'restriction_opening',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('restriction_id', sa.Integer(), sa.ForeignKey('restriction.id'),
                  nullable=False, index=True),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('opened_by', sa.String(36), sa.ForeignKey('app_user.id'), nullable=False),
        sa.Column('opened_at', sa.DateTime(), nullable=False),
        sa.Column('reason_enc', sa.Text(), nullable=False),
        sa.Column('locale', sa.String(16), nullable=True),
    )
    with op.batch_alter_table('addendum') as batch_op:
        batch_op.add_column(sa.Column('corrects', sa.String(16), nullable=True))
    _trend_decision_without_event_key()
    _ids_never_reused()
    # The retention run's first cut, "made more than a period ago", read in pages along it.
    op.create_index('ix_observation_occurred_at', 'observation', ['occurred_at', 'id'])


def _trend_decision_without_event_key() -> None:
    """An erased screening record takes its events; its decisions stay counted."""
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint('trend_decision_event_id_fkey', 'trend_decision', type_='foreignkey')
        return
    # SQLite cannot drop a constraint: the table is made again without it.
    op.drop_index('ix_trend_decision_prison_at', table_name='trend_decision')
    op.rename_table('trend_decision', 'trend_decision_old')
    op.create_table(
        'trend_decision',
        sa.Column('event_id', sa.Integer(), autoincrement=False, primary_key=True),
        sa.Column('prison_id', sa.String(36), sa.ForeignKey('prison.id'), nullable=False),
        sa.Column('wing_id', sa.String(36), sa.ForeignKey('wing.id'), nullable=False),
        sa.Column('decided_at', sa.DateTime(), nullable=False),
        sa.Column('outcome', sa.String(24), nullable=False),
        sa.Column('hours_to_first', sa.Float(), nullable=True),
    )
    op.execute('INSERT INTO trend_decision SELECT event_id, prison_id, wing_id, decided_at, '
               'outcome, hours_to_first FROM trend_decision_old')
    op.drop_table('trend_decision_old')
    op.create_index('ix_trend_decision_prison_at', 'trend_decision',
                    ['prison_id', 'decided_at', 'wing_id', 'outcome', 'hours_to_first'])


# Parents before children: the order they are made again in (and dropped in, reversed).
NEVER_REUSED = ('screening_item', 'screening_trigger', 'screening_event', 'addendum')


def _ids_never_reused() -> None:
    """An erased screening record or addendum must not hand its id to the next one: tombstones,
    review entries, holds, trend_decision rows and audit rows name records by id. PostgreSQL's
    sequences never go back; SQLite gives a new row the largest id + 1, so erasing the newest
    would hand its id on, unless the table is AUTOINCREMENT. SQLite cannot change that on a
    table, and a parent cannot be dropped while foreign keys are on and children point at it:
    the four tables are copied aside, dropped children first, made again with AUTOINCREMENT and
    filled back, with their indexes."""
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        return
    tables, indexes = {}, []
    for name in NEVER_REUSED:
        (sql,) = bind.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).one()
        head = '\tid INTEGER NOT NULL, \n'
        key = ', \n\tPRIMARY KEY (id)'
        if 'AUTOINCREMENT' in sql:
            continue
        assert sql.count(head) == 1 and sql.count(key) == 1, sql
        tables[name] = sql.replace(head, '\tid INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, \n'
                                   ).replace(key, '')
        indexes += [row[0] for row in bind.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL", (name,))]
    for name in tables:
        bind.exec_driver_sql(f'CREATE TABLE _kept_{name} AS SELECT * FROM "{name}"')
    for name in reversed(list(tables)):
        bind.exec_driver_sql(f'DROP TABLE "{name}"')
    for name, sql in tables.items():
        bind.exec_driver_sql(sql)
        bind.exec_driver_sql(f'INSERT INTO "{name}" SELECT * FROM _kept_{name} ORDER BY id')
        bind.exec_driver_sql(f'DROP TABLE _kept_{name}')
    for sql in indexes:
        bind.exec_driver_sql(sql)


def downgrade() -> None:
    # Decisions whose screening record was erased cannot point at it again: they go.
    op.execute('DELETE FROM trend_decision WHERE event_id NOT IN (SELECT id FROM screening_event)')
    if op.get_bind().dialect.name == 'postgresql':
        op.create_foreign_key('trend_decision_event_id_fkey', 'trend_decision',
                              'screening_event', ['event_id'], ['id'])
    else:
        with op.batch_alter_table('trend_decision') as batch_op:
            batch_op.create_foreign_key('fk_trend_decision_event', 'screening_event',
                                        ['event_id'], ['id'])
    op.drop_index('ix_observation_occurred_at', table_name='observation')
    with op.batch_alter_table('addendum') as batch_op:
        batch_op.drop_column('corrects')
    for table in ('restriction_opening', 'restriction', 'legal_hold', 'review_entry',
                  'job_lock', 'erased_record', 'retention_run'):
        op.drop_table(table)
