"""What the retention page (and the command's printout) says: the schedule in words, the last
runs and a preview, as plain strings in the reader's language. Counts only: no record, no
person."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.i18n.labels import (
    RECORD_CLASS_LABELS,
    RETENTION_ACTION_LABELS,
    RETENTION_REFERENCE_LABELS,
    label,
)
from app.i18n.messages import Messages, N_
from app.models import RetentionRun
from app.services.retention_schedule import Rule, Schedule
from app.vocabulary import RecordClass, RetentionAction, RetentionReference

# The order a line lists what a run did with a rule's records.
OUTCOME_ORDER = (RetentionAction.ERASE, RetentionAction.ANONYMISE, RetentionAction.REVIEW,
                 "held", "restricted")
TRIGGERS = {"job": N_("Daily run"), "cli": N_("Run from the command line")}


@dataclass(frozen=True)
class RuleView:
    rule_id: str
    records: str
    counted_from: str
    period: str
    then: str
    note: str = ""


@dataclass(frozen=True)
class RunView:
    when: str
    trigger: str
    lines: list[str] = field(default_factory=list)  # one per rule, or "Nothing was due."


@dataclass(frozen=True)
class PreviewLine:
    rule: str  # the rule in words
    counts: str


def period(rule: Rule, words: Messages) -> str:
    if rule.period_months is not None:
        if rule.period_months % 12 == 0:
            years = rule.period_months // 12
            return words.tn("{count} year", "{count} years", years)
        return words.tn("{count} month", "{count} months", rule.period_months)
    return words.tn("{count} day", "{count} days", rule.period_days or 0)


def _note(rule: Rule, words: Messages) -> str:
    if rule.record_class == RecordClass.TABLET_RECEIPT:
        return words.t("Removed on the tablet itself, at start-up and daily.")
    if rule.record_class == RecordClass.AUDIT_LOG:
        return words.t("Never erased: the log's entries are chained. A review may only keep it "
                       "longer.")
    if rule.reference == RetentionReference.RELEASED:
        return words.t("Applies once the prisoner has a release date.")
    return ""


def rule_view(rule: Rule, words: Messages) -> RuleView:
    return RuleView(
        rule_id=rule.id, records=label(words, RECORD_CLASS_LABELS, rule.record_class),
        counted_from=label(words, RETENTION_REFERENCE_LABELS, rule.reference),
        period=period(rule, words), then=label(words, RETENTION_ACTION_LABELS, rule.action),
        note=_note(rule, words))


def schedule_views(schedule: Schedule, words: Messages) -> list[RuleView]:
    return [rule_view(rule, words) for rule in schedule.rules]


def rule_words(schedule: Schedule, rule_id: str, words: Messages) -> str:
    """A rule as one phrase: "Observation, never escalated: 1 year from when it happened"."""
    rule = schedule.rule(rule_id)
    if rule is None:  # a rule of an earlier schedule
        return words.t("Rule {rule} (no longer in the schedule)", rule=rule_id)
    return words.t("{records}: {period} from {reference}",
                   records=label(words, RECORD_CLASS_LABELS, rule.record_class),
                   period=period(rule, words),
                   reference=label(words, RETENTION_REFERENCE_LABELS, rule.reference))


def _outcome(code: str, n: int, words: Messages, planned: bool) -> str:
    """What a run did (or, `planned`, would do) with n records of a rule. Literal calls: the
    catalogues' plural forms are found by extracting tn() calls."""
    if code == RetentionAction.ERASE:
        return (words.tn("{count} to erase", "{count} to erase", n) if planned
                else words.tn("{count} erased", "{count} erased", n))
    if code == RetentionAction.ANONYMISE:
        return (words.tn("{count} to anonymise", "{count} to anonymise", n) if planned
                else words.tn("{count} anonymised", "{count} anonymised", n))
    if code == RetentionAction.REVIEW:
        return (words.tn("{count} to put up for review", "{count} to put up for review", n)
                if planned else words.tn("{count} put up for review",
                                         "{count} put up for review", n))
    if code == "held":
        return words.tn("{count} kept: on legal hold", "{count} kept: on legal hold", n)
    return words.tn("{count} kept: restricted", "{count} kept: restricted", n)


def counts_words(counts: dict[str, int], words: Messages, *, planned: bool = False) -> str:
    return ", ".join(_outcome(code, counts[code], words, planned) for code in OUTCOME_ORDER
                     if counts.get(code))


def summary_lines(schedule: Schedule, summary: dict[str, dict[str, int]], words: Messages, *,
                  planned: bool = False) -> list[PreviewLine]:
    return [PreviewLine(rule_words(schedule, rule_id, words),
                        counts_words(counts, words, planned=planned))
            for rule_id, counts in summary.items() if any(counts.values())]


def run_view(run: RetentionRun, schedule: Schedule, words: Messages) -> RunView:
    lines = [f"{line.rule} — {line.counts}"
             for line in summary_lines(schedule, run.summary or {}, words)]
    return RunView(when=words.moment(run.started_at),
                   trigger=words.t(TRIGGERS.get(run.trigger, N_("Run"))),
                   lines=lines or [words.t("Nothing was due.")])


def printout(schedule: Schedule, summary: dict[str, dict[str, int]], words: Messages, *,
             day: str, run_id: int | None) -> list[str]:
    """What `app.cli retention run` prints."""
    head = (words.t("Dry run for {day}: nothing was changed. A run would do this:", day=day)
            if run_id is None else words.t("Retention run {run} for {day}:", run=run_id, day=day))
    lines = [f"  {line.rule}: {line.counts}"
             for line in summary_lines(schedule, summary, words, planned=run_id is None)]
    return [head, *(lines or ["  " + words.t("Nothing was due.")])]
