"""What the review list shows (issue 12 item 3): plain strings and flags made from the review
services' results for the person asking, in their language. No Reflex here, no user ids, no
datetimes, and never a record's content: what a record is, when it falls due, under which rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from babel import dates as babel_dates

from app.i18n.labels import RECORD_CLASS_LABELS, label
from app.i18n.locales import babel_locale
from app.i18n.messages import Messages, N_
from app.services import retention_schedule
from app.services.legal_holds import MAX_YEARS, MIN_REASON, add_years
from app.services.retention_schedule import Rule
from app.services.review_errors import ReviewRefused
from app.services.review_reads import ReviewList, ReviewRow
from app.views.screening import plain
from app.vocabulary import RecordClass, RetentionAction, RetentionReference, ReviewDecision, parse

WHEN_CHOICES = ("all", "overdue", "coming")
WHEN_LABELS = {"all": N_("Overdue and coming"), "overdue": N_("Overdue only"),
               "coming": N_("Coming only")}
ALL_CLASSES = "all"  # the class filter's "every class" (a select's value is never '')

ACTION_SENTENCES: dict[RetentionAction, str] = {
    RetentionAction.REVIEW: N_("Reviewed {when}"),
    RetentionAction.ERASE: N_("Erased {when}"),
    RetentionAction.ANONYMISE: N_("Anonymised {when}"),
}
REFERENCE_PHRASES: dict[RetentionReference, str] = {
    RetentionReference.HAPPENED: N_("{period} after it happened"),
    RetentionReference.ITEM_CLOSED: N_("{period} after the screening item closed"),
    RetentionReference.RELEASED: N_("{period} after the prisoner's release"),
    RetentionReference.SENT: N_("{period} after it was sent"),
}


# --- filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewFilters:
    when: str = "all"
    record_class: str = ""  # a RecordClass code, or '' for every class

    @classmethod
    def from_query(cls, params: dict[str, str]) -> ReviewFilters:
        """Whatever the URL says; values the page does not offer fall back to 'everything'."""
        when = params.get("when", "all")
        chosen = parse(RecordClass, params.get("class", ""))
        return cls(when=when if when in WHEN_CHOICES else "all",
                   record_class=chosen.value if chosen is not None else "")

    def to_url(self, path: str) -> str:
        params = {"when": "" if self.when == "all" else self.when, "class": self.record_class}
        query = urlencode({k: plain(v) for k, v in params.items() if v})
        return f"{path}?{query}" if query else path

    def keeps(self, row: ReviewRow) -> bool:
        return ((self.when == "all" or (self.when == "overdue") == row.overdue)
                and (not self.record_class or row.record_class == self.record_class))


# --- words -----------------------------------------------------------------------------------


def refusal(words: Messages, error: ReviewRefused) -> str:
    """A review or hold refusal in the reader's language (a date shown as its day)."""
    params = {name: words.day(value) if isinstance(value, date) else value
              for name, value in error.params.items()}
    if error.plural is not None and error.count is not None:
        return words.tn(error.message, error.plural, error.count, **params)
    return words.t(error.message, **params)


def period(words: Messages, rule: Rule) -> str:
    if rule.period_months is not None:
        if rule.period_months % 12 == 0:
            return words.tn("{count} year", "{count} years", rule.period_months // 12)
        return words.tn("{count} month", "{count} months", rule.period_months)
    return words.tn("{count} day", "{count} days", rule.period_days or 0)


def rule_words(words: Messages, rule_id: str) -> str:
    """'Reviewed 5 years after the screening item closed': the schedule's rule in words."""
    try:
        rule = retention_schedule.load().rule(rule_id)
    except retention_schedule.ScheduleError:
        rule = None
    if rule is None:
        return words.t("Rule {rule}", rule=rule_id)
    when = words.t(REFERENCE_PHRASES[rule.reference], period=period(words, rule))
    return words.t(ACTION_SENTENCES[rule.action], when=when)


def due_words(words: Messages, due_on: date, today: date) -> str:
    if due_on == today:
        return words.t("Due today ({day})", day=words.day(due_on))
    relative = words.relative(timedelta(days=(due_on - today).days))
    if due_on > today:
        return words.t("Due {day} ({relative})", day=words.day(due_on), relative=relative)
    return words.t("Was due {day} ({relative})", day=words.day(due_on), relative=relative)


def _month(words: Messages, record_id: str) -> str:
    try:
        first = date.fromisoformat(f"{record_id}-01")
    except ValueError:
        return record_id
    return babel_dates.format_skeleton("yMMMM", first, locale=babel_locale(words.locale))


def _detail(words: Messages, row: ReviewRow) -> str:
    """What the record is, without its content."""
    if row.record_class == RecordClass.AUDIT_LOG:
        return words.t("The audit log's entries of {month}", month=_month(words, row.record_id))
    if row.record_class == RecordClass.SIGN_IN_LOG:
        try:
            day = words.day(date.fromisoformat(row.record_id))
        except ValueError:
            day = row.record_id
        return words.t("The sign-ins of {day}", day=day)
    if row.happened_at is not None:
        return words.t("Made {moment}, wing {wing}",
                       moment=words.moment(row.happened_at, "medium"),
                       wing=row.wing_code)
    if row.item_opened_at is not None and row.record_class == RecordClass.SCREENING_DECISION:
        if row.item_closed_at is not None:
            return words.t("Flagged {day}, closed {closed}",
                           day=words.day(row.item_opened_at.astimezone(words.zone).date()),
                           closed=words.day(row.item_closed_at.astimezone(words.zone).date()))
        return words.t("Flagged {day}",
                       day=words.day(row.item_opened_at.astimezone(words.zone).date()))
    return ""


# --- the list ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRowView:
    entry_id: int
    due_on: str  # ISO: a new date must come after it
    what: str  # the record's class in words
    who: str  # "Name · number", or '' for the logs
    detail: str  # when and where, never what
    due: str
    overdue: bool
    rule: str
    held: bool
    held_text: str
    restricted: bool
    gone: bool
    href: str  # the screening case, for treatment staff; else ''
    can_extend: bool
    can_anonymise: bool
    can_erase: bool
    can_hold: bool


def row_view(row: ReviewRow, words: Messages, today: date, *, links: bool) -> ReviewRowView:
    removable = not row.gone and row.held_until is None and not row.restricted
    return ReviewRowView(
        entry_id=row.entry_id, due_on=row.due_on.isoformat(),
        what=label(words, RECORD_CLASS_LABELS, row.record_class),
        who=f"{row.prisoner_name} · {row.prisoner_number}" if row.prisoner_number else "",
        detail=_detail(words, row), due=due_words(words, row.due_on, today),
        overdue=row.overdue, rule=rule_words(words, row.rule_id),
        held=row.held_until is not None,
        held_text=(words.t("On legal hold until {day}", day=words.day(row.held_until))
                   if row.held_until else ""),
        restricted=row.restricted, gone=row.gone,
        href=f"/screening/{row.item_id}" if links and row.item_id is not None else "",
        can_extend=ReviewDecision.EXTEND in row.decisions,
        can_anonymise=removable and ReviewDecision.ANONYMISE in row.decisions,
        can_erase=removable and ReviewDecision.ERASE in row.decisions,
        can_hold=row.can_hold)


def summary(words: Messages, found: ReviewList) -> str:
    """'12 entries to review, 3 overdue. 4 shown.'"""
    return words.t("{entries}, {overdue}. {shown}",
                   entries=words.tn("{count} entry to review", "{count} entries to review",
                                    found.total),
                   overdue=words.tn("{count} overdue", "{count} overdue", found.overdue),
                   shown=words.tn("{count} shown.", "{count} shown.", len(found.rows)))


def class_choices(words: Messages, present: frozenset[str], chosen: str) -> list[list[str]]:
    """[code, words] of the classes the list holds (and the one chosen), in the schedule's
    order."""
    return [[code.value, words.t(RECORD_CLASS_LABELS[code])] for code in RecordClass
            if code.value in present or code.value == chosen]


def reason_hint(words: Messages) -> str:
    return words.tn("Reason (at least {count} character)", "Reason (at least {count} characters)",
                    MIN_REASON)


def date_hint(words: Messages, today: date, after: date | None = None) -> str:
    """Which days a new date or a hold's end may be."""
    return words.tn("A day after {day}, at most {count} year from today.",
                    "A day after {day}, at most {count} years from today.", MAX_YEARS,
                    day=words.day(max(today, after or today)))


def suggested_end(today: date, after: date | None = None) -> date:
    """What the date field offers first: a year after the later of today and `after`, within
    the limit."""
    return min(add_years(max(today, after or today), 1), add_years(today, MAX_YEARS))


def overdue_notice(words: Messages, count: int) -> str:
    """The trends page's line for a security head: a count, no names."""
    if not count:
        return ""
    return words.tn("{count} record of your prisons is past its review date with no decision.",
                    "{count} records of your prisons are past their review date with no "
                    "decision.", count)
