"""What pages show of a restriction of processing (issue 12 item 5): plain strings made from
app/services/restrictions.py's results for the person asking, in their language. No Reflex.

A restricted prisoner's case page shows who the prisoner is and the banner until the reader opens
it with a reason (`withheld_case`: nothing else of the case reaches the page's state); after
that the case as usual, with the banner still there.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n.labels import RESTRICTION_GROUND_LABELS, label
from app.i18n.messages import Messages
from app.services import restrictions
from app.services.restrictions import RestrictionError, RestrictionInfo
from app.services.screening import Case
from app.views.screening import CaseView


@dataclass(frozen=True)
class RestrictionBanner:
    shown: bool = False
    title: str = ""  # "Processing restricted: accuracy contested"
    detail: str = ""  # since when, by whom, what it means
    opened: str = ""  # after an opening: that it was recorded, else ""


def ground(words: Messages, code: str) -> str:
    return label(words, RESTRICTION_GROUND_LABELS, code)


def banner(info: RestrictionInfo | None, words: Messages, opened: bool = False
           ) -> RestrictionBanner:
    if info is None:
        return RestrictionBanner()
    return RestrictionBanner(
        shown=True,
        title=words.t("Processing restricted: {ground}", ground=ground(words, info.ground)),
        detail=words.t("Restricted since {day} by {name}. This prisoner's records are out of "
                       "the screening queue and the trends, and are read only by opening them "
                       "with a reason, which is recorded.",
                       day=words.day(info.since.astimezone(words.zone).date()), name=info.by),
        opened=words.t("You opened this restricted record; the opening and your reason are "
                       "recorded.") if opened else "")


def withheld_case(case: Case, words: Messages) -> CaseView:
    """Who the prisoner is, nothing of the record."""
    return CaseView(item_id=case.item_id, prisoner=case.prisoner_name,
                    number=case.prisoner_number,
                    wing=words.t("Wing {wing}", wing=case.wing_code))


def open_hint(words: Messages) -> str:
    return words.tn("Why do you need to read it? At least {count} character.",
                    "Why do you need to read it? At least {count} characters.",
                    restrictions.MIN_REASON)


def queue_note(words: Messages, count: int) -> str:
    """How many items the queue does not show because their records are restricted: the count
    only, never whose."""
    if count <= 0:
        return ""
    return words.tn("{count} item is not shown: its prisoner's records are restricted.",
                    "{count} items are not shown: their prisoners' records are restricted.",
                    count)


def refusal(words: Messages, error: RestrictionError) -> str:
    if error.plural is not None and error.count is not None:
        return words.tn(error.message, error.plural, error.count, **error.params)
    return words.t(error.message, **error.params)
