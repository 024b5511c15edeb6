"""flag-rule firings as rule id and numbers; the language of each free text

screening_trigger.sentence (an English sentence) becomes params (JSON: the rule's numbers and
codes), which app/services/flag_rules.sentence renders in the reader's language. Observations,
addenda and screening events get a nullable locale: the language their free text was written in
(NULL for what was written before anyone recorded it).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

import json
import re

from alembic import op
import sqlalchemy as sa

from app.services import catalogue


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

TEXT_TABLES = ('observation', 'addendum', 'screening_event')

# The English sentences revisions 0002-0007 stored, written out: they are history, frozen.
MANUAL = ("An officer flagged this observation for screening and gave a reason (shown with the "
          "observation).")
IMMEDIATE = "Recorded an indicator that needs attention at once: {labels}."
PATTERN = ("{observations} concern observations about this prisoner within {days} days, from "
           "{officers} officer(s) in {categories} indicator categor{ending}.")
PATTERN_READ = re.compile(r"(\d+) concern observations about this prisoner within (\d+) days, "
                          r"from (\d+) officer\(s\) in (\d+) indicator categor(?:y|ies)\.")


def upgrade() -> None:
    for table in TEXT_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('locale', sa.String(length=16), nullable=True))
    with op.batch_alter_table('screening_trigger') as batch_op:
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))
    conn = op.get_bind()
    for trigger_id, rule_id, sentence, observation_ids in conn.execute(sa.text(
            "SELECT id, rule_id, sentence, observation_ids FROM screening_trigger")).all():
        params = _params(conn, rule_id, sentence, _ids(observation_ids))
        conn.execute(sa.text("UPDATE screening_trigger SET params = :params WHERE id = :id"),
                     {"params": json.dumps(params), "id": trigger_id})
    with op.batch_alter_table('screening_trigger') as batch_op:
        batch_op.alter_column('params', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('sentence')


def _ids(stored) -> list[str]:
    return json.loads(stored) if isinstance(stored, str) else list(stored)


def _params(conn, rule_id: str, sentence: str, observation_ids: list[str]) -> dict:
    """What the sentence said, as numbers: read back from the sentence where it says them,
    else recomputed from the observations it names (the same data the rule saw)."""
    if rule_id == 'R2-immediate':
        version, codes = conn.execute(sa.text(
            "SELECT catalogue_version, indicators FROM observation WHERE id = :id"),
            {"id": observation_ids[0]}).one()
        found = catalogue.get(version)
        urgent = [code for code in _ids(codes)
                  if found is not None and code in found.indicators
                  and found.indicators[code].immediate]
        return {"catalogue_version": version, "indicators": urgent}
    if rule_id == 'R3-pattern':
        if read := PATTERN_READ.fullmatch(sentence or ""):
            observations, days, officers, categories = map(int, read.groups())
            return {"observations": observations, "officers": officers,
                    "categories": categories, "days": days}
        rows = conn.execute(sa.text("SELECT author_id, categories FROM observation "
                                    "WHERE id IN :ids").bindparams(
            sa.bindparam("ids", expanding=True)), {"ids": observation_ids}).all()
        return {"observations": len(observation_ids),
                "officers": len({author for author, _ in rows}),
                "categories": len({c for _, cats in rows for c in _ids(cats)}), "days": 30}
    return {}


def downgrade() -> None:
    with op.batch_alter_table('screening_trigger') as batch_op:
        batch_op.add_column(sa.Column('sentence', sa.Text(), nullable=True))
    conn = op.get_bind()
    for trigger_id, rule_id, params in conn.execute(sa.text(
            "SELECT id, rule_id, params FROM screening_trigger")).all():
        params = json.loads(params) if isinstance(params, str) else params
        conn.execute(sa.text("UPDATE screening_trigger SET sentence = :sentence WHERE id = :id"),
                     {"sentence": _english(rule_id, params), "id": trigger_id})
    with op.batch_alter_table('screening_trigger') as batch_op:
        batch_op.alter_column('sentence', existing_type=sa.Text(), nullable=False)
        batch_op.drop_column('params')
    for table in TEXT_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('locale')


def _english(rule_id: str, params: dict) -> str:
    """The sentence revision 0007 stored for these numbers."""
    if rule_id == 'R2-immediate':
        found = catalogue.get(params["catalogue_version"])
        return IMMEDIATE.format(labels="; ".join(
            found.indicators[code].label if found and code in found.indicators else code
            for code in params["indicators"]))
    if rule_id == 'R3-pattern':
        return PATTERN.format(**params, ending='y' if params["categories"] == 1 else 'ies')
    return MANUAL
