"""the pseudo-locale en-XA may be a user's locale (the tests that find untranslated text)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# The locales of this revision, written out: a later locale needs a migration of its own.
BEFORE = ('sq', 'sr-Cyrl', 'sr-Latn', 'mk', 'bs', 'hr', 'cnr', 'en')
AFTER = BEFORE + ('en-XA',)


def _check(locales: tuple[str, ...]) -> str:
    return 'locale IN (' + ', '.join(f"'{code}'" for code in locales) + ')'


def upgrade() -> None:
    with op.batch_alter_table('app_user') as batch_op:
        batch_op.drop_constraint('ck_app_user_locale', type_='check')
        batch_op.create_check_constraint('ck_app_user_locale', _check(AFTER))


def downgrade() -> None:
    op.execute("UPDATE app_user SET locale = 'en' WHERE locale = 'en-XA'")
    with op.batch_alter_table('app_user') as batch_op:
        batch_op.drop_constraint('ck_app_user_locale', type_='check')
        batch_op.create_check_constraint('ck_app_user_locale', _check(BEFORE))
