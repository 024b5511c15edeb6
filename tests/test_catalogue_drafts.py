"""Catalogue versions made in the browser: drafts, their checks, publishing, the effective
date, the grace period for entries on the previous version, and the audit of every command.

Tests that publish take the version away again afterwards (fixture `versions_restored`), so
every other test still finds the demo catalogue v1 current.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from app.clock import prisons_today, utc_now
from app.db import unit_of_work
from app.models import AuditEntry, CatalogueEdition, CatalogueVersion
from app.services import audit, catalogue, catalogue_draft_reads as reads
from app.services import catalogue_drafts as drafts
from app.services.admin_refusals import Conflict, NotAllowed, NotFound, Refused
from app.services.catalogue_draft_reads import DraftProblems
from tests.helpers import api_client, bearer, bootstrap, identity, observation_payload

SYNC = "/api/v1/observations/sync"


@pytest.fixture
def versions_restored():
    """Whatever a test publishes or drafts is gone after it, and v1 is current again."""
    yield
    with unit_of_work() as db:
        made = db.scalars(select(CatalogueEdition.version)
                          .where(CatalogueEdition.version.is_not(None))).all()
        db.execute(delete(CatalogueEdition))
        db.execute(delete(CatalogueVersion).where(CatalogueVersion.version.in_(made)))
    catalogue.forget()
    assert catalogue.current().version == "1"


@pytest.fixture
def admin():
    return identity("admin1")


def started(admin) -> str:
    with unit_of_work() as db:
        return drafts.start(db, admin, utc_now())


def _changes(draft_id: str) -> list[dict]:
    with unit_of_work() as db:
        rows = db.scalars(select(AuditEntry.detail).where(AuditEntry.record_id == draft_id)
                          .order_by(AuditEntry.seq)).all()
    return [audit.change_of(detail) for detail in rows]


def translate_everything(admin, draft_id: str, code: str) -> None:
    """Each written locale's label and guidance of `code`, in neutral words."""
    with unit_of_work() as db:
        for locale in reads.WRITTEN[1:]:
            for part in ("label", "guidance"):
                drafts.set_text(db, admin, draft_id, code, part, locale,
                                f"{code} {part} {locale} text", utc_now())


def publish(admin, draft_id: str, days_ahead: int = 1) -> str:
    with unit_of_work() as db:
        return drafts.publish(db, admin, draft_id, "Clearer guidance for wing staff",
                              prisons_today() + timedelta(days=days_ahead), utc_now())


def set_effective(version: str, day) -> None:
    """What the passing of days does: move a published version's effective date."""
    with unit_of_work() as db:
        db.execute(update(CatalogueEdition).where(CatalogueEdition.version == version)
                   .values(effective_from=day))
    catalogue.forget()


def test_a_draft_starts_as_a_copy_of_the_newest_version(admin, versions_restored):
    draft_id = started(admin)
    with unit_of_work() as db:
        content = db.get(CatalogueEdition, draft_id).content
        assert content == catalogue.content_of(catalogue.current())
        rows = reads.versions(db, admin)
    assert [r.state for r in rows if r.key == draft_id] == ["draft"]
    assert [(r.version, r.state) for r in rows if r.version] == [("1", "current")]
    assert _changes(draft_id) == [{"change": "catalogue.draft_start", "before": None,
                                   "after": {"based_on": "1"}}]


def test_only_administrators_draft_or_publish(versions_restored):
    officer = identity("officer1")
    with unit_of_work() as db, pytest.raises(NotAllowed):
        drafts.start(db, officer, utc_now())
    with unit_of_work() as db, pytest.raises(NotAllowed):
        reads.versions(db, identity("security1"))


def test_texts_are_edited_in_every_written_locale_and_audited(admin, versions_restored):
    draft_id = started(admin)
    old = catalogue.current().text("sq", "C01.1")
    with unit_of_work() as db:
        drafts.set_text(db, admin, draft_id, "C01.1", "label", "sq", "  Etiketë e re  ",
                        utc_now())
        view = reads.edition(db, admin, draft_id, "sq")
    row = next(i for c in view.categories for i in c.indicators if i.code == "C01.1")
    assert (row.label, row.label_en) == ("Etiketë e re", catalogue.current().text("en", "C01.1"))
    assert _changes(draft_id)[-1] == {
        "change": "catalogue.text",
        "before": {"code": "C01.1", "part": "label", "locale": "sq", "text": old},
        "after": {"code": "C01.1", "part": "label", "locale": "sq", "text": "Etiketë e re"}}
    assert catalogue.current().text("sq", "C01.1") == old  # the published version is untouched


@pytest.mark.parametrize("code, part, locale, field", [
    ("C01.1", "label", "sr-Cyrl", "locale"),  # written from sr-Latn, never by hand
    ("C01.1", "label", "en-XA", "locale"),
    ("C01.1", "title", "en", "part"),
    ("C99.1", "label", "en", "code"),
    ("C01", "guidance", "en", "code"),  # a category has a label only
])
def test_a_text_that_is_not_there_is_refused_naming_the_field(admin, versions_restored, code,
                                                               part, locale, field):
    draft_id = started(admin)
    with unit_of_work() as db, pytest.raises(Refused) as refused:
        drafts.set_text(db, admin, draft_id, code, part, locale, "x", utc_now())
    assert refused.value.field == field


def test_an_added_indicator_needs_every_translation_before_publishing(admin, versions_restored):
    draft_id = started(admin)
    with unit_of_work() as db:
        code = drafts.add_indicator(db, admin, draft_id, "C03", "concern",
                                    "Keeps a list of staff movements",
                                    "Written notes of when staff change shifts.", utc_now())
        found = reads.check(db, admin, draft_id)
    existing = [i for i in catalogue.current().indicators.values() if i.category == "C03"]
    assert code == f"C03.{len(existing) + 1}"
    assert {(p.code, p.params["code"], p.params["locale"]) for p in found} == {
        ("missing_text", code, locale) for locale in reads.WRITTEN[1:]}
    assert len(found) == 2 * len(reads.WRITTEN[1:])  # a label and a guidance each
    with unit_of_work() as db, pytest.raises(DraftProblems) as refused:
        drafts.publish(db, admin, draft_id, "New indicator", prisons_today(), utc_now())
    assert len(refused.value.problems) == len(found)
    translate_everything(admin, draft_id, code)
    with unit_of_work() as db:
        assert reads.check(db, admin, draft_id) == []
    assert _changes(draft_id)[1]["after"] == {"code": code, "category": "C03", "kind": "concern",
                                              "immediate": False, "retired": False}


@pytest.mark.parametrize("locale, words", [
    ("en", "Talks about the mosque every day"),
    ("sq", "Flet për fenë"),
    ("sr-Latn", "Nosi maramu"),  # the Cyrillic made from it is scanned too
])
def test_a_protected_trait_in_any_language_refuses_publishing(admin, versions_restored, locale,
                                                               words):
    draft_id = started(admin)
    with unit_of_work() as db:
        drafts.set_text(db, admin, draft_id, "C02.1", "label", locale, words, utc_now())
        found = reads.check(db, admin, draft_id)
    assert {p.code for p in found} == {"protected_term"}
    assert all("C02.1 label" in p.params["where"] for p in found)
    with unit_of_work() as db, pytest.raises(DraftProblems):
        drafts.publish(db, admin, draft_id, "Reworded", prisons_today(), utc_now())


def test_a_retired_indicator_stays_in_the_version_but_leaves_the_form(admin, versions_restored):
    draft_id = started(admin)
    with unit_of_work() as db:
        drafts.retire(db, admin, draft_id, "C01.2", True, utc_now())
        shown = reads.preview(db, admin, draft_id, "mk")
        view = reads.edition(db, admin, draft_id, "en")
    offered = [i["code"] for c in shown["categories"] for i in c["indicators"]]
    assert "C01.2" not in offered and "C01.1" in offered
    assert shown["categories"][0]["indicators"][0]["label"] == catalogue.current().text(
        "mk", "C01.1")
    assert [i.retired for c in view.categories for i in c.indicators if i.code == "C01.2"] == [
        True]
    assert _changes(draft_id)[-1] == {"change": "catalogue.indicator_retired",
                                      "before": {"code": "C01.2", "retired": False},
                                      "after": {"code": "C01.2", "retired": True}}


def test_a_category_with_every_indicator_retired_is_refused(admin, versions_restored):
    draft_id = started(admin)
    codes = [i.code for i in catalogue.current().indicators.values() if i.category == "C04"]
    with unit_of_work() as db:
        for code in codes:
            drafts.retire(db, admin, draft_id, code, True, utc_now())
        found = reads.check(db, admin, draft_id)
    assert [(p.code, p.params) for p in found] == [("empty_category", {"code": "C04"})]


def test_immediate_is_for_concern_indicators_only(admin, versions_restored):
    draft_id = started(admin)
    concern = next(i.code for i in catalogue.current().indicators.values()
                   if i.kind == "concern" and not i.immediate)
    protective = next(i.code for i in catalogue.current().indicators.values()
                      if i.kind == "protective")
    with unit_of_work() as db:
        drafts.mark_immediate(db, admin, draft_id, concern, True, utc_now())
        with pytest.raises(Refused) as refused:
            drafts.mark_immediate(db, admin, draft_id, protective, True, utc_now())
        shown = reads.preview(db, admin, draft_id, "en")
    assert refused.value.code == "protective_immediate"
    assert [i["immediate"] for c in shown["categories"] for i in c["indicators"]
            if i["code"] == concern] == [True]


@pytest.mark.parametrize("reason, days, field", [
    ("", 1, "reason"), ("x" * 501, 1, "reason"), ("Fine", -1, "effective_from")])
def test_publishing_needs_a_reason_and_a_day_not_past(admin, versions_restored, reason, days,
                                                      field):
    draft_id = started(admin)
    with unit_of_work() as db, pytest.raises(Refused) as refused:
        drafts.publish(db, admin, draft_id, reason, prisons_today() + timedelta(days=days),
                       utc_now())
    assert refused.value.field == field


def test_published_versions_are_frozen_and_current_switches_on_the_effective_date(
        admin, versions_restored):
    draft_id = started(admin)
    with unit_of_work() as db:
        drafts.set_text(db, admin, draft_id, "C01.1", "guidance", "en",
                        "Clearer guidance.", utc_now())
    version = publish(admin, draft_id, days_ahead=3)
    assert version == "2"
    today = prisons_today()
    assert catalogue.current().version == "1"  # forgotten on commit, read again: not yet
    assert catalogue.current(today + timedelta(days=2)).version == "1"
    assert catalogue.current(today + timedelta(days=3)).version == "2"
    assert catalogue.get("2").text("en", "C01.1", "guidance") == "Clearer guidance."
    with unit_of_work() as db:
        fingerprint = db.get(CatalogueVersion, "2").sha256
        states = {r.version: r.state for r in reads.versions(db, admin) if r.version}
    assert fingerprint == catalogue.get("2").sha256
    assert states == {"1": "current", "2": "scheduled"}
    with unit_of_work() as db, pytest.raises(NotFound):  # no longer a draft: never edited
        drafts.set_text(db, admin, draft_id, "C01.1", "label", "en", "Changed", utc_now())
    with unit_of_work() as db:
        content = db.get(CatalogueEdition, draft_id).content
    _replace_content(draft_id, {**content, "max_age_days": 99})  # behind the services' back
    with pytest.raises(catalogue.CatalogueError, match="changed after it was published"):
        catalogue.current()
    _replace_content(draft_id, content)


def _replace_content(edition_id: str, content: dict) -> None:
    with unit_of_work() as db:
        db.execute(update(CatalogueEdition).where(CatalogueEdition.id == edition_id)
                   .values(content=content))
    catalogue.forget()


def test_a_draft_from_before_a_publishing_is_outdated(admin, versions_restored):
    first, second = started(admin), started(admin)
    publish(admin, first)
    with unit_of_work() as db, pytest.raises(Conflict) as refused:
        drafts.publish(db, admin, second, "Also", prisons_today() + timedelta(days=2), utc_now())
    assert refused.value.code == "draft_outdated"
    third = started(admin)
    with unit_of_work() as db:
        assert db.get(CatalogueEdition, third).based_on == "2"  # the newest, though scheduled
        with pytest.raises(Refused) as early:
            drafts.publish(db, admin, third, "Sooner", prisons_today(), utc_now())
    assert early.value.code == "before_previous"


def _sync_on(version: str, username: str = "officer1"):
    payload = observation_payload(bootstrap(username)["roster"][0]["id"], catalogue_version=version)
    response = api_client().post(SYNC, headers=bearer(username), json={
        "device_id": "tablet-cat", "items": [{"id": str(uuid.uuid4()), "payload": payload}]})
    assert response.status_code == 200, response.text
    return response.json()["results"][0]


def test_entries_on_the_previous_version_are_taken_in_for_the_grace_period(
        admin, versions_restored):
    version = publish(admin, started(admin), days_ahead=1)
    early = _sync_on(version)  # no tablet can have it yet
    assert (early["status"], early["error"]["code"]) == ("rejected", "catalogue_not_in_effect")
    today, grace = prisons_today(), timedelta(days=30)  # WINGWATCH_CATALOGUE_GRACE_DAYS default

    set_effective(version, today)
    assert catalogue.current().version == version
    assert _sync_on("1")["status"] == "created"  # made offline before; sent after publishing
    set_effective(version, today - grace + timedelta(days=1))  # the grace period's last day
    assert _sync_on("1")["status"] == "created"
    set_effective(version, today - grace)
    late = _sync_on("1")
    assert late["status"] == "rejected"
    assert (late["error"]["field"], late["error"]["code"]) == ("catalogue_version",
                                                               "catalogue_superseded")
    assert (today - grace).isoformat() in late["error"]["message"]


def test_standing_counts_the_grace_from_the_day_the_next_version_took_effect():
    day = prisons_today()
    effective = {"1": day.min, "2": day, "3": day + timedelta(days=10)}
    grace = timedelta(days=30)
    assert catalogue.standing("1", effective, day + timedelta(days=29), grace) == ("in_use", day)
    assert catalogue.standing("1", effective, day + timedelta(days=30), grace) == (
        "superseded", day)
    assert catalogue.standing("2", effective, day + timedelta(days=39), grace)[0] == "in_use"
    assert catalogue.standing("3", effective, day + timedelta(days=9), grace) == (
        "not_yet", day + timedelta(days=10))
