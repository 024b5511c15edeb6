"""What the roster page shows: a dry run's diff, or a refused file's faults, as strings in the
reader's language, made from app/services/roster_import's dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.i18n.messages import Messages, N_
from app.services.roster_file import RowError
from app.services.roster_import import RosterDiff

SHOWN = 200  # rows of each table on the page; the counts say how many there are in all


@dataclass(frozen=True)
class Count:
    label: str
    value: str


@dataclass(frozen=True)
class ChangeTable:
    key: str  # the kind of change, for tests and anchors
    title: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    more: str = ""  # "and 1,234 more" when the table is cut at SHOWN


@dataclass(frozen=True)
class Fault:
    line: str
    column: str
    message: str


@dataclass(frozen=True)
class RosterPreview:
    counts: list[Count] = field(default_factory=list)
    tables: list[ChangeTable] = field(default_factory=list)
    nothing_to_do: bool = False


def preview(diff: RosterDiff, words: Messages) -> RosterPreview:
    t, day = words.t, words.day
    number, name, wing = t("Prisoner number"), t("Name"), t("Wing")
    tables = [
        _table(words, "added", N_("Added"), [number, name, wing, t("Admitted"), t("Released")],
               [[a.number, a.name, a.wing, day(a.admitted_on),
                 day(a.released_on) if a.released_on else ""] for a in diff.added]),
        _table(words, "moved", N_("Moved between wings"), [number, name, t("From"), t("To")],
               [[m.number, m.name, m.from_wing, m.to_wing] for m in diff.moved]),
        _table(words, "renamed", N_("Renamed"), [number, t("Before"), t("After")],
               [[r.number, r.before, r.after] for r in diff.renamed]),
        _table(words, "released", N_("Released"), [number, name, wing, t("Release date")],
               [[r.number, r.name, r.wing, day(r.released_on)] for r in diff.released]),
        _table(words, "missing", N_("Not in the file: released on the import day"),
               [number, name, wing, t("Release date")],
               [[m.number, m.name, m.wing, day(m.released_on)] for m in diff.missing]),
        _table(words, "returned", N_("Held again after a release"),
               [number, name, wing, t("Admitted")],
               [[r.number, r.name, r.wing, day(r.admitted_on)] for r in diff.returned]),
    ]
    counts = diff.counts()
    labels = {"rows": N_("Prisoners in the file"), "added": N_("Added"),
              "moved": N_("Moved between wings"), "renamed": N_("Renamed"),
              "released": N_("Released"), "missing": N_("Not in the file"),
              "returned": N_("Held again"), "unchanged": N_("Unchanged")}
    return RosterPreview(
        counts=[Count(t(label), words.number(counts[key])) for key, label in labels.items()],
        tables=[table for table in tables if table.rows],
        nothing_to_do=not any(table.rows for table in tables),
    )


def _table(words: Messages, key: str, title: str, columns: list[str], rows: list[list[str]]
           ) -> ChangeTable:
    more = len(rows) - SHOWN
    return ChangeTable(key, words.t(title), columns, rows[:SHOWN],
                       words.tn("and {count} more", "and {count} more", more) if more > 0
                       else "")


def faults(errors: list[RowError], words: Messages) -> list[Fault]:
    return [Fault(words.number(e.line) if e.line else "", e.column, e.said(words))
            for e in errors]


def fault_summary(total: int, words: Messages) -> str:
    return words.tn("The file has {count} error; nothing was changed.",
                    "The file has {count} errors; nothing was changed.", total)
