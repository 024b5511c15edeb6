"""What the screening pages show: plain strings and flags made from the screening services' results.

No Reflex here. A page never receives a service object (which carries user ids and datetimes), only
these views, built for the person asking: "You" instead of their own name, dates in the prisons'
local time, and which actions the page may offer them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from app.services import screening
from app.services.screening import Case, QueueRow
from app.i18n.labels import (
    CONCERN_LABELS,
    EVENT_LABELS,
    OUTCOME_LABELS,
    SOURCE_LABELS,
    STATE_LABELS,
    SUPPORT_LABELS,
)
from app.text.fold import finds
from app.vocabulary import ConcernLevel, EventKind, ItemState, Outcome, Source, SupportKind

# The queue's filter choices, as the URL spells them.
STATUS_CHOICES = ("any", ItemState.UNCLAIMED, ItemState.CLAIMED, ItemState.AWAITING_SIGN_OFF,
                  ItemState.DUE_FOR_REVIEW)
# Items a screener may claim: nobody holds them and they need someone now.
CLAIMABLE = frozenset({ItemState.UNCLAIMED, ItemState.DUE_FOR_REVIEW})
HELD_CHOICES = ("anyone", "me", "unclaimed")
MAX_QUERY = 64


def when(moment: datetime | None, tz: ZoneInfo) -> str:
    """'21 Nov 2026, 14:05' in the prisons' time."""
    return "" if moment is None else moment.astimezone(tz).strftime("%d %b %Y, %H:%M")


def day(moment: datetime | None, tz: ZoneInfo) -> str:
    return "" if moment is None else moment.astimezone(tz).strftime("%d %b %Y")


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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _holder(holder_id: str | None, name: str | None, me: str) -> str:
    if holder_id is None:
        return "Not claimed"
    return "Held by you" if holder_id == me else f"Held by {name or 'another user'}"


def queue_row(row: QueueRow, me: str, tz: ZoneInfo) -> QueueRowView:
    return QueueRowView(
        item_id=row.item_id, href=f"/screening/{row.item_id}", prisoner=row.prisoner_name,
        number=row.prisoner_number, wing=row.wing_code, reasons=list(row.reasons),
        counts=(f"{_plural(row.observation_count, 'observation')} from "
                f"{_plural(row.officer_count, 'officer')}"),
        first_flagged=when(row.first_flagged, tz), due=when(row.due_at, tz), overdue=row.overdue,
        status=STATE_LABELS[row.state], state=row.state,
        holder=_holder(row.holder_id, row.holder, me), can_claim=row.state in CLAIMABLE,
        can_take_over=row.state == ItemState.CLAIMED and row.holder_id != me)


# --- the case --------------------------------------------------------------------------------


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
    addenda: list[str]


@dataclass(frozen=True)
class HistoryLine:
    when: str
    what: str
    who: str
    text: str


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


def _card(obs: screening.ObservationView, locations: dict[str, str],
          tz: ZoneInfo) -> ObservationCard:
    return ObservationCard(
        id=obs.id, when=when(obs.occurred_at, tz), location=locations.get(obs.location,
                                                                         obs.location),
        kind=obs.kind, indicators=[i.label for i in obs.indicators], facts=obs.facts,
        assessment=obs.assessment or "", source=SOURCE_LABELS.get(obs.source, obs.source),
        concern=CONCERN_LABELS.get(obs.concern, obs.concern), flagged=obs.flagged,
        flag_reason=obs.flag_reason or "",
        addenda=[f"{a.author}, {when(a.at, tz)}: {a.text}" for a in obs.addenda])


def _event_line(ev: screening.EventView, tz: ZoneInfo) -> HistoryLine:
    what = EVENT_LABELS.get(ev.kind, ev.kind)
    if ev.kind == EventKind.DECISION and ev.outcome:
        what = f"Decision: {OUTCOME_LABELS[ev.outcome]}"
        if ev.support_kind:
            what += f" ({SUPPORT_LABELS[ev.support_kind]})"
        if ev.review_on:
            what += f", review on {day(ev.review_on, tz)}"
    return HistoryLine(when=when(ev.at, tz), what=what, who=ev.actor, text=ev.text or "")


def _previous_line(item: screening.PreviousItem, tz: ZoneInfo) -> HistoryLine:
    outcome = OUTCOME_LABELS.get(item.outcome or "", "No decision recorded")
    closed = f", closed {day(item.closed_at, tz)}" if item.closed_at else ""
    return HistoryLine(when=f"Flagged {day(item.opened_at, tz)}{closed}", what=outcome,
                       who=STATE_LABELS[item.state], text="")


def _decision(status: screening.ItemStatus, tz: ZoneInfo) -> str:
    if status.outcome is None:
        return ""
    text = OUTCOME_LABELS[status.outcome]
    if status.support_kind:
        text += f": {SUPPORT_LABELS[status.support_kind]}"
    if status.outcome == Outcome.MONITOR and status.review_on:
        text += f", review on {day(status.review_on, tz)}"
    return text


def case_view(case: Case, me: str, locations: dict[str, str], tz: ZoneInfo) -> CaseView:
    status = case.status
    own_referral = status.state == ItemState.AWAITING_SIGN_OFF and status.decided_by == me
    return CaseView(
        item_id=case.item_id, prisoner=case.prisoner_name, number=case.prisoner_number,
        wing=case.wing_code, status=STATE_LABELS[status.state], state=status.state,
        opened=when(case.opened_at, tz), due=when(status.due_at, tz),
        overdue=status.overdue, holder=_holder(status.holder_id, case.holder, me),
        decision=_decision(status, tz),
        why=[t.sentence for t in case.triggers]
        + [screening.officer_reason(o.flag_reason) for o in case.timeline
           if o.flag_reason and any(o.id in t.observation_ids for t in case.triggers)],
        timeline=[_card(o, locations, tz) for o in case.timeline],
        history=[_event_line(e, tz) for e in case.events],
        previous=[_previous_line(p, tz) for p in case.previous],
        can_claim=status.state in CLAIMABLE,
        can_take_over=status.state == ItemState.CLAIMED and status.holder_id != me,
        can_decide=status.state == ItemState.CLAIMED and status.holder_id == me,
        can_sign_off=status.state == ItemState.AWAITING_SIGN_OFF and not own_referral,
        sign_off_refused=("You made this referral; another member of treatment staff signs it "
                          "off." if own_referral else ""))
