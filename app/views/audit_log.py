"""The audit log and the key status in the reader's words: what the page, the API and the CSV
show (strings only; the services give codes and message ids)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final

from app.i18n.labels import label
from app.i18n.messages import Messages, N_, placeholders
from app.services.audit import Action, VerifyResult
from app.services.audit_log import Change, LogEntry, LogPage, Meaning
from app.services.key_status import KeyInfo, KeyKind, KeyUse

ACTION_LABELS: Final[dict[Action, str]] = {
    Action.CREATE: N_("Record created"),
    Action.READ: N_("Record read"),
    Action.DECISION: N_("Screening step"),
    Action.EXPORT: N_("Export"),
    Action.ERASE: N_("Erasure"),
    Action.SIGN_IN: N_("Sign-in"),
    Action.SIGN_OUT: N_("Sign-out"),
    Action.SIGN_IN_FAILED: N_("Failed sign-in"),
    Action.ADMIN_CHANGE: N_("Administrative change"),
    Action.DISCLOSE: N_("Disclosure"),
    Action.HOLD: N_("Legal hold"),
    Action.RESTRICT: N_("Restriction"),
    Action.REVIEW: N_("Retention review"),
}
KEY_LABELS: Final[dict[KeyKind, str]] = {
    KeyKind.TOKEN: N_("Token signing key"),
    KeyKind.DATA: N_("Data encryption key"),
    KeyKind.SEALING: N_("Tablet sealing key"),
    KeyKind.AUDIT: N_("Audit head signing key"),
}
KEY_PURPOSES: Final[dict[KeyKind, str]] = {
    KeyKind.TOKEN: N_("Signs the bearer tokens of the API and the capture page."),
    KeyKind.DATA: N_("Encrypts observation and screening text in the database."),
    KeyKind.SEALING: N_("Tablets seal entries waiting to be sent to it."),
    KeyKind.AUDIT: N_("Signs the end of the audit log, kept outside the database."),
}
USE_LABELS: Final[dict[KeyUse, str]] = {
    KeyUse.CURRENT: N_("In use"),
    KeyUse.RETIRING: N_("Retiring: still accepted until {until}"),
    KeyUse.EXPIRED: N_("Expired: deleted at the next load"),
    KeyUse.OLDER: N_("Older: decrypts values not yet re-encrypted"),
}
# Periods the page offers, in days back from the chosen last day (no browser date field).
PERIOD_DAYS: Final[dict[str, str]] = {
    "1": N_("That day"),
    "7": N_("7 days"),
    "30": N_("30 days"),
    "90": N_("90 days"),
    "365": N_("A year"),
    "all": N_("All time"),
}
LAST_DAYS_OFFERED = 60
TODAY = "today"


@dataclass(frozen=True)
class EntryView:
    seq: str = ""
    when: str = ""
    action: str = ""
    actor: str = ""
    subject: str = ""
    prisoner: str = ""  # the prisoner's number, never their name
    meaning: str = ""
    changes: list[str] = field(default_factory=list)  # "field: before -> after"
    recorded: str = ""  # an older row's own words, shown as recorded


@dataclass(frozen=True)
class KeyView:
    kind: str = ""  # the code, for the rotate button
    name: str = ""
    purpose: str = ""
    kid: str = ""
    created: str = ""
    use: str = ""
    current: bool = False
    rotatable: bool = False


def meaning_text(words: Messages, meaning: Meaning) -> str:
    params = {name: words.t(msgid) for name, msgid in meaning.labels.items()}
    params.update(meaning.params)
    # a row missing a value the sentence names says "-" there rather than failing
    params.update({name: "-" for name in placeholders(meaning.msgid) - params.keys()})
    return words.t(meaning.msgid, **params)


def change_text(words: Messages, change: Change) -> str:
    if change.withheld:
        return words.t("{field}: (not shown)", field=change.field)
    empty = words.t("(none)")
    return words.t("{field}: {before} -> {after}", field=change.field,
                   before=empty if change.before is None else change.before,
                   after=empty if change.after is None else change.after)


def actor_text(words: Messages, entry: LogEntry) -> str:
    if not entry.actor_username:
        return words.t("Nobody signed in")
    return words.t("{name} ({username})", name=entry.actor_name, username=entry.actor_username)


def entry_view(words: Messages, entry: LogEntry) -> EntryView:
    return EntryView(
        seq=str(entry.seq), when=words.moment(entry.at), action=label(words, ACTION_LABELS,
                                                                      entry.action),
        actor=actor_text(words, entry),
        subject=f"{entry.subject_name} ({entry.subject})" if entry.subject_name else entry.subject,
        prisoner=entry.prisoner_number,
        meaning=meaning_text(words, entry.meaning),
        changes=[change_text(words, change) for change in entry.changes],
        recorded=entry.recorded_text)


def page_summary(words: Messages, page: LogPage) -> str:
    return words.tn("Page {page} of {pages}, {count} entry",
                    "Page {page} of {pages}, {count} entries", page.total,
                    page=words.number(page.page), pages=words.number(page.pages))


def verify_text(words: Messages, result: VerifyResult) -> tuple[str, str]:
    """The outcome in a sentence, and the verifier's own technical reason (English, as the
    command line prints it) for whoever investigates."""
    if result.ok:
        return words.tn("Audit log intact: {count} row checked.",
                        "Audit log intact: {count} rows checked.", result.rows_checked), ""
    if result.first_broken_seq is None:
        return words.t("Audit log NOT verified: the signed head cannot be checked."), result.reason
    return words.t("Audit log BROKEN at row {row}.",
                   row=words.number(result.first_broken_seq)), result.reason


def key_view(words: Messages, key: KeyInfo, rotatable: bool) -> KeyView:
    use = (words.t(USE_LABELS[key.use], until=words.moment(key.until))
           if key.use is KeyUse.RETIRING and key.until else words.t(USE_LABELS[key.use]))
    created = (words.t("From the environment") if key.from_environment
               else words.moment(key.created) if key.created else "")
    return KeyView(kind=key.kind.value, name=words.t(KEY_LABELS[key.kind]),
                   purpose=words.t(KEY_PURPOSES[key.kind]), kid=key.kid, created=created,
                   use=use, current=key.use is KeyUse.CURRENT,
                   rotatable=rotatable and key.use is KeyUse.CURRENT)


def day_choices(words: Messages, today: date, chosen: str) -> list[list[str]]:
    """The last days a period may end with, newest first, as the locale writes them; the URL's
    own day too when it is older."""
    choices = [[TODAY, words.t("Today")]] + [
        [(today - timedelta(days=n)).isoformat(), words.day(today - timedelta(days=n))]
        for n in range(1, LAST_DAYS_OFFERED)]
    if (day := iso_day(chosen)) and chosen not in {value for value, _ in choices}:
        choices.append([chosen, words.day(day)])
    return choices


def iso_day(text: str) -> date | None:
    """A YYYY-MM-DD day, or None for anything else (a URL may say anything)."""
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


# Cells a spreadsheet would run as a formula (OWASP CSV injection): a username typed at a
# failed sign-in is whatever someone typed.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA) else text


def to_csv(words: Messages, entries: list[EntryView], filters: dict[str, str]) -> bytes:
    """The filtered view as the page shows it; UTF-8 with a byte order mark for Excel."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([words.t("Audit log"), ", ".join(f"{k}={v}" for k, v in filters.items())])
    writer.writerow([words.t(heading) for heading in (
        N_("Row"), N_("Time"), N_("Action"), N_("Who"), N_("Subject"), N_("Prisoner number"),
        N_("What it means"), N_("Changes"), N_("Recorded text"))])
    for entry in entries:
        writer.writerow([_cell(value) for value in (
            entry.seq, entry.when, entry.action, entry.actor, entry.subject, entry.prisoner,
            entry.meaning, "; ".join(entry.changes), entry.recorded)])
    return out.getvalue().encode("utf-8-sig")
