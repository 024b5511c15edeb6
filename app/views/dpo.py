"""What the data-protection officer's page shows (issue 12 item 6): the prisons to search, the
prisoner card with its restrictions, and the subject-access report as a Document (the same one
the PDF is made from, app/services/access_report_pdf.py), all in the reader's language.

No Reflex here, no user ids, no datetimes: dates as the reader's locale writes them in the
prisons' time. Staff names go in a Field's `staff`, which the page and the PDF mark for
redaction; free text stays as written, flagged `free`, with the language it was written in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from app.i18n.labels import (
    CONCERN_LABELS,
    CORRECTED_FACT_LABELS,
    EVENT_LABELS,
    HOLD_SUBJECT_LABELS,
    INDICATOR_KIND_LABELS,
    OUTCOME_LABELS,
    RECORD_CLASS_LABELS,
    RESTRICTION_GROUND_LABELS,
    ROLE_LABELS,
    SOURCE_LABELS,
    STATE_LABELS,
    SUPPORT_LABELS,
    label,
)
from app.i18n.messages import Messages, N_
from app.services import catalogue, flag_rules
from app.services.access_report import (
    AccessReport,
    AddendumRecord,
    EventRecord,
    HoldRecord,
    ItemRecord,
    ObservationRecord,
    Recipient,
    ReportError,
)
from app.services.access_report_pdf import Document, Entry, Field, Section
from app.services.access_report_subject import PrisonChoice, PrisonerCard, RestrictionRecord, Staff
from app.services.retention_schedule import RecordDue
from app.views.audit_log import meaning_text
from app.views.screening import language
from app.vocabulary import (
    CorrectedFact,
    EventKind,
    HoldSubject,
    Outcome,
    RestrictionGround,
    RetentionAction,
)

# i18n: the mark beside each staff name in a subject-access report: black it out (or not)
# before the report is given to the prisoner.
MARK = N_("[REDACT]")
RETENTION_SENTENCES: dict[RetentionAction, str] = {
    RetentionAction.ERASE: N_("Erased on {day} ({rule})"),
    RetentionAction.ANONYMISE: N_("Anonymised on {day} ({rule})"),
    RetentionAction.REVIEW: N_("Reviewed on {day} ({rule})"),
}


# --- the search and the card -----------------------------------------------------------------


def prison_choices(prisons: list[PrisonChoice]) -> list[list[str]]:
    """[code, words] for the prison select: only the prisons in reach."""
    return [[p.code, f"{p.code} · {p.name}"] for p in prisons]


def ground_choices(words: Messages) -> list[list[str]]:
    return [[ground.value, label(words, RESTRICTION_GROUND_LABELS, ground)]
            for ground in RestrictionGround]


@dataclass(frozen=True)
class RestrictionLine:
    id: int
    ground: str
    reason: str
    lang: str
    byline: str  # placed by whom, when
    lifted: str  # lifted by whom, when, why; '' while in force
    in_force: bool


@dataclass(frozen=True)
class CardView:
    found: bool = False
    name: str = ""
    number: str = ""
    place: str = ""  # prison and wing
    dates: str = ""  # admitted, released
    restricted: bool = False  # a restriction in force
    restrictions: list[RestrictionLine] = field(default_factory=list)


def _when(words: Messages, moment: datetime | None) -> str:
    return "" if moment is None else words.moment(moment, "medium")


def _day(words: Messages, day: date | None) -> str:
    return "" if day is None else words.day(day)


def _by(words: Messages, person: Staff | None, moment: datetime | None) -> str:
    if person is None or moment is None:
        return ""
    return words.t("{name}, {moment}", name=person.name or words.t("unknown"),
                   moment=_when(words, moment))


def restriction_line(words: Messages, r: RestrictionRecord) -> RestrictionLine:
    lifted = ""
    if r.lifted_at is not None:
        lifted = words.t("Lifted: {byline}", byline=_by(words, r.lifted_by, r.lifted_at))
        if r.lift_reason:
            lifted += " · " + r.lift_reason
    return RestrictionLine(
        id=r.id, ground=label(words, RESTRICTION_GROUND_LABELS, r.ground), reason=r.reason,
        lang=r.locale or "",
        byline=words.t("Placed: {byline}", byline=_by(words, r.placed_by, r.placed_at)),
        lifted=lifted, in_force=r.in_force)


def _dates(words: Messages, card: PrisonerCard) -> str:
    parts = []
    if card.admitted_on:
        parts.append(words.t("Admitted {day}", day=_day(words, card.admitted_on)))
    if card.released_on:
        parts.append(words.t("Released {day}", day=_day(words, card.released_on)))
    return " · ".join(parts)


def card_view(words: Messages, card: PrisonerCard) -> CardView:
    return CardView(
        found=True, name=f"{card.given_name} {card.family_name}", number=card.number,
        place=words.t("{prison}, wing {wing}", prison=card.prison_name, wing=card.wing_code),
        dates=_dates(words, card), restricted=bool(card.in_force),
        restrictions=[restriction_line(words, r) for r in card.restrictions])


def report_refusal(words: Messages, error: ReportError) -> str:
    return words.t(error.message)


# --- the report ------------------------------------------------------------------------------


def _staff(words: Messages, label_text: str, person: Staff | None, moment: datetime | None = None,
           ) -> Field:
    """'Recorded by: Treatment staff Dr. X [REDACT]', and when in small print."""
    if person is None:
        return Field(label_text, words.t("Nobody recorded"))
    return Field(label_text, label(words, ROLE_LABELS, person.role) if person.role else "",
                 staff=person.name or words.t("unknown"), note=_when(words, moment))


def _free(words: Messages, label_text: str, text: str | None, locale: str | None,
          note: str = "") -> Field:
    lang = language(words, locale)
    return Field(label_text, text or "", free=True, lang=locale or "",
                 note=" · ".join(part for part in (note, lang) if part))


def _kept(words: Messages, due: RecordDue | None, holds: list[HoldRecord]) -> list[Field]:
    fields = []
    if due is None:
        fields.append(Field(words.t("Kept until"), words.t(
            "No date yet: the period starts when the screening item closes.")))
    else:
        sentence = RETENTION_SENTENCES.get(due.action, RETENTION_SENTENCES[RetentionAction.REVIEW])
        value = words.t(sentence, day=_day(words, due.due_on), rule=due.rule_id)
        if due.extended:
            value = words.t("{date}, extended by a review", date=value)
        fields.append(Field(words.t("Kept until"), value,
                            note=label(words, RECORD_CLASS_LABELS, due.record_class)))
    for hold in holds:
        state = (words.t("Released {moment}", moment=_when(words, hold.released_at))
                 if hold.released_at else words.t("Until {day}", day=_day(words, hold.until)))
        fields.append(Field(words.t("Legal hold"), state))
    return fields


def _indicator(words: Messages, version: str, code: str) -> str:
    try:
        return catalogue.text(version, words.locale.value, code)
    except KeyError:
        return code


def _addendum(words: Messages, add: AddendumRecord) -> list[Field]:
    heading = (words.t("Corrected reading: {fact}", fact=label(words, CORRECTED_FACT_LABELS,
                                                                add.corrects))
               if add.corrects else words.t("Addendum"))
    return [_free(words, heading, add.text, add.locale),
            _staff(words, words.t("Added by"), add.author, add.at)]


def _beside(words: Messages, obs: ObservationRecord, *facts: CorrectedFact) -> list[Field]:
    """The corrected readings of these facts, to follow the original."""
    return [line for add in obs.corrections if add.corrects in facts
            for line in _addendum(words, add)]


def _observation(words: Messages, obs: ObservationRecord, locations: dict[str, str],
                 holds: list[HoldRecord]) -> Entry:
    place = words.t(locations.get(obs.location, obs.location))
    fields = [
        Field(words.t("Happened"), _when(words, obs.occurred_at)),
        *_beside(words, obs, CorrectedFact.OCCURRED_AT),
        Field(words.t("Written on the tablet"), _when(words, obs.recorded_at)
              or words.t("Not recorded")),
        Field(words.t("Received"), _when(words, obs.received_at)),
        Field(words.t("Where"), words.t("{place}, wing {wing}", place=place, wing=obs.wing_code)),
        *_beside(words, obs, CorrectedFact.LOCATION),
        Field(words.t("Source"), label(words, SOURCE_LABELS, obs.source)),
        *_beside(words, obs, CorrectedFact.SOURCE),
        Field(words.t("Kind"), label(words, INDICATOR_KIND_LABELS, obs.kind)),
        Field(words.t("Indicators"), "; ".join(_indicator(words, obs.catalogue_version, code)
                                               for code in obs.indicators)),
        Field(words.t("Concern level"), label(words, CONCERN_LABELS, obs.concern)),
        Field(words.t("Flag"), words.t("Flagged for screening by the officer") if obs.flagged
              else words.t("Not flagged by the officer")),
    ]
    if obs.flag_reason:
        fields.append(_free(words, words.t("Officer's reason for the flag"), obs.flag_reason,
                            obs.locale))
    fields.append(_free(words, words.t("Facts"), obs.facts, obs.locale))
    fields += _beside(words, obs, CorrectedFact.FACTS)
    if obs.assessment:
        fields.append(_free(words, words.t("Officer's assessment"), obs.assessment, obs.locale))
    fields += _beside(words, obs, CorrectedFact.ASSESSMENT)
    fields.append(_staff(words, words.t("Recorded by"), obs.author,
                         obs.recorded_at or obs.received_at))
    for add in obs.addenda:
        fields += _addendum(words, add)
    fields += _kept(words, obs.retention, holds)
    return Entry(words.t("Observation of {moment}", moment=_when(words, obs.occurred_at)),
                 fields)


def _event(words: Messages, ev: EventRecord) -> list[Field]:
    what = label(words, EVENT_LABELS, ev.kind)
    if ev.kind == EventKind.DECISION and ev.outcome:
        what = words.t("Decision: {outcome}", outcome=label(words, OUTCOME_LABELS, ev.outcome))
        if ev.support_kind:
            what = words.t("{decision} ({support})", decision=what,
                           support=label(words, SUPPORT_LABELS, ev.support_kind))
        elif ev.outcome == Outcome.MONITOR and ev.review_on:
            what = words.t("{decision}, review on {day}", decision=what,
                           day=words.day(ev.review_on.astimezone(words.zone).date()))
    fields = [_staff(words, what, ev.actor, ev.at)]
    if ev.text:
        reason = (words.t("Reason") if ev.kind in (EventKind.DECISION, EventKind.TAKE_OVER)
                  else words.t("Note"))
        fields.append(_free(words, reason, ev.text, ev.locale))
    return fields


def _item(words: Messages, item: ItemRecord, holds: list[HoldRecord]) -> Entry:
    fields = [Field(words.t("Status"), label(words, STATE_LABELS, item.state))]
    if item.closed_at:
        fields.append(Field(words.t("Closed"), _when(words, item.closed_at)))
    fields += [Field(words.t("Why it opened"), flag_rules.sentence(words, t.rule_id, t.params),
                     note=_when(words, t.at)) for t in item.triggers]
    for ev in item.events:
        fields += _event(words, ev)
    fields += _kept(words, item.retention, holds)
    return Entry(words.t("Screening item opened {moment}", moment=_when(words, item.opened_at)),
                 fields)


def _restriction(words: Messages, r: RestrictionRecord) -> Entry:
    fields = [Field(words.t("In force"), words.t("Yes") if r.in_force else words.t("No")),
              _staff(words, words.t("Placed by"), r.placed_by, r.placed_at),
              _free(words, words.t("Reason"), r.reason, r.locale)]
    if r.lifted_at is not None:
        fields.append(_staff(words, words.t("Lifted by"), r.lifted_by, r.lifted_at))
        if r.lift_reason:
            fields.append(_free(words, words.t("Reason for lifting"), r.lift_reason,
                                r.lift_locale))
    return Entry(words.t("Restriction: {ground}",
                         ground=label(words, RESTRICTION_GROUND_LABELS, r.ground)), fields)


def _hold(words: Messages, hold: HoldRecord, report: AccessReport) -> Entry:
    on = label(words, HOLD_SUBJECT_LABELS, hold.subject)
    if hold.subject == HoldSubject.OBSERVATION:
        seen = next((o for o in report.observations if o.id == hold.subject_id), None)
        if seen is not None:
            on = words.t("The observation of {moment}", moment=_when(words, seen.occurred_at))
    else:
        item = next((i for i in report.items if str(i.id) == hold.subject_id), None)
        if item is not None:
            on = words.t("Screening item opened {moment}", moment=_when(words, item.opened_at))
    fields = [Field(words.t("On"), on), Field(words.t("Until"), _day(words, hold.until)),
              _staff(words, words.t("Placed by"), hold.placed_by, hold.placed_at),
              _free(words, words.t("Reason"), hold.reason, hold.locale)]
    if hold.released_at is not None:
        fields.append(_staff(words, words.t("Released by"), hold.released_by, hold.released_at))
    return Entry(words.t("Legal hold"), fields)


def _recipient(words: Messages, r: Recipient) -> Entry:
    fields = [_staff(words, words.t("Who"), r.who),
              Field(words.t("How often"), words.tn("{count} time", "{count} times", r.count)),
              Field(words.t("First"), _when(words, r.first_at))]
    if r.count > 1:
        fields.append(Field(words.t("Last"), _when(words, r.last_at)))
    return Entry(meaning_text(words, r.meaning), fields)


def _holds_on(report: AccessReport, subject: HoldSubject, record_id: str) -> list[HoldRecord]:
    return [h for h in report.holds if h.subject == subject and h.subject_id == record_id]


def document(words: Messages, report: AccessReport, locations: dict[str, str]) -> Document:
    card = report.prisoner
    name = f"{card.given_name} {card.family_name}"
    period = words.t("{first} to {last}", first=_day(words, report.since),
                     last=_day(words, report.until))
    roster = [Field(words.t("Name"), name), Field(words.t("Prisoner number"), card.number),
              Field(words.t("Prison"), f"{card.prison_code} · {card.prison_name}"),
              Field(words.t("Wing now"), card.wing_code)]
    if card.admitted_on:
        roster.append(Field(words.t("Admitted"), _day(words, card.admitted_on)))
    if card.released_on:
        roster.append(Field(words.t("Released"), _day(words, card.released_on)))
    roster += [Field(words.t("Moved"), words.t("From wing {old} to wing {new}", old=m.from_wing,
                                                new=m.to_wing), note=_day(words, m.moved_on))
               for m in report.moves]
    sections = [
        Section(words.t("Roster data"), words.t(
            "As the prison's roster gives it; wing moves in the period."),
            [Entry(name, roster)]),
        Section(words.t("Restrictions of processing"), words.t(
            "Every restriction of this prisoner's records, in force or lifted."),
            [_restriction(words, r) for r in report.restrictions],
            words.t("None.")),
        Section(words.t("Legal holds"), words.t(
            "Records kept as evidence, which the retention run skips until the hold ends."),
            [_hold(words, h, report) for h in report.holds], words.t("None.")),
        Section(words.t("Observations"), words.t(
            "What officers recorded in the period: the facts, their assessment and the source "
            "apart, with every addendum and correction beside the original."),
            [_observation(words, o, locations, _holds_on(report, HoldSubject.OBSERVATION, o.id))
             for o in report.observations], words.t("None in this period.")),
        Section(words.t("Screening"), words.t(
            "Screening items open at some time in the period: why each opened, and every step "
            "recorded on it, with reasons and sign-offs."),
            [_item(words, i, _holds_on(report, HoldSubject.ITEM, str(i.id)))
             for i in report.items], words.t("None in this period.")),
        Section(words.t("Recipients"), words.t(
            "Who read or exported these records in the period, from the audit log."),
            [_recipient(words, r) for r in report.recipients], words.t("None in this period.")),
    ]
    count = len(report.staff)
    return Document(
        title=words.t("Subject-access report"),
        facts=[Field(words.t("Prisoner"), f"{name} · {card.number}"),
               Field(words.t("Period"), period),
               Field(words.t("Produced"), _when(words, report.produced_at),
                     note=words.t("by {name}", name=report.produced_by))],
        notices=[
            words.t("Before release: every staff name is marked {mark}. Decide for each one "
                    "whether the law lets the service withhold it, and black it out if so.",
                    mark=words.t(MARK)),
            words.t("Free text is shown as it was written. Check it for third parties named "
                    "in it before release."),
        ],
        sections=sections, mark=words.t(MARK),
        free_note=words.t("As written: check for third parties named in it."),
        redaction_heading=words.t("Redaction summary"),
        redaction_intro=words.tn("{count} name of staff is marked for redaction:",
                                 "{count} names of staff are marked for redaction:", count),
        redactions=[person.name for person in report.staff],
        footer=words.t("Subject-access report · {number} · {period}", number=card.number,
                       period=period),
        filename=f"subject-access-{_safe(card.number)}-{report.since.isoformat()}-"
                 f"{report.until.isoformat()}.pdf")


def _safe(text: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in text)
