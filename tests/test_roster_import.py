"""Roster import: the file's faults by line and column, each kind of diff, and the upsert that
deletes nobody, records moves and releases, and takes released prisoners off the tablets."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.clock import utc_now
from app.db import unit_of_work
from app.models import AuditEntry, Prisoner, PrisonerMove
from app.services import audit
from app.services.roster_file import RosterRejected, parse_csv, parse_json
from app.services.roster_import import (
    CHANGE,
    NotAllowed,
    PreviewOutdated,
    UnknownPrison,
    import_roster,
)
from tests.helpers import api_client, bearer, identity
from tests.roster_data import PASSWORD, csv_of, new_account, new_prison, today

FIRST = csv_of("K-1001,Марко,Петровић,A,2024-01-10,",
               "K-1002,Ana,Jovanović,A,2024-02-01,",
               "K-1003,Jovan,Ilić,B,2024-03-05,")


def run(prison, data: bytes, *, dry_run=False, who="admin1", expect=None, parse=parse_csv):
    with unit_of_work() as db:
        return import_roster(db, identity(who), prison.code, parse(data), now=utc_now(),
                             dry_run=dry_run, expect=expect)


def prisoners(prison) -> dict[str, Prisoner]:
    with unit_of_work() as db:
        rows = db.scalars(select(Prisoner).where(Prisoner.prison_id == prison.prison_id)).all()
        db.expunge_all()
        return {p.number: p for p in rows}


def rejected(data: bytes, prison=None) -> list[tuple[int, str, str]]:
    with pytest.raises(RosterRejected) as caught:
        run(prison or new_prison(), data)
    return [(e.line, e.column, e.code) for e in caught.value.errors]


# --- the file ----------------------------------------------------------------------------------


def test_names_stay_in_their_script_with_or_without_a_byte_order_mark():
    prison = new_prison()
    run(prison, b"\xef\xbb\xbf" + FIRST)
    stored = prisoners(prison)
    assert (stored["K-1001"].given_name, stored["K-1001"].family_name) == ("Марко", "Петровић")
    assert stored["K-1002"].family_name == "Jovanović"
    assert stored["K-1001"].admitted_on == date(2024, 1, 10)
    assert stored["K-1001"].released_on is None


def test_semicolons_any_column_order_and_no_release_column():
    rows = parse_csv("Wing;Family_Name;given_name;prisoner_number;admitted_on\n"
                     "A;Petrović;Marko;K-1;2024-01-10\n".encode()).rows
    assert [(r.number, r.given_name, r.family_name, r.wing, r.released_on) for r in rows] == [
        ("K-1", "Marko", "Petrović", "A", None)]


def test_every_fault_is_named_by_line_and_column():
    data = csv_of("K-1,Marko,Petrović,A,10.01.2024,",      # line 2: a local date
                  "K-2,,Ilić,A,2024-01-10,",                # line 3: no given name
                  "K-1,Ana,Ilić,A,2024-01-10,",             # line 4: number again
                  f"K-4,{'x' * 81},Ilić,A,2024-01-10,",     # line 5: too long
                  "K-5,Ana,Ilić,A,2024-02-30,",             # line 6: no such day
                  "K-6,Ana,Ilić,A,2024-01-10,2023-01-01",   # line 7: out before in
                  "K 7,Ana,Ilić,A,2024-01-10,",             # line 8: a space in the number
                  "K-8,Ana,Ilić,A",                         # line 9: too few fields
                  "K-9,Ana,Ilić,A,2024-13-01,")             # line 10
    assert rejected(data) == [
        (2, "admitted_on", "bad_date"), (3, "given_name", "required"),
        (4, "prisoner_number", "repeated_number"), (5, "given_name", "too_long"),
        (6, "admitted_on", "bad_date"), (7, "released_on", "released_before_admitted"),
        (8, "prisoner_number", "number_form"), (9, "", "field_count"),
        (10, "admitted_on", "bad_date")]


def test_a_repeated_number_names_the_first_line():
    (error,) = parse_csv(csv_of("K-1,A,B,A,2024-01-10,", "K-2,A,B,A,2024-01-10,",
                                "K-1,A,B,A,2024-01-10,")).faults
    assert (error.line, error.params) == (4, {"line": 2})


def test_a_quoted_line_break_counts_in_the_line_numbers():
    data = csv_of('K-1,"Ana\nMarija",Ilić,A,2024-01-10,', "K-2,Ana,Ilić,A,bad,")
    assert rejected(data) == [(2, "given_name", "control_character"), (4, "admitted_on", "bad_date")]


def test_only_real_line_ends_count():
    data = csv_of("K-1,Ana\u2028Marija,Ilić,A,2024-01-10,").replace(b"\n", b"\r\n")
    assert rejected(data + "K-2,Ana,Ilić,A,bad,\r\n".encode()) == [
        (2, "given_name", "control_character"), (3, "admitted_on", "bad_date")]


def test_header_faults():
    assert rejected(b"prisoner_number,given_name,surname,wing,admitted_on\n") == [
        (1, "surname", "unknown_column"), (1, "family_name", "missing_column")]
    assert rejected(b"") == [(1, "", "empty")]
    assert rejected(FIRST.replace("Марко".encode(), b"\xff")) == [(2, "", "not_utf8")]


def test_wings_must_be_this_prisons_and_open():
    prison = new_prison()
    data = csv_of("K-1,Ana,Ilić,Z,2024-01-10,",             # no such wing here
                  "K-2,Ana,Ilić,C,2024-01-10,",             # closed, and held
                  "K-3,Ana,Ilić,C,2019-01-10,2019-06-01")   # closed, but released: history
    assert rejected(data, prison) == [(2, "wing", "unknown_wing"), (3, "wing", "wing_closed")]


def test_the_files_faults_and_the_wings_come_together():
    data = csv_of("K-1,Ana,Ilić,Z,2024-01-10,", "K-2,Ana,Ilić,A,2024-01-xx,")
    assert rejected(data) == [(2, "wing", "unknown_wing"), (3, "admitted_on", "bad_date")]


def test_json_rows_and_their_faults():
    prison = new_prison()
    body = [{"prisoner_number": "K-1", "given_name": "Ана", "family_name": "Илић",
             "wing": "B", "admitted_on": "2024-01-10", "released_on": None}]
    diff = run(prison, json.dumps(body).encode(), parse=parse_json)
    assert [a.number for a in diff.added] == ["K-1"]
    bad = [{"prisoner_number": 7, "given_name": "Ana", "family_name": "Ilić", "wing": "A",
            "admitted_on": "2024-01-10", "cell": "3"}, "K-2"]
    with pytest.raises(RosterRejected) as caught:
        run(prison, json.dumps(bad).encode(), parse=parse_json)
    assert [(e.line, e.column, e.code) for e in caught.value.errors] == [
        (1, "cell", "unknown_column"), (1, "prisoner_number", "not_text"),
        (1, "prisoner_number", "required"), (2, "", "not_an_object")]


def test_a_rejected_file_changes_nothing():
    prison = new_prison()
    run(prison, FIRST)
    before = prisoners(prison)
    with unit_of_work() as db:
        audit_rows = db.scalar(select(func.count()).select_from(AuditEntry))
    broken = csv_of("K-1001,Marko,Novi,B,2024-01-10,", "K-1004,Ana,Ilić,Z,2024-01-10,")
    assert rejected(broken, prison) == [(3, "wing", "unknown_wing")]
    after = prisoners(prison)
    assert {n: (p.given_name, p.family_name, p.wing_id, p.released_on)
            for n, p in after.items()} == {n: (p.given_name, p.family_name, p.wing_id,
                                               p.released_on) for n, p in before.items()}
    with unit_of_work() as db:
        assert db.scalar(select(func.count()).select_from(AuditEntry)) == audit_rows


# --- the diff and the upsert -------------------------------------------------------------------


def test_dry_run_shows_each_kind_and_changes_nothing():
    prison = new_prison()
    first = run(prison, FIRST)
    assert [a.number for a in first.added] == ["K-1001", "K-1002", "K-1003"]
    second = csv_of("K-1001,Марко,Петровић,B,2024-01-10,",           # moved A -> B
                    "K-1002,Ana,Jovanović-Ilić,A,2024-02-01,",        # renamed
                    "K-1004,Petar,Nikolić,A,2024-06-01,")            # added; K-1003 missing
    diff = run(prison, second, dry_run=True)
    assert [(m.number, m.from_wing, m.to_wing) for m in diff.moved] == [("K-1001", "A", "B")]
    assert [(r.before, r.after) for r in diff.renamed] == [("Ana Jovanović",
                                                             "Ana Jovanović-Ilić")]
    assert [a.number for a in diff.added] == ["K-1004"]
    assert [(m.number, m.wing, m.released_on) for m in diff.missing] == [
        ("K-1003", "B", today())]
    assert diff.counts() == {"rows": 3, "added": 1, "moved": 1, "renamed": 1, "released": 0,
                             "missing": 1, "returned": 0, "unchanged": 0}
    assert not diff.applied
    assert set(prisoners(prison)) == {"K-1001", "K-1002", "K-1003"}
    assert prisoners(prison)["K-1001"].wing_id == prison.wing_ids["A"]


def test_apply_moves_renames_releases_and_deletes_nobody():
    prison = new_prison()
    run(prison, FIRST)
    out = (today() + timedelta(days=-1)).isoformat()
    diff = run(prison, csv_of("K-1001,Марко,Петровић,B,2024-01-10,",
                              f"K-1002,Ana,Jovanović,A,2024-02-01,{out}"))
    assert [r.number for r in diff.released] == ["K-1002"]
    assert [m.number for m in diff.missing] == ["K-1003"]
    stored = prisoners(prison)
    assert set(stored) == {"K-1001", "K-1002", "K-1003"}  # nobody deleted
    assert stored["K-1001"].wing_id == prison.wing_ids["B"]
    assert stored["K-1002"].released_on == today() - timedelta(days=1)
    assert stored["K-1003"].released_on == today()
    with unit_of_work() as db:
        moves = db.execute(select(PrisonerMove.from_wing_id, PrisonerMove.to_wing_id,
                                  PrisonerMove.moved_on)
                           .where(PrisonerMove.prisoner_id == stored["K-1001"].id)).all()
    assert moves == [(prison.wing_ids["A"], prison.wing_ids["B"], today())]
    # The same file again: nothing left to do, and the released stay released.
    again = run(prison, csv_of("K-1001,Марко,Петровић,B,2024-01-10,",
                               f"K-1002,Ana,Jovanović,A,2024-02-01,{out}"), dry_run=True)
    assert again.counts()["unchanged"] == 2 and again.missing == [] and again.moved == []


def test_a_released_prisoner_held_again_is_returned():
    prison = new_prison()
    run(prison, csv_of("K-1,Ana,Ilić,A,2023-01-10,2023-05-01"))
    diff = run(prison, csv_of("K-1,Ana,Ilić,B,2025-02-01,"))
    assert [(r.number, r.admitted_on) for r in diff.returned] == [("K-1", date(2025, 2, 1))]
    assert [m.number for m in diff.moved] == ["K-1"]
    assert prisoners(prison)["K-1"].released_on is None


def test_one_audit_row_with_counts_and_no_names():
    prison = new_prison()
    run(prison, FIRST)
    with unit_of_work() as db:
        entry = db.scalars(select(AuditEntry).where(AuditEntry.record_id == prison.prison_id)
                           ).one()
    change = audit.change_of(entry.detail)
    assert change["change"] == CHANGE
    assert change["before"] == {"held": 0}
    assert {k: change["after"][k] for k in ("held", "rows", "added", "missing", "format")} == {
        "held": 3, "rows": 3, "added": 3, "missing": 0, "format": "csv"}
    assert len(change["after"]["file_sha256"]) == 64
    assert "Петровић" not in entry.detail and "Jovanovi" not in entry.detail


def test_apply_after_a_preview_does_what_was_previewed_or_nothing():
    prison = new_prison()
    preview = run(prison, FIRST, dry_run=True)
    run(prison, csv_of("K-1009,Ana,Ilić,A,2024-01-10,"))  # someone else imports meanwhile
    with pytest.raises(PreviewOutdated):
        run(prison, FIRST, expect=preview.digest)
    fresh = run(prison, FIRST, dry_run=True)
    assert run(prison, FIRST, expect=fresh.digest).applied


def test_only_administrators_and_the_roster_service_may_import():
    prison = new_prison()
    for username in ("officer1", "screener1", "security1"):
        with pytest.raises(NotAllowed):
            run(prison, FIRST, who=username, dry_run=True)
    assert run(prison, FIRST, who=new_account("roster_service")).applied
    with pytest.raises(UnknownPrison):
        with unit_of_work() as db:
            import_roster(db, identity("admin1"), "NOPE", parse_csv(FIRST), now=utc_now(),
                          dry_run=True)


def test_a_released_prisoner_leaves_the_officers_bootstrap():
    prison = new_prison()
    officer = new_account("officer", prison, "A")
    run(prison, FIRST)

    def roster() -> list[str]:
        response = api_client().get("/api/v1/bootstrap", headers=bearer(officer, PASSWORD))
        assert response.status_code == 200, response.text
        return sorted(entry["number"] for entry in response.json()["roster"])

    assert roster() == ["K-1001", "K-1002"]
    run(prison, csv_of(f"K-1001,Марко,Петровић,A,2024-01-10,{today().isoformat()}",
                       "K-1002,Ana,Jovanović,B,2024-02-01,", "K-1003,Jovan,Ilić,B,2024-03-05,"))
    assert roster() == []  # K-1001 released today, K-1002 moved to B
