"""What the legal-hold panel of the screening case page shows (issue 12 item 4): the holds on
this item and on its prisoner's observations, and what may be put on hold, as plain strings in
the reader's language. The reason is free text, shown with the language it was written in."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.i18n.messages import Messages
from app.services.legal_holds import MIN_REASON, CaseHolds, HoldRecord
from app.views.screening import language
from app.vocabulary import HoldSubject

ITEM_CHOICE = "item"  # the subject select's value for "this item with its observations"


@dataclass(frozen=True)
class HoldLine:
    id: int
    what: str  # "This screening item with its observations" / "The observation of …"
    until: str
    reason: str
    language: str  # of the reason
    lang: str
    byline: str  # placed by whom, when; released by whom, when
    in_force: bool


@dataclass(frozen=True)
class HoldPanel:
    item_held: str = ""  # "This item and its observations are on legal hold until …", or ''
    holds: list[HoldLine] = field(default_factory=list)
    choices: list[list[str]] = field(default_factory=list)  # [value, words]


def _when(words: Messages, moment) -> str:
    return words.moment(moment, "medium") if moment is not None else "–"


def _line(words: Messages, hold: HoldRecord) -> HoldLine:
    what = (words.t("This screening item with its observations")
            if hold.subject == HoldSubject.ITEM
            else words.t("The observation of {moment}",
                         moment=_when(words, hold.observation_at)))
    byline = words.t("Placed by {name}, {moment}", name=hold.placed_by,
                     moment=_when(words, hold.placed_at))
    if hold.released_at is not None:
        byline = words.t("{placed}; released by {name}, {moment}", placed=byline,
                         name=hold.released_by or "", moment=_when(words, hold.released_at))
    until = (words.t("Held until {day}", day=words.day(hold.until)) if hold.in_force
             else words.t("Ended; it was to hold until {day}", day=words.day(hold.until)))
    return HoldLine(id=hold.id, what=what, until=until, reason=hold.reason,
                    language=language(words, hold.locale), lang=hold.locale or "",
                    byline=byline, in_force=hold.in_force)


def hold_panel(found: CaseHolds, words: Messages) -> HoldPanel:
    choices = [[ITEM_CHOICE, words.t("This screening item with its observations")]]
    for obs in found.observations:
        text = words.t("The observation of {moment}, wing {wing}",
                       moment=_when(words, obs.occurred_at), wing=obs.wing_code)
        if obs.held_until is not None:
            text = words.t("{observation} (held until {day})", observation=text,
                           day=words.day(obs.held_until))
        choices.append([obs.id, text])
    return HoldPanel(
        item_held=(words.t("This item and its observations are on legal hold until {day}. "
                           "The retention schedule leaves them alone until then.",
                           day=words.day(found.item_held_until))
                   if found.item_held_until else ""),
        holds=[_line(words, h) for h in found.holds], choices=choices)


def hold_reason_hint(words: Messages) -> str:
    """The hold's reason field, named apart from the decision's reason beside it on the case
    page (two fields of one name confuse a screen reader, and a person)."""
    return words.tn("Reason for the hold (at least {count} character)",
                    "Reason for the hold (at least {count} characters)", MIN_REASON)
