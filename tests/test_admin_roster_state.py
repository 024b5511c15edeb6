"""The roster page's handlers: "Apply" imports exactly the previewed bytes or nothing, and the
handlers that take an argument take anything the browser could send."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import reflex as rx
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from app.db import unit_of_work
from app.models import Prisoner
from state.admin_roster import AdminRosterState
from tests.roster_data import csv_of, new_prison
from tests.test_page_params_fuzz import HANDLER_FUZZ, StandIn, cookie_of, hostile, router, \
    run_handler

FILE = csv_of("K-1,Марко,Петровић,A,2024-01-10,", "K-2,Ana,Ilić,B,2024-02-01,")


def page_for(prison_code: str) -> StandIn:
    page = StandIn(AdminRosterState, router(cookie_of("admin1"), "/admin/roster",
                                            {"prison": prison_code}))
    run_handler(AdminRosterState, "load", page)
    assert page.prison == prison_code
    return page


def upload(data: bytes, name: str = "roster.csv") -> list[rx.UploadFile]:
    return [rx.UploadFile(file=io.BytesIO(data), path=Path(name))]


def numbers(prison) -> set[str]:
    with unit_of_work() as db:
        return set(db.scalars(select(Prisoner.number).where(
            Prisoner.prison_id == prison.prison_id)))


def test_apply_imports_the_previewed_file():
    prison = new_prison()
    page = page_for(prison.code)
    run_handler(AdminRosterState, "preview", page, upload(FILE))
    assert page.previewed and page.file_name == "roster.csv"
    assert [table.key for table in page.view.tables] == ["added"]
    assert numbers(prison) == set()
    run_handler(AdminRosterState, "apply", page)
    assert page.applied and not page.previewed and page.notice
    assert numbers(prison) == {"K-1", "K-2"}


def test_apply_refuses_when_the_roster_changed_since_the_preview():
    prison = new_prison()
    page = page_for(prison.code)
    run_handler(AdminRosterState, "preview", page, upload(FILE))
    other = page_for(prison.code)  # another administrator, another tab
    run_handler(AdminRosterState, "preview", other, upload(csv_of("K-9,Ana,Ilić,A,2024-01-10,")))
    run_handler(AdminRosterState, "apply", other)
    run_handler(AdminRosterState, "apply", page)
    assert not page.applied and "preview the file again" in page.message
    assert numbers(prison) == {"K-9"}


def test_a_faulty_file_shows_its_faults_and_offers_no_apply():
    page = page_for(new_prison().code)
    run_handler(AdminRosterState, "preview", page, upload(csv_of("K-1,Ana,Ilić,Z,2024-01-10,")))
    assert not page.previewed and "1 error" in page.message
    assert [(f.line, f.column) for f in page.errors] == [("2", "wing")]


@lru_cache(maxsize=1)
def fuzzed_prison():
    return new_prison()


@HANDLER_FUZZ
@given(st.one_of(hostile, st.binary(max_size=300).map(upload)))
def test_preview_takes_anything_in_place_of_a_file(argument: object):
    page = page_for(fuzzed_prison().code)
    run_handler(AdminRosterState, "preview", page, argument)
    assert page.previewed or page.message


@HANDLER_FUZZ
@given(hostile)
def test_the_prison_choice_takes_any_argument(argument: object):
    page = page_for(fuzzed_prison().code)
    run_handler(AdminRosterState, "choose_prison", page, argument)
    assert page.prison in {code for code, _ in page.prisons}
