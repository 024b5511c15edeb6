"""postings with dates; roster history; closed wings; each prison's locations; password resets

user_wing (an officer's wings, no dates) becomes posting rows of scope "wing"; treatment staff
and security heads with a prison get a "prison" posting there, a security head without one a
"central" posting: what each could see before, they see after. Postings start on the day the
account was made. Prisoners get admission and release dates and a move history; wings a closing
day; users a must-change-password mark and their last sign-in; every prison the standard
locations it offered before.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from datetime import date, timedelta

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# The standard location codes as they were when this revision was written: history, frozen.
LOCATIONS = ("cell", "landing", "yard", "workshop", "education", "visits", "multi_faith_room",
             "healthcare", "dining_hall", "gym", "library", "reception", "segregation", "mail",
             "other")


def upgrade() -> None:
    op.create_table(
        'posting',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('user_id', sa.String(36), sa.ForeignKey('app_user.id'), nullable=False),
        sa.Column('scope', sa.String(12), nullable=False),
        sa.Column('prison_id', sa.String(36), sa.ForeignKey('prison.id'), nullable=True),
        sa.Column('wing_id', sa.String(36), sa.ForeignKey('wing.id'), nullable=True),
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.Column('valid_to', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_posting_user_id', 'posting', ['user_id'])
    op.create_table(
        'prisoner_move',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('prisoner_id', sa.String(36), sa.ForeignKey('prisoner.id'), nullable=False),
        sa.Column('from_wing_id', sa.String(36), sa.ForeignKey('wing.id'), nullable=False),
        sa.Column('to_wing_id', sa.String(36), sa.ForeignKey('wing.id'), nullable=False),
        sa.Column('moved_on', sa.Date(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_prisoner_move_prisoner_id', 'prisoner_move', ['prisoner_id'])
    op.create_table(
        'prison_location',
        sa.Column('prison_id', sa.String(36), sa.ForeignKey('prison.id'), primary_key=True),
        sa.Column('code', sa.String(32), primary_key=True),
        sa.Column('names', sa.JSON(), nullable=True),
        sa.Column('position', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('retired', sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    # Plain ADD/DROP COLUMN, not batch: SQLite's batch copies the table, and dropping the old
    # copy of one that rows of other tables point at fails with foreign keys on.
    op.add_column('wing', sa.Column('closed_on', sa.Date(), nullable=True))
    op.add_column('prisoner', sa.Column('admitted_on', sa.Date(), nullable=True))
    op.add_column('prisoner', sa.Column('released_on', sa.Date(), nullable=True))
    op.add_column('app_user', sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                        server_default=sa.false()))
    op.add_column('app_user', sa.Column('last_sign_in_at', sa.DateTime(), nullable=True))
    _postings_from_before()
    _standard_locations()
    op.drop_table('user_wing')


def _postings_from_before() -> None:
    bind = op.get_bind()
    users = bind.execute(sa.text("SELECT id, role, prison_id, created_at FROM app_user")).all()
    wings = bind.execute(sa.text(
        "SELECT uw.user_id, uw.wing_id, w.prison_id FROM user_wing uw "
        "JOIN wing w ON w.id = uw.wing_id")).all()
    created = {user_id: at for user_id, _, _, at in users}
    rows = [{"user_id": user_id, "scope": "wing", "prison_id": prison_id, "wing_id": wing_id,
             "valid_from": _day(created[user_id]), "created_at": created[user_id]}
            for user_id, wing_id, prison_id in wings]
    for user_id, role, prison_id, at in users:
        if role in ("treatment", "security_head") and prison_id:
            rows.append({"user_id": user_id, "scope": "prison", "prison_id": prison_id,
                         "wing_id": None, "valid_from": _day(at), "created_at": at})
        elif role == "security_head":
            rows.append({"user_id": user_id, "scope": "central", "prison_id": None,
                         "wing_id": None, "valid_from": _day(at), "created_at": at})
    if rows:
        bind.execute(sa.text(
            "INSERT INTO posting (user_id, scope, prison_id, wing_id, valid_from, created_at) "
            "VALUES (:user_id, :scope, :prison_id, :wing_id, :valid_from, :created_at)"), rows)


def _day(at) -> date:
    # SQLite hands back text, PostgreSQL a datetime: the first ten characters are the UTC date
    # either way. A day early at worst (not the prisons' zone), so nobody loses sight of anything.
    return date.fromisoformat(str(at)[:10]) - timedelta(days=1)


def _standard_locations() -> None:
    bind = op.get_bind()
    prisons = bind.execute(sa.text("SELECT id FROM prison")).scalars().all()
    rows = [{"prison_id": prison, "code": code, "position": n}
            for prison in prisons for n, code in enumerate(LOCATIONS)]
    if rows:
        bind.execute(sa.text("INSERT INTO prison_location (prison_id, code, position, retired) "
                             "VALUES (:prison_id, :code, :position, false)"), rows)


def downgrade() -> None:
    op.create_table(
        'user_wing',
        sa.Column('user_id', sa.String(36), sa.ForeignKey('app_user.id'), primary_key=True),
        sa.Column('wing_id', sa.String(36), sa.ForeignKey('wing.id'), primary_key=True),
    )
    op.execute("INSERT INTO user_wing (user_id, wing_id) SELECT DISTINCT user_id, wing_id "
               "FROM posting WHERE scope = 'wing'")
    for table, column in (('app_user', 'last_sign_in_at'), ('app_user', 'must_change_password'),
                          ('prisoner', 'released_on'), ('prisoner', 'admitted_on'),
                          ('wing', 'closed_on')):
        op.drop_column(table, column)
    op.drop_table('prison_location')
    op.drop_table('prisoner_move')
    op.drop_table('posting')
