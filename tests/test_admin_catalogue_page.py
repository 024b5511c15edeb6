"""The catalogue page's handlers take whatever a browser sends (hostile text, wrong types, huge
forms) on a real draft, and leave the page something Reflex can send; a fresh draft is edited
through the handlers as the page does."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st
from sqlalchemy import select

from app.db import unit_of_work
from app.models import CatalogueEdition
from app.services import catalogue
from state.admin_catalogue import ROUTE, AdminCatalogueState
from tests.helpers import identity
from tests.test_catalogue_drafts import started, versions_restored  # noqa: F401  (fixture)
from tests.test_page_params_fuzz import (HANDLER_FUZZ, StandIn, cookie_of, forms, hostile,
                                         router, run_handler)

ARGUMENTS: dict[str, st.SearchStrategy[object]] = {
    "choose_locale": hostile, "show_category": hostile, "choose_preview_locale": hostile,
    "retire": hostile, "restore": hostile, "mark_immediate": hostile,
    "unmark_immediate": hostile,
    "save_texts": forms("code", "label", "guidance", code=["C01.1", "C01"]),
    "add_indicator": forms("category", "kind", "label", "guidance", category=["C02"],
                           kind=["concern", "protective"]),
    "publish": forms("reason", "effective_from", reason=["Why"],
                     effective_from=["2999-01-01"]),
}


def draft_page(draft_id: str) -> StandIn:
    return StandIn(AdminCatalogueState, router(cookie_of("admin1"), ROUTE, {"draft": draft_id}),
                   key=draft_id)


@pytest.mark.parametrize("handler", sorted(ARGUMENTS))
@HANDLER_FUZZ
@given(data=st.data())
def test_catalogue_handlers_take_any_argument(versions_restored, handler: str,
                                              data: st.DataObject):
    draft_id = started(identity("admin1"))
    run_handler(AdminCatalogueState, handler, draft_page(draft_id), data.draw(ARGUMENTS[handler]))


def test_the_page_edits_a_draft_as_an_administrator_does(versions_restored):
    draft_id = started(identity("admin1"))
    page = draft_page(draft_id)
    run_handler(AdminCatalogueState, "load", page)
    assert page.draft and page.key == draft_id and page.problems == []
    run_handler(AdminCatalogueState, "choose_locale", page, "hr")
    run_handler(AdminCatalogueState, "save_texts", page,
                {"code": "C01.1", "label": "Nova oznaka", "guidance": page.categories[0]
                 .indicators[0].guidance})
    run_handler(AdminCatalogueState, "retire", page, "C01.2")
    run_handler(AdminCatalogueState, "show_category", page, "C01")
    assert [c.code for c in page.categories] == ["C01"]
    shown = {i.code: i for i in page.categories[0].indicators}
    assert shown["C01.1"].label == "Nova oznaka" and shown["C01.2"].retired
    run_handler(AdminCatalogueState, "show_preview", page)
    assert "C01.2" not in {i.code for c in page.preview for i in c.indicators}
    with unit_of_work() as db:
        content = db.scalar(select(CatalogueEdition.content)
                            .where(CatalogueEdition.id == draft_id))
    assert content["texts"]["hr"]["C01.1"] == {
        "label": "Nova oznaka", "guidance": catalogue.current().text("hr", "C01.1", "guidance")}


def test_other_roles_get_nothing_from_the_page(versions_restored):
    draft_id = started(identity("admin1"))
    page = StandIn(AdminCatalogueState, router(cookie_of("officer1"), ROUTE, {"draft": draft_id}))
    run_handler(AdminCatalogueState, "load", page)
    assert page.versions == [] and page.categories == []
    assert page.message  # the service refused: only administrators
