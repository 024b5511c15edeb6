"""Loading a prison's roster from its management system's export: a dry run's diff, then the
upsert keyed on the prisoner number (issue 11, item 4).

Nobody is deleted: old observations are about them and name the wing they were made on. A move
is a PrisonerMove row dated the import day; a release sets released_on, which takes the prisoner
off the tablets' rosters (roster.still_held). The export is the whole roster, so a prisoner held
here whom it no longer lists has left: released on the import day (docs/decisions.md).

20 000 rows must import in seconds (bench/roster_import.py): one read of the prison's prisoners,
then bulk insert()/update() executemany, never one ORM flush per row.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from sqlalchemy import Row, func, insert, select, update
from sqlalchemy.orm import Session

from app.clock import prisons_today
from app.i18n.messages import N_
from app.models import Prison, Prisoner, PrisonerMove, User, Wing, new_id
from app.services import audit
from app.services.accounts import Identity
from app.services.organisation_reads import wing_open_on
from app.services.roster import still_held
from app.services.roster_file import WING, RosterFile, RosterRejected, RosterRow, RowError
from app.vocabulary import Role

CHANGE = "roster.import"  # the audit row's change code
WRITERS = frozenset({Role.ADMIN, Role.ROSTER_SERVICE})


class NotAllowed(Exception):
    """Only an administrator or the prison management system's account loads a roster."""


class UnknownPrison(Exception):
    pass


class PreviewOutdated(Exception):
    """The database changed between the preview and "Apply": what was shown is not what would
    happen any more."""


# --- the diff, keyed on the prisoner number ----------------------------------------------------


@dataclass(frozen=True)
class Added:
    number: str
    name: str
    wing: str
    admitted_on: date
    released_on: date | None


@dataclass(frozen=True)
class Moved:
    number: str
    name: str
    from_wing: str
    to_wing: str


@dataclass(frozen=True)
class Renamed:
    number: str
    before: str
    after: str


@dataclass(frozen=True)
class Released:
    """Released on the file's date; or, for a prisoner held here the file no longer lists
    (`missing`), on the import day."""

    number: str
    name: str
    wing: str
    released_on: date


@dataclass(frozen=True)
class Returned:
    """Released before, held again by this file (readmitted under the same number)."""

    number: str
    name: str
    wing: str
    admitted_on: date


@dataclass
class RosterDiff:
    prison_code: str
    day: date  # the import day: of moves and of the missing prisoners' release
    rows: int
    added: list[Added] = field(default_factory=list)
    moved: list[Moved] = field(default_factory=list)
    renamed: list[Renamed] = field(default_factory=list)
    released: list[Released] = field(default_factory=list)
    missing: list[Released] = field(default_factory=list)
    returned: list[Returned] = field(default_factory=list)
    unchanged: int = 0
    applied: bool = False

    def counts(self) -> dict[str, int]:
        return {"rows": self.rows, "added": len(self.added), "moved": len(self.moved),
                "renamed": len(self.renamed), "released": len(self.released),
                "missing": len(self.missing), "returned": len(self.returned),
                "unchanged": self.unchanged}

    @property
    def digest(self) -> str:
        """What this diff would do, as a fingerprint: "Apply" after a preview refuses to do
        anything else (PreviewOutdated)."""
        body = {kind: [asdict(change) for change in getattr(self, kind)]
                for kind in ("added", "moved", "renamed", "released", "missing", "returned")}
        body["at"] = [self.prison_code, self.day]
        return hashlib.sha256(json.dumps(body, default=str, sort_keys=True).encode()).hexdigest()


@dataclass
class _Plan:
    """The writes a diff needs, in the shapes executemany takes."""

    inserts: list[dict] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)
    releases: list[dict] = field(default_factory=list)  # the missing: released_on only
    moves: list[dict] = field(default_factory=list)


# --- the one entry point -----------------------------------------------------------------------


def import_roster(db: Session, who: Identity, prison_code: str, roster: RosterFile, *,
                  now: datetime, dry_run: bool, expect: str | None = None) -> RosterDiff:
    """The diff of `roster` against the prison's prisoners; unless `dry_run`, applied in the
    caller's transaction with one audit row. `expect`: the digest of the diff a person was
    shown; anything else is refused. RosterRejected if a row names a wing it cannot."""
    if who.role not in WRITERS:
        raise NotAllowed()
    query = select(Prison).where(Prison.code == prison_code)
    # Two imports of one prison at once would both insert the same new numbers: they queue.
    prison = db.scalar(query if dry_run else query.with_for_update())
    if prison is None:
        raise UnknownPrison(prison_code)
    if who.role == Role.ROSTER_SERVICE and _home_prison(db, who) not in (None, prison.id):
        raise NotAllowed()  # one prison's system cannot replace another prison's roster
    day = prisons_today(now)
    wings = {wing.code: wing for wing in db.execute(
        select(Wing.code, Wing.id, wing_open_on(day).label("open"))
        .where(Wing.prison_id == prison.id))}
    _refuse_faults(roster, wings, day)
    diff, plan = _compare(db, prison, roster.rows, wings, day, now)
    if expect is not None and expect != diff.digest:
        raise PreviewOutdated()
    if not dry_run:
        held_before = _held(db, prison.id, day)
        _write(db, plan)
        diff.applied = True
        audit.record_change(db, at=now, actor_id=who.user_id, change=CHANGE, subject=prison.id,
                            before={"held": held_before},
                            after={"held": _held(db, prison.id, day), **diff.counts(),
                                   "format": roster.format, "file_sha256": roster.sha256})
    return diff


def _home_prison(db: Session, who: Identity) -> str | None:
    """A service account's own prison (User.prison_id; it has no postings), or None: the
    ministry's central system, which loads every prison's roster."""
    return db.scalar(select(User.prison_id).where(User.id == who.user_id))


def _refuse_faults(roster: RosterFile, wings: dict[str, Row], day: date) -> None:
    """The file's faults and the wings': every wing must be this prison's, and a prisoner still
    held cannot be put on a closed wing (a released prisoner's last wing may have closed since:
    that is history). All of them at once, or nothing to refuse."""
    errors = list(roster.faults)
    for row in roster.rows:
        wing = wings.get(row.wing)
        if wing is None:
            errors.append(RowError(row.line, WING, "unknown_wing",
                                   N_("This prison has no wing {wing}."), {"wing": row.wing}))
        elif not wing.open and _held_on(row.released_on, day):
            errors.append(RowError(row.line, WING, "wing_closed",
                                   N_("Wing {wing} is closed: it takes no prisoners."),
                                   {"wing": row.wing}))
    if errors:
        raise RosterRejected(errors)


def _held_on(released_on: date | None, day: date) -> bool:
    """roster.still_held, for a value in hand."""
    return released_on is None or released_on > day


def _held(db: Session, prison_id: str, day: date) -> int:
    return db.scalar(select(func.count()).select_from(Prisoner).where(
        Prisoner.prison_id == prison_id, still_held(day)))


# --- comparing ---------------------------------------------------------------------------------


def _compare(db: Session, prison: Prison, rows: list[RosterRow], wings: dict[str, Row],
             day: date, now: datetime) -> tuple[RosterDiff, _Plan]:
    code_of = {wing.id: wing.code for wing in wings.values()}
    stored = {p.number: p for p in db.execute(
        select(Prisoner.id, Prisoner.number, Prisoner.given_name, Prisoner.family_name,
               Prisoner.wing_id, Prisoner.admitted_on, Prisoner.released_on)
        .where(Prisoner.prison_id == prison.id))}
    diff, plan = RosterDiff(prison.code, day, len(rows)), _Plan()
    for row in rows:
        name = f"{row.given_name} {row.family_name}"
        wing_id = wings[row.wing].id
        values = {"wing_id": wing_id, "given_name": row.given_name,
                  "family_name": row.family_name, "admitted_on": row.admitted_on,
                  "released_on": row.released_on}
        old = stored.pop(row.number, None)
        if old is None:
            diff.added.append(Added(row.number, name, row.wing, row.admitted_on, row.released_on))
            plan.inserts.append({"id": new_id(), "prison_id": prison.id, "number": row.number,
                                 **values})
            continue
        if all(getattr(old, key) == value for key, value in values.items()):
            diff.unchanged += 1
            continue
        plan.updates.append({"id": old.id, **values})
        if old.wing_id != wing_id:
            diff.moved.append(Moved(row.number, name, code_of[old.wing_id], row.wing))
            plan.moves.append({"prisoner_id": old.id, "from_wing_id": old.wing_id,
                               "to_wing_id": wing_id, "moved_on": day, "recorded_at": now})
        if (old.given_name, old.family_name) != (row.given_name, row.family_name):
            diff.renamed.append(Renamed(row.number, f"{old.given_name} {old.family_name}", name))
        if row.released_on is not None and row.released_on != old.released_on:
            diff.released.append(Released(row.number, name, row.wing, row.released_on))
        elif not _held_on(old.released_on, day) and _held_on(row.released_on, day):
            diff.returned.append(Returned(row.number, name, row.wing, row.admitted_on))
        # Otherwise only the admission date was corrected: written, not listed.
    for old in stored.values():  # in the database, not in the file
        if _held_on(old.released_on, day):
            diff.missing.append(Released(old.number, f"{old.given_name} {old.family_name}",
                                         code_of[old.wing_id], day))
            plan.releases.append({"id": old.id, "released_on": day})
    return diff, plan


def _write(db: Session, plan: _Plan) -> None:
    # ORM bulk statements: one executemany each (by primary key for the updates).
    if plan.inserts:
        db.execute(insert(Prisoner), plan.inserts)
    if plan.updates:
        db.execute(update(Prisoner), plan.updates)
    if plan.releases:
        db.execute(update(Prisoner), plan.releases)
    if plan.moves:
        db.execute(insert(PrisonerMove), plan.moves)
