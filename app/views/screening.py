"""What the screening pages show: plain strings and flags made from the screening services' results.

No Reflex here. A page never receives a service object (which carries user ids and datetimes), only
these views, built for the person asking, in their language (a Messages): "You" instead of their
own name, dates as their locale writes them in the prisons' local time, rule sentences from the
rules' numbers, and which actions the page may offer them. Free text stays as it was written, with
the name of the language it was written in beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from app.i18n.labels import (
    CONCERN_LABELS,
    EVENT_LABELS,
    OUTCOME_LABELS,
    SOURCE_LABELS,
    STATE_LABELS,
    SUPPORT_LABELS,
    label,
)
from app.i18n.locales import ENDONYMS, Locale
from app.i18n.messages import Messages
from app.services import catalogue, flag_rules, screening
from app.services.screening import Case, QueueRow
from app.text.fold import finds
from app.views import corrections
from app.views.corrections import CorrectionLine
from app.vocabulary import EventKind, ItemState, Outcome, parse

# The queue's filter choices, as the URL spells them.
STATUS_CHOICES = ("any", ItemState.UNCLAIMED, ItemState.CLAIMED, ItemState.AWAITING_SIGN_OFF,
                  ItemState.DUE_FOR_REVIEW)
# Items a screener may claim: nobody holds them and they need someone now.
CLAIMABLE = frozenset({ItemState.UNCLAIMED, ItemState.DUE_FOR_REVIEW})
HELD_CHOICES = ("anyone", "me", "unclaimed")
MAX_QUERY = 64


def when(words: Messages, moment: datetime | None) -> str:
    """'1 Dec 2026, 14:05' as the reader's locale writes it, in the prisons' time."""
    return "" if moment is None else words.moment(moment, "medium")


def day(words: Messages, moment: datetime | None) -> str:
    return "" if moment is None else words.day(moment.astimezone(words.zone).date())


def due(words: Messages, due_at: datetime, now: datetime) -> str:
    """'Due in 3 hours (…)' or 'Was due 3 hours ago (…)': how long is left, then when."""
    if due_at >= now:
        return words.t("Due {relative} ({moment})", relative=words.relative(due_at - now),
                       moment=when(words, due_at))
    return words.t("Was due {relative} ({moment})", relative=words.relative(due_at - now),
                   moment=when(words, due_at))


def language(words: Messages, code: str | None) -> str:
    """The language a free text was written in, as that language calls itself."""
    locale = parse(Locale, code)
    return ENDONYMS[locale] if locale is not None else words.t("Language not recorded")


def refusal(words: Messages, error: screening.ScreeningError) -> str:
    """A screening command's refusal in the reader's language (a moment shown as its day)."""
    params = {name: day(words, value) if isinstance(value, datetime) else value
              for name, value in error.params.items()}
    if error.plural is not None and error.count is not None:
        return words.tn(error.message, error.plural, error.count, **params)
    return words.t(error.message, **params)


def take_over_hint(words: Messages) -> str:
    return words.tn("Why are you taking this over? At least {count} character.",
                    "Why are you taking this over? At least {count} characters.",
                    screening.MIN_TAKE_OVER_REASON)


def reason_hint(words: Messages) -> str:
    return words.tn("Reason (at least {count} character): what you read and why this decision",
                    "Reason (at least {count} characters): what you read and why this decision",
                    screening.MIN_REASON)


# How far ahead a monitoring review can be set. A choice of days, each written as the reader's
# locale writes a date, rather than the browser's date input: that one shows the browser's
# format (mm/dd/yyyy in an American build) whatever the page's language.
REVIEW_WEEKS = (1, 2, 4, 8, 13, 26)


def review_choices(words: Messages, now: datetime) -> list[list[str]]:
    """[ISO date, its words] for each review date offered, counted from today in the prisons'
    time."""
    today = now.astimezone(words.zone).date()
    out = []
    for weeks in REVIEW_WEEKS:
        chosen = today + timedelta(weeks=weeks)
        out.append([chosen.isoformat(), words.t(
            "{day} ({relative})", day=words.day(chosen, "full"),
            relative=words.tn("in {count} week", "in {count} weeks", weeks))])
    return out


def start_of_day(value: str, tz: ZoneInfo) -> datetime | None:
    """A date field's 'YYYY-MM-DD' as the first moment of that day in the prisons' time."""
    try:
        day = datetime.combine(date.fromisoformat(value.strip()), time(), tzinfo=tz)
        day.astimezone(UTC)  # 0001-01-01 at +01:00 is before the first day UTC can hold
    except (ValueError, OverflowError):
        return None
    return day


def plain(value: str) -> str:
    """Text from a URL or an event as a page may show and link it: no NUL, and a lone
    surrogate (which no UTF-8 can hold, so no link either) becomes '?'."""
    return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


# --- the queue -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    wing: str = ""
    status: str = "any"
    overdue: bool = False
    held: str = "anyone"
    search: str = ""

    @classmethod
    def from_query(cls, params: dict[str, str]) -> QueueFilters:
        """Whatever the URL says; values the page does not offer fall back to 'everything'."""
        status = params.get("status", "any")
        held = params.get("held", "anyone")
        return cls(wing=plain(params.get("wing", ""))[:8],
                   status=status if status in STATUS_CHOICES else "any",
                   overdue=params.get("overdue") == "1",
                   held=held if held in HELD_CHOICES else "anyone",
                   search=plain(params.get("q", ""))[:MAX_QUERY].strip())

    def to_url(self, path: str) -> str:
        params = {"wing": self.wing, "status": "" if self.status == "any" else self.status,
                  "overdue": "1" if self.overdue else "",
                  "held": "" if self.held == "anyone" else self.held, "q": self.search}
        query = urlencode({k: plain(v) for k, v in params.items() if v})  # handlers pass raw text
        return f"{path}?{query}" if query else path

    def keeps(self, row: QueueRow, me: str) -> bool:
        return ((not self.wing or row.wing_code == self.wing)
                and (self.status == "any" or row.state == self.status)
                and (not self.overdue or row.overdue)
                and (self.held != "me" or row.holder_id == me)
                and (self.held != "unclaimed" or row.holder_id is None)
                and finds(self.search, row.prisoner_name, row.prisoner_number))


@dataclass(frozen=True)
class QueueRowView:
    item_id: int
    href: str
    prisoner: str
    number: str
    wing: str
    reasons: list[str]
    counts: str
    first_flagged: str
    due: str
    overdue: bool
    status: str
    state: str  # the ItemState code, which the badge's colour is keyed by
    holder: str
    can_claim: bool
    can_take_over: bool


def _holder(words: Messages, holder_id: str | None, name: str | None, me: str) -> str:
    if holder_id is None:
        return words.t("Not claimed")
    return words.t("Held by you") if holder_id == me else words.t("Held by {name}", name=name)


def _counts(words: Messages, observations: int, officers: int) -> str:
    # i18n: "{observations} {officers}" is "3 observations" followed by "from 2 officers"
    return words.t("{observations} {officers}",
                   observations=words.tn("{count} observation", "{count} observations",
                                         observations),
                   officers=words.tn("from {count} officer", "from {count} officers", officers))


def reasons(words: Messages, found: tuple[screening.Reason, ...]) -> list[str]:
    """Each rule that fired, in words, and after a manual flag the officer's own reason."""
    out = []
    for reason in found:
        out.append(flag_rules.sentence(words, reason.trigger.rule_id, reason.trigger.params))
        out += [words.t("Officer's reason: {reason}", reason=text)
                for text in reason.officer_reasons]
    return out


def queue_row(row: QueueRow, me: str, words: Messages, now: datetime) -> QueueRowView:
    return QueueRowView(
        item_id=row.item_id, href=f"/screening/{row.item_id}", prisoner=row.prisoner_name,
        number=row.prisoner_number, wing=words.t("Wing {wing}", wing=row.wing_code),
        reasons=reasons(words, row.reasons),
        counts=_counts(words, row.observation_count, row.officer_count),
        first_flagged=words.t("First flagged {moment}", moment=when(words, row.first_flagged)),
        due=due(words, row.due_at, now), overdue=row.overdue,
        status=label(words, STATE_LABELS, row.state), state=row.state,
        holder=_holder(words, row.holder_id, row.holder, me), can_claim=row.state in CLAIMABLE,
        can_take_over=row.state == ItemState.CLAIMED and row.holder_id != me)


# --- the case --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddendumLine:
    byline: str  # who and when
    text: str
    language: str  # the language the text was written in
    lang: str  # its code for the page's lang attribute ("" is HTML's "unknown")


@dataclass(frozen=True)
class ObservationCard:
    id: str
    when: str
    location: str
    kind: str  # an IndicatorKind code
    indicators: list[str]
    facts: str
    assessment: str
    source: str
    concern: str
    flagged: bool
    flag_reason: str
    language: str  # of its facts, assessment and reason
    lang: str
    addenda: list[AddendumLine]
    # Rectification (issue 12): corrected readings, shown beside the facts they correct.
    corrections: list[CorrectionLine] = field(default_factory=list)


@dataclass(frozen=True)
class HistoryLine:
    when: str
    what: str
    who: str
    text: str
    language: str = ""  # of the text, when there is one
    lang: str = ""


@dataclass(frozen=True)
class CaseView:
    item_id: int = 0
    prisoner: str = ""
    number: str = ""
    wing: str = ""
    status: str = ""
    state: str = ""
    opened: str = ""
    due: str = ""
    overdue: bool = False
    holder: str = ""
    decision: str = ""
    why: list[str] = field(default_factory=list)
    timeline: list[ObservationCard] = field(default_factory=list)
    history: list[HistoryLine] = field(default_factory=list)
    previous: list[HistoryLine] = field(default_factory=list)
    can_claim: bool = False
    can_take_over: bool = False
    can_decide: bool = False
    can_sign_off: bool = False
    sign_off_refused: str = ""


def _indicator(words: Messages, indicator: screening.IndicatorView) -> str:
    """An indicator's label in the reader's language, as the observation's version words it."""
    try:
        return catalogue.text(indicator.catalogue_version, words.locale.value, indicator.code)
    except KeyError:
        return indicator.code


def _card(obs: screening.ObservationView, locations: dict[str, str],
          words: Messages) -> ObservationCard:
    return ObservationCard(
        id=obs.id, when=when(words, obs.occurred_at),
        location=words.t(locations.get(obs.location, obs.location)), kind=obs.kind,
        indicators=[_indicator(words, i) for i in obs.indicators], facts=obs.facts,
        assessment=obs.assessment or "", source=words.t("Source: {source}",
                                                      source=label(words, SOURCE_LABELS,
                                                                   obs.source)),
        concern=words.t("Concern: {level}", level=label(words, CONCERN_LABELS, obs.concern)),
        flagged=obs.flagged, flag_reason=obs.flag_reason or "",
        language=language(words, obs.locale), lang=obs.locale or "",
        addenda=[AddendumLine(words.t("{author}, {moment}", author=a.author,
                                      moment=when(words, a.at)),
                              a.text, language(words, a.locale), a.locale or "")
                 for a in obs.addenda if not a.corrects],
        corrections=corrections.lines(words, obs.addenda))


def _decision_words(words: Messages, outcome: str, support: str | None,
                    review_on: datetime | None) -> str:
    """'Decision: Monitor, review on 1 Dec 2026', as the record and the header say it."""
    said = label(words, OUTCOME_LABELS, outcome)
    if support:
        return words.t("Decision: {outcome} ({support})", outcome=said,
                       support=label(words, SUPPORT_LABELS, support))
    if outcome == Outcome.MONITOR and review_on:
        return words.t("Decision: {outcome}, review on {day}", outcome=said,
                       day=day(words, review_on))
    return words.t("Decision: {outcome}", outcome=said)


def _event_line(ev: screening.EventView, words: Messages) -> HistoryLine:
    what = label(words, EVENT_LABELS, ev.kind)
    if ev.kind == EventKind.DECISION and ev.outcome:
        what = _decision_words(words, ev.outcome, ev.support_kind, ev.review_on)
    return HistoryLine(when=when(words, ev.at), what=what, who=ev.actor, text=ev.text or "",
                       language=language(words, ev.locale) if ev.text else "",
                       lang=ev.locale or "")


def _previous_line(item: screening.PreviousItem, words: Messages) -> HistoryLine:
    outcome = (label(words, OUTCOME_LABELS, item.outcome) if item.outcome
               else words.t("No decision recorded"))
    flagged = (words.t("Flagged {day}, closed {closed}", day=day(words, item.opened_at),
                       closed=day(words, item.closed_at)) if item.closed_at
               else words.t("Flagged {day}", day=day(words, item.opened_at)))
    return HistoryLine(when=flagged, what=outcome, who=label(words, STATE_LABELS, item.state),
                       text="")


def case_view(case: Case, me: str, locations: dict[str, str], words: Messages,
              now: datetime) -> CaseView:
    status = case.status
    own_referral = status.state == ItemState.AWAITING_SIGN_OFF and status.decided_by == me
    return CaseView(
        item_id=case.item_id, prisoner=case.prisoner_name, number=case.prisoner_number,
        wing=words.t("Wing {wing}", wing=case.wing_code),
        status=label(words, STATE_LABELS, status.state), state=status.state,
        opened=words.t("First flagged {moment}", moment=when(words, case.opened_at)),
        due=due(words, status.due_at, now), overdue=status.overdue,
        holder=_holder(words, status.holder_id, case.holder, me),
        decision=(_decision_words(words, status.outcome, status.support_kind, status.review_on)
                  if status.outcome else ""),
        why=[flag_rules.sentence(words, t.rule_id, t.params) for t in case.triggers]
        + [words.t("Officer's reason: {reason}", reason=o.flag_reason) for o in case.timeline
           if o.flag_reason and any(o.id in t.observation_ids for t in case.triggers)],
        timeline=[_card(o, locations, words) for o in case.timeline],
        history=[_event_line(e, words) for e in case.events],
        previous=[_previous_line(p, words) for p in case.previous],
        can_claim=status.state in CLAIMABLE,
        can_take_over=status.state == ItemState.CLAIMED and status.holder_id != me,
        can_decide=status.state == ItemState.CLAIMED and status.holder_id == me,
        can_sign_off=status.state == ItemState.AWAITING_SIGN_OFF and not own_referral,
        sign_off_refused=(words.t("You made this referral; another member of treatment staff "
                                  "signs it off.") if own_referral else ""))
