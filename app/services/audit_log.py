"""The audit log as an administrator reads it (issue 11 item 7): a filtered, paged list whose
entries say what they mean as a message id and parameters, never protected content.

The chain (app/services/audit.py) holds ids and codes. Rows written before issue 11 also hold
short English phrases in `purpose`/`detail` ("observation recorded", "web sign_in: officer1");
the known ones are mapped to message ids here (MEANINGS), anything else is shown as recorded,
marked as such (docs/decisions.md). Decisions' outcomes, observation text and reasons are never
in the chain; what a screening decision's purpose names (its outcome) is not shown either.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Mapping
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.i18n.messages import N_
from app.models import AuditEntry, Prison, Prisoner, User
from app.services import audit
from app.services.accounts import Identity
from app.services.audit import Action
from app.vocabulary import Role

PAGE_SIZE = 50
FIRST_YEAR, LAST_YEAR = 1900, 9998
EXPORT_LIMIT = 50_000  # rows in one CSV: a year of a busy prison's log, not the whole chain
# Fields a change may carry that an administrator never reads in the log (defence in depth:
# the writers put only codes and ids in, but a slip must not put a password on the screen).
WITHHELD_FIELDS = frozenset({"facts", "assessment", "flag_reason", "reason", "text",
                             "password", "password_hash", "temporary_password",
                             "given_name", "family_name"})


class NotAllowed(Exception):
    """Only administrators read the audit log."""


class BadFilter(ValueError):
    """A filter that cannot be understood; `field` names it, `message` is a message id with
    {field} in it."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message.format(field=field_name))
        self.field, self.message = field_name, message


# --- filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilters:
    who: str = ""  # a username
    action: str = ""  # an Action value
    subject: str = ""  # a record id, a prisoner id or a prisoner number
    since: date | None = None  # the prisons' local dates, both inclusive
    until: date | None = None
    page: int = 1

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> AuditFilters:
        """From a URL's or an API call's parameters; BadFilter names the field at fault."""
        action = (params.get("action") or "").strip()
        if action and action not in {a.value for a in Action}:
            raise BadFilter("action", N_("{field}: not an action of the audit log"))
        since, until = _day(params, "since"), _day(params, "until")
        if since and until and since > until:
            raise BadFilter("since", N_("{field}: must not be after the end of the period"))
        page = (params.get("page") or "1").strip()
        if not (page.isascii() and page.isdigit() and 0 < len(page) <= 6 and int(page) >= 1):
            raise BadFilter("page", N_("{field}: must be a whole number from 1"))
        who, subject = (params.get("who") or "").strip(), (params.get("subject") or "").strip()
        if len(who) > 64 or len(subject) > 64:
            raise BadFilter("who" if len(who) > 64 else "subject",
                            N_("{field}: must be at most 64 characters"))
        return cls(who=who.lower(), action=action, subject=subject, since=since, until=until,
                   page=int(page))

    def codes(self) -> dict[str, str]:
        """The filters as codes (the URL's query, the export's audit row), page left out."""
        values = {"who": self.who, "action": self.action, "subject": self.subject,
                  "since": self.since.isoformat() if self.since else "",
                  "until": self.until.isoformat() if self.until else ""}
        return {name: value for name, value in values.items() if value}


def _day(params: Mapping[str, str], name: str) -> date | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value) if len(value) == 10 else _bad_day(name)
    except ValueError:
        return _bad_day(name)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:  # the day after must still be a date
        raise BadFilter(name, N_("{field}: must be a day from the year 1900 to 9998"))
    return day


def _bad_day(name: str) -> date:
    raise BadFilter(name, N_("{field}: must be a date written YYYY-MM-DD"))


# --- what an entry means ---------------------------------------------------------------------


@dataclass(frozen=True)
class Meaning:
    """A message id and its parameters; `labels` are parameters that are themselves message
    ids, translated when the meaning is put in words."""

    msgid: str
    params: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None  # None: the field was not there
    after: str | None
    withheld: bool = False  # WITHHELD_FIELDS: the values are not shown


@dataclass(frozen=True)
class LogEntry:
    seq: int
    at: datetime
    action: str
    actor_username: str  # "" when nobody was signed in (a failed sign-in of an unknown name)
    actor_name: str
    subject: str  # the record id, or ""
    subject_name: str  # an account's username or a prison's code when the subject is one
    prisoner_number: str  # "" when the row is about no prisoner
    meaning: Meaning
    changes: tuple[Change, ...] = ()
    recorded_text: str = ""  # an older row's own words, shown as recorded
    change_code: str = ""  # an administrative change's code (record_change), else ""


@dataclass(frozen=True)
class LogPage:
    entries: tuple[LogEntry, ...]
    total: int
    page: int
    pages: int


# Fixed phrases older code writes into `purpose` (by action): their message ids. Parameters
# come from the row's detail (_params): ids and codes only.
PURPOSES: dict[tuple[str, str], str] = {
    (Action.CREATE, "observation recorded"): N_("Recorded an observation on tablet {device}"),
    (Action.CREATE, "correction to an observation"):
        N_("Added a correction to observation {observation}"),
    (Action.READ, "screening queue view"): N_("Saw the item in the screening queue"),
    (Action.READ, "screening case view"): N_("Opened a screening case"),
    (Action.READ, "refused: role"): N_("Was refused a screening item: not their role"),
    (Action.READ, "refused: other prison"): N_("Was refused a screening item of another prison"),
    (Action.READ, "own receipts"): N_("Fetched the receipts of {count} of their own entries"),
    (Action.DECISION, "screening item claimed"): N_("Claimed a screening item"),
    (Action.DECISION, "screening item taken over"): N_("Took over a screening item"),
    (Action.DECISION, "referral for assessment signed off"):
        N_("Signed off a referral for assessment"),
    (Action.DECISION, "screening addendum"): N_("Added an addendum to a screening item"),
    (Action.EXPORT, "trends csv"): N_("Downloaded the trends as CSV; filters: {filters}"),
    (Action.EXPORT, "trends print"): N_("Opened the trends print view; filters: {filters}"),
    (Action.EXPORT, "audit.export"):
        N_("Downloaded {rows} audit log entries as CSV; filters: {filters}"),
    # Data protection (issue 12)
    # -- restriction and rectification (app/services/restrictions.py, corrections.py)
    (Action.RESTRICT, "restriction placed"):
        N_("Restricted the processing of a prisoner's records"),
    (Action.RESTRICT, "restriction lifted"): N_("Lifted a restriction of processing"),
    (Action.RESTRICT, "restricted record opened"):
        N_("Opened a restricted record, giving a reason"),
    (Action.READ, "restricted case view"):
        N_("Opened a restricted screening case: its content withheld"),
    (Action.READ, "restrictions listed"): N_("Listed the restrictions of processing ({count})"),
    (Action.CREATE, "fact corrected"): N_("Corrected a fact of observation {observation}"),
    # -- review list and legal holds (app/services/review_list.py, legal_holds.py); {filters}
    # lists the row's codes: class, record and date, never a reason
    (Action.REVIEW, "review.extend"): N_("Kept a record longer after its review ({filters})"),
    (Action.REVIEW, "review.anonymise"): N_("Anonymised a record after its review ({filters})"),
    (Action.REVIEW, "review.erase"): N_("Erased a record after its review ({filters})"),
    (Action.HOLD, "hold.place"): N_("Put a record on legal hold ({filters})"),
    (Action.HOLD, "hold.release"): N_("Released a legal hold ({filters})"),
    (Action.READ, "review list view"): N_("Saw the record in the review list"),
    # -- the data-protection officer's workspace and the subject-access report
    # (app/services/access_report_subject.py); {filters}: the period and the form, as codes
    (Action.DISCLOSE, "access_report.produce"):
        N_("Produced a subject-access report; period and form: {filters}"),
    (Action.READ, "access_report.card"): N_("Opened a prisoner's data-protection card"),
    (Action.READ, "access_report.refused"): N_("Was refused a prisoner outside their postings"),
    # -- retention schedule and runs (app/services/erasure.py, retention_run.py); {filters}
    # lists the row's codes: class, rule and the date counted from (a run: its counts)
    (Action.ERASE, "retention.erase"):
        N_("Erased a record under the retention schedule ({filters})"),
    (Action.ERASE, "retention.anonymise"):
        N_("Anonymised a record under the retention schedule ({filters})"),
    (Action.ERASE, "retention.run"): N_("Ran the retention schedule ({filters})"),
}
VERIFIED = N_("Verified the audit log: intact, {rows} rows checked")
VERIFIED_BROKEN = N_("Verified the audit log: broken at row {broken}")
NO_FILTERS = "-"
# Whatever else a row of the action says, when its purpose is not one of the above.
GENERIC: dict[str, str] = {
    Action.CREATE: N_("Created a record"),
    Action.READ: N_("Read a record"),
    Action.DECISION: N_("Recorded a screening step"),
    Action.EXPORT: N_("Exported data"),
    Action.ERASE: N_("Erased a record"),
    Action.SIGN_IN: N_("Signed in"),
    Action.SIGN_OUT: N_("Signed out"),
    Action.SIGN_IN_FAILED: N_("Failed to sign in"),
    Action.ADMIN_CHANGE: N_("Administrative change: {code}"),
    Action.DISCLOSE: N_("Produced a subject-access report"),
    Action.HOLD: N_("Changed a legal hold"),
    Action.RESTRICT: N_("Restricted processing or opened a restricted record"),
    Action.REVIEW: N_("Decided a retention review"),
}
# accounts.log_auth writes "<channel> <event>: <username>" for sign-in events.
_AUTH = re.compile(r"(?P<channel>[a-z]+) (?P<event>[a-z_]+): (?P<username>.*)", re.DOTALL)
AUTH_EVENTS: dict[str, str] = {
    "sign_in": N_("Signed in ({channel})"),
    "sign_out": N_("Signed out ({channel})"),
    "sign_in_failed": N_("Failed to sign in as {username} ({channel})"),
    "sign_in_refused_locked": N_("Refused sign-in as {username}: account locked ({channel})"),
}
CHANNELS: dict[str, str] = {"web": N_("browser"), "api": N_("API")}
# The administration parts' change codes (audit.record_change). A code not here is shown as
# "Administrative change: <code>" with its fields, so a new code is never hidden.
CHANGES: dict[str, str] = {
    "prison.create": N_("Created a prison"),
    "prison.rename": N_("Renamed a prison"),
    "wing.create": N_("Created a wing"),
    "wing.rename": N_("Renamed a wing"),
    "wing.close": N_("Closed a wing"),
    "wing.reopen": N_("Opened a closed wing again"),
    "location.create": N_("Added a location"),
    "location.rename": N_("Renamed a location"),
    "location.move": N_("Moved a location in the list"),
    "location.retire": N_("Retired a location"),
    "location.restore": N_("Restored a retired location"),
    "user.create": N_("Created an account"),
    "user.update": N_("Changed an account"),
    "user.password_reset": N_("Reset a password"),
    "user.password_change": N_("Changed their own password"),
    "user.unlock": N_("Unlocked a username"),
    "posting.add": N_("Added a posting"),
    "posting.end": N_("Ended a posting"),
    "roster.import": N_("Imported a roster"),
    "catalogue.draft_start": N_("Started a catalogue draft"),
    "catalogue.text": N_("Changed a text of a catalogue draft"),
    "catalogue.indicator_add": N_("Added an indicator to a catalogue draft"),
    "catalogue.indicator_retired": N_("Retired or restored an indicator in a catalogue draft"),
    "catalogue.indicator_immediate": N_("Changed whether an indicator flags at once"),
    "catalogue.publish": N_("Published a catalogue version"),
    "tablet.lost": N_("Marked a tablet as lost"),
    "key.rotate": N_("Rotated a key"),
}


def meaning_of(action: str, purpose: str | None, detail: str | None
               ) -> tuple[Meaning, tuple[Change, ...], str]:
    """What one row means, its changes (admin rows), and any of its text shown as recorded."""
    if action == Action.ADMIN_CHANGE and (body := audit.change_of(detail)) is not None:
        code = body["change"]
        changes = _changes(body.get("before"), body.get("after"))
        if code in CHANGES:
            return Meaning(CHANGES[code]), changes, ""
        return Meaning(GENERIC[Action.ADMIN_CHANGE], {"code": code}), changes, ""
    if action in (Action.SIGN_IN, Action.SIGN_OUT, Action.SIGN_IN_FAILED):
        return _auth_meaning(action, detail)
    if action == Action.READ and purpose == "audit.verify":
        return _verify_meaning(detail), (), ""
    key = (action, purpose or "")
    if key in PURPOSES:
        return Meaning(PURPOSES[key], _params(detail)), (), ""
    if action == Action.DECISION and (purpose or "").startswith("screening decision:"):
        return Meaning(N_("Recorded a screening decision")), (), ""  # never its outcome
    generic = Meaning(GENERIC.get(action, N_("Audit entry: {code}")), {"code": action})
    return generic, (), (purpose or "") if action != Action.DECISION else ""


def _auth_meaning(action: str, detail: str | None) -> tuple[Meaning, tuple[Change, ...], str]:
    found = _AUTH.fullmatch(detail or "")
    if found and found["event"] in AUTH_EVENTS:
        return Meaning(AUTH_EVENTS[found["event"]], {"username": found["username"]},
                       {"channel": CHANNELS.get(found["channel"], found["channel"])}), (), ""
    return Meaning(GENERIC[action]), (), detail or ""


def _params(detail: str | None) -> dict[str, str]:
    """What a known purpose's detail holds: "device X", "observation 12", "3 own entries, no
    content", an export's filters (a URL's query, or JSON codes from log_export)."""
    text = detail or ""
    if text.startswith("/"):  # trend_report.log_export: the page's URL with its filters
        return {"filters": _listed(parse_qsl(text.partition("?")[2]))}
    if text.startswith("{"):
        codes = _json_object(text)
        rows = str(codes.pop("rows", ""))
        return {"rows": rows, "filters": _listed(sorted(codes.items()))}
    word, _, rest = text.partition(" ")
    if word in ("device", "observation"):
        return {word: rest}
    return {"count": word} if word.isdigit() else {}


def _listed(pairs: Any) -> str:
    return ", ".join(f"{name}={value}" for name, value in pairs) or NO_FILTERS


def _json_object(text: str) -> dict[str, Any]:
    try:
        body = json.loads(text)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _verify_meaning(detail: str | None) -> Meaning:
    body = _json_object(detail or "")
    if body.get("ok"):
        return Meaning(VERIFIED, {"rows": str(body.get("rows", ""))})
    return Meaning(VERIFIED_BROKEN, {"broken": str(body.get("broken") or "-")})


def _changes(before: Any, after: Any) -> tuple[Change, ...]:
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    names = list(dict.fromkeys([*before, *after]))
    return tuple(
        Change(name, None, None, withheld=True) if name in WITHHELD_FIELDS
        else Change(name, _value(before, name), _value(after, name))
        for name in names if name in WITHHELD_FIELDS or before.get(name) != after.get(name)
        or name not in before or name not in after)


def _value(values: dict[str, Any], name: str) -> str | None:
    value = values.get(name)  # absent or null: "(none)" either way
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


# --- reading ---------------------------------------------------------------------------------


def _require_admin(who: Identity) -> None:
    if who.role != Role.ADMIN:
        raise NotAllowed("the audit log is for administrators")


def _conditions(db: Session, filters: AuditFilters, zone: ZoneInfo) -> list[Any]:
    conditions: list[Any] = []
    if filters.who:
        actor = db.scalar(select(User.id).where(User.username == filters.who))
        conditions.append(AuditEntry.actor_id == (actor or ""))  # nobody: no rows
    if filters.action:
        conditions.append(AuditEntry.action == filters.action)
    if filters.subject:
        numbered = select(Prisoner.id).where(Prisoner.number == filters.subject)
        conditions.append(or_(AuditEntry.record_id == filters.subject,
                              AuditEntry.prisoner_id == filters.subject,
                              AuditEntry.prisoner_id.in_(numbered)))
    if filters.since:
        conditions.append(AuditEntry.at >= _start_of(filters.since, zone))
    if filters.until:
        conditions.append(AuditEntry.at < _start_of(filters.until + timedelta(days=1), zone))
    return conditions


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def entries(db: Session, who: Identity, filters: AuditFilters, zone: ZoneInfo) -> LogPage:
    """One page of the filtered log, newest first."""
    _require_admin(who)
    conditions = _conditions(db, filters, zone)
    total = db.scalar(select(func.count()).select_from(AuditEntry).where(*conditions)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(filters.page, pages)
    rows = db.scalars(select(AuditEntry).where(*conditions).order_by(AuditEntry.seq.desc())
                      .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return LogPage(_entries(db, rows), total, page, pages)


def all_entries(db: Session, who: Identity, filters: AuditFilters, zone: ZoneInfo
                ) -> tuple[LogEntry, ...]:
    """Every entry of the filtered view (up to EXPORT_LIMIT), newest first: the export."""
    _require_admin(who)
    rows = db.scalars(select(AuditEntry).where(*_conditions(db, filters, zone))
                      .order_by(AuditEntry.seq.desc()).limit(EXPORT_LIMIT)).all()
    return _entries(db, rows)


def _entries(db: Session, rows: Any) -> tuple[LogEntry, ...]:
    people = {row.actor_id for row in rows if row.actor_id} | {
        row.record_id for row in rows if row.action == Action.ADMIN_CHANGE and row.record_id}
    actors = {user_id: (username, name) for user_id, username, name in db.execute(
        select(User.id, User.username, User.display_name).where(User.id.in_(people)))}
    prisons = dict(db.execute(select(Prison.id, Prison.code).where(Prison.id.in_(
        {row.record_id for row in rows if row.action == Action.ADMIN_CHANGE}))).all())
    numbers = dict(db.execute(select(Prisoner.id, Prisoner.number).where(
        Prisoner.id.in_({row.prisoner_id for row in rows if row.prisoner_id}))).all())
    result = []
    for row in rows:
        meaning, changes, recorded = meaning_of(row.action, row.purpose, row.detail)
        username, name = actors.get(row.actor_id or "", ("", ""))
        result.append(LogEntry(
            seq=row.seq, at=row.at, action=row.action, actor_username=username,
            actor_name=name, subject=row.record_id or "",
            subject_name=(prisons.get(row.record_id or "")
                          or actors.get(row.record_id or "", ("", ""))[0]),
            prisoner_number=numbers.get(row.prisoner_id or "", ""), meaning=meaning,
            changes=changes, recorded_text=recorded, change_code=_change_code(row)))
    return tuple(result)


def _change_code(row: AuditEntry) -> str:
    body = audit.change_of(row.detail) if row.action == Action.ADMIN_CHANGE else None
    return body["change"] if body else ""


# --- audited actions -------------------------------------------------------------------------


def log_export(db: Session, who: Identity, filters: AuditFilters, count: int,
               now: datetime) -> None:
    """A disclosure: who took which part of the log out of the app (the filters as codes)."""
    _require_admin(who)
    audit.append(db, at=now, action=Action.EXPORT, actor_id=who.user_id, record_id="audit",
                 purpose="audit.export",
                 detail=json.dumps({**filters.codes(), "rows": count}, sort_keys=True))


def log_verify(db: Session, who: Identity, result: audit.VerifyResult, now: datetime) -> None:
    """Who checked the chain, and what they were told (codes: ok, rows, first broken row)."""
    _require_admin(who)
    audit.append(db, at=now, action=Action.READ, actor_id=who.user_id, record_id="audit",
                 purpose="audit.verify",
                 detail=json.dumps({"ok": result.ok, "rows": result.rows_checked,
                                    "broken": result.first_broken_seq}, sort_keys=True))
