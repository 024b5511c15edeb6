"""What pages show of a rectification (issue 12 item 7): for a corrected fact of an observation,
the corrected reading beside the original, "Corrected on <day> by <name>". No Reflex."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from app.i18n.labels import CORRECTED_FACT_LABELS, label
from app.i18n.locales import ENDONYMS, Locale
from app.i18n.messages import Messages
from app.vocabulary import CorrectedFact, parse

# The facts a card shows the corrections of after its facts, its assessment, and its other
# particulars (when, where, source).
BESIDE_FACTS = (CorrectedFact.FACTS.value,)
BESIDE_ASSESSMENT = (CorrectedFact.ASSESSMENT.value,)
BESIDE_PARTICULARS = tuple(f.value for f in (CorrectedFact.OCCURRED_AT, CorrectedFact.LOCATION,
                                             CorrectedFact.SOURCE))


@dataclass(frozen=True)
class CorrectionLine:
    fact: str  # the CorrectedFact code, which the card places it by
    what: str  # "Facts", "Where it happened", ... in the reader's words
    byline: str  # "Corrected on 3 Mar 2026 by Ana Jović"
    text: str  # the corrected reading, as written
    language: str  # the language it was written in
    lang: str  # its code for the lang attribute


@dataclass(frozen=True)
class CorrectionTarget:
    """An observation in the case page's addendum form: its facts one may correct."""

    label: str  # "1 Mar 2026, 14:05 · Yard"
    options: list[list[str]]  # [value "fact:observation id", the fact's words]


def _language(words: Messages, code: str | None) -> str:
    locale = parse(Locale, code)
    return ENDONYMS[locale] if locale is not None else words.t("Language not recorded")


def line(words: Messages, fact: str, author: str, at: datetime, text: str,
         locale: str | None) -> CorrectionLine:
    return CorrectionLine(
        fact=fact, what=label(words, CORRECTED_FACT_LABELS, fact),
        byline=words.t("Corrected on {day} by {name}",
                       day=words.day(at.astimezone(words.zone).date()), name=author),
        text=text, language=_language(words, locale), lang=locale or "")


def lines(words: Messages, addenda: Iterable) -> list[CorrectionLine]:
    """From the case's addenda (screening.AddendumView) or corrections_of's CorrectionView:
    those that correct a fact, oldest first."""
    out = []
    for a in addenda:
        fact = getattr(a, "corrects", None) or getattr(a, "fact", None)
        if fact:
            out.append(line(words, fact, a.author, a.at, a.text, a.locale))
    return out


def targets(words: Messages, cards: Iterable) -> list[CorrectionTarget]:
    """The case page's choice of what an addendum corrects: each observation card shown (its
    id, when and location as the card says them), with every fact."""
    facts = [[f.value, label(words, CORRECTED_FACT_LABELS, f)] for f in CorrectedFact]
    return [CorrectionTarget(words.t("{when} · {where}", when=card.when, where=card.location),
                             [[f"{code}:{card.id}", what] for code, what in facts])
            for card in cards]


def parse_target(value: object) -> tuple[str, str] | None:
    """A form's "fact:observation id" as (fact, observation id); None for a note (or junk)."""
    if not isinstance(value, str) or ":" not in value:
        return None
    fact, _, observation_id = value.partition(":")
    return (fact, observation_id) if fact and observation_id else None
