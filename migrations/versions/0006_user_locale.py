"""a locale per user

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# The locales of this revision, written out: a later locale needs a migration of its own.
LOCALES = ('sq', 'sr-Cyrl', 'sr-Latn', 'mk', 'bs', 'hr', 'cnr', 'en')


def upgrade() -> None:
    with op.batch_alter_table('app_user') as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=16), server_default='en',
                                      nullable=False))
        batch_op.create_check_constraint(
            'ck_app_user_locale', 'locale IN (' + ', '.join(f"'{code}'" for code in LOCALES) + ')')


def downgrade() -> None:
    with op.batch_alter_table('app_user') as batch_op:
        batch_op.drop_constraint('ck_app_user_locale', type_='check')
        batch_op.drop_column('locale')
