"""docs/glossary.md: one term per locale in every row, and its sr-Cyrl column is the transliteration
of sr-Latn, never typed by hand (issue 10)."""

from __future__ import annotations

from pathlib import Path

from app.i18n.locales import SPOKEN

LOCALES = [locale.value for locale in SPOKEN]  # the pseudo-locale has no glossary
from app.text.translit import to_cyrillic

GLOSSARY = Path(__file__).resolve().parent.parent / "docs" / "glossary.md"


def _rows() -> list[dict[str, str]]:
    lines = [line for line in GLOSSARY.read_text(encoding="utf-8").splitlines()
             if line.startswith("|") and not line.startswith("|---")]
    header, *body = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    return [dict(zip(header, cells, strict=True)) for cells in body]


def test_every_term_has_a_word_in_every_locale():
    rows = _rows()
    assert len(rows) >= 20 and set(rows[0]) == set(LOCALES)
    for row in rows:
        assert all(row.values()), row
    terms = [row["en"] for row in rows]
    assert len(terms) == len(set(terms))
    for term in ("observation", "flag (raised by a rule)", "screening", "wing", "landing",
                 "prisoner", "treatment staff", "security head", "protective factor", "addendum",
                 "sign-off", "indicator", "referral", "risk and needs assessment", "review date"):
        assert term in terms, term


def test_sr_cyrl_column_is_the_transliteration_of_sr_latn():
    for row in _rows():
        assert row["sr-Cyrl"] == to_cyrillic(row["sr-Latn"]), row["en"]
