"""What the tablet pages show: the administrators' list and the security head's notice, as plain
strings in the reader's language. No Reflex here, and no observation content anywhere."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.i18n.messages import Messages, N_
from app.services.tablet_reads import Attention, AttentionSummary, HeldRow, TabletRow

NONE = "–"

# Why a tablet is highlighted, in words (the colour is only a second way of saying it).
REASONS = {
    Attention.WAITING_LONG: N_("An entry has waited on it more than 24 hours."),
    Attention.SILENT: N_("Not heard from for 3 days or more."),
    Attention.BACK_AFTER_LOST: N_("Marked lost, but heard from again."),
}


@dataclass(frozen=True)
class TabletView:
    device_id: str
    prison: str
    last_contact: str
    last_officer: str
    waiting: str
    oldest_waiting: str
    app_version: str
    lost: str  # "Marked lost on … by …", or ""
    reasons: list[str] = field(default_factory=list)
    attention: bool = False
    can_mark_lost: bool = False


@dataclass(frozen=True)
class HeldView:
    officer: str
    device_id: str
    waiting: str
    oldest_waiting: str
    reported: str


@dataclass(frozen=True)
class TabletNotice:
    """The trends page's "N tablets need attention", with the reasons; empty when none do."""

    title: str = ""
    reasons: list[str] = field(default_factory=list)


def tablet_view(row: TabletRow, words: Messages) -> TabletView:
    officer = NONE
    if row.last_officer:
        officer = f"{row.last_officer} ({row.last_officer_username})"
        if not row.last_officer_active:
            officer = words.t("{name}, deactivated", name=officer)
    lost = ""
    if row.lost_at is not None:
        lost = words.t("Marked lost on {when} by {name}.", when=words.moment(row.lost_at),
                       name=row.lost_by or NONE)
    return TabletView(
        device_id=row.device_id, prison=row.prison_code or NONE,
        last_contact=words.moment(row.last_contact_at), last_officer=officer,
        waiting=words.number(row.waiting),
        oldest_waiting=words.moment(row.oldest_waiting_at) if row.oldest_waiting_at else NONE,
        app_version=row.app_version or NONE, lost=lost,
        reasons=[words.t(REASONS[reason]) for reason in row.attention],
        attention=bool(row.attention), can_mark_lost=row.lost_at is None)


def held_view(row: HeldRow, words: Messages) -> HeldView:
    return HeldView(
        officer=f"{row.officer} ({row.username})", device_id=row.device_id,
        waiting=words.number(row.waiting),
        oldest_waiting=words.moment(row.oldest_waiting_at) if row.oldest_waiting_at else NONE,
        reported=words.moment(row.reported_at) if row.reported_at else NONE)


def summary_line(rows: list[TabletRow], words: Messages) -> str:
    needing = sum(1 for row in rows if row.attention)
    return words.tn("{count} tablet.", "{count} tablets.", len(rows)) + " " + words.tn(
        "{count} needs attention.", "{count} need attention.", needing)


# The trends page's reasons, counted: no officer named, no tablet either.
_COUNTED: dict[Attention, Callable[[Messages, int], str]] = {
    Attention.WAITING_LONG: lambda w, n: w.tn(
        "{count} with an entry waiting more than 24 hours",
        "{count} with an entry waiting more than 24 hours", n),
    Attention.SILENT: lambda w, n: w.tn("{count} not heard from for 3 days or more",
                                        "{count} not heard from for 3 days or more", n),
    Attention.BACK_AFTER_LOST: lambda w, n: w.tn("{count} marked lost but heard from again",
                                                 "{count} marked lost but heard from again", n),
}


def tablet_notice(summary: AttentionSummary, words: Messages) -> TabletNotice:
    if not summary.tablets:
        return TabletNotice()
    reasons = [say(words, summary.by_reason[reason]) for reason, say in _COUNTED.items()
               if summary.by_reason.get(reason)]
    return TabletNotice(
        title=words.tn("{count} tablet needs attention", "{count} tablets need attention",
                       summary.tablets),
        reasons=reasons)
