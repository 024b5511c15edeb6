"""Prisons, wings and locations: the administrators' rules (app/services/organisation.py)."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.db import unit_of_work
from app.i18n.locales import Locale
from app.i18n.messages import speaking
from app.models import AuditEntry, Prisoner, PrisonLocation
from app.services import audit, catalogue, organisation, organisation_reads
from app.services.observations import Item, ObservationInput, ingest
from app.runtime import ingest_context
from app.vocabulary import ConcernLevel, Role, Source
from tests.helpers import T0, identity

# Wing codes of these tests' own: other tests find the demo prison's wing "A" by its code alone.
TAG = secrets.token_hex(2).upper()
A, B = f"A{TAG}", f"B{TAG}"
NAMES = {"en": "Chapel garden", "sq": "Kopshti", "sr-Latn": "Bašta", "mk": "Градина",
         "bs": "Bašta", "hr": "Vrt", "cnr": "Bašta"}


@pytest.fixture
def admin():
    return identity("admin1")


def new_prison(admin, wings: tuple[str, ...] = ()) -> str:
    code = "P" + secrets.token_hex(3).upper()
    with unit_of_work() as db:
        organisation.create_prison(db, admin, code, f"Prison {code}", T0)
        for wing in wings:
            organisation.create_wing(db, admin, code, wing, f"Wing {wing}", T0)
    return code


def changes(subject: str) -> list[dict]:
    with unit_of_work() as db:
        rows = db.scalars(select(AuditEntry.detail).where(AuditEntry.record_id == subject)
                          .order_by(AuditEntry.seq)).all()
    return [audit.change_of(detail) for detail in rows]


def detail(admin, code: str, locale: Locale = Locale.EN):
    with unit_of_work() as db:
        return organisation_reads.prison_detail(db, admin, code, speaking(locale))


def test_a_new_prison_gets_the_standard_locations_in_order_and_is_audited(admin):
    code = new_prison(admin)
    found = detail(admin, code)
    assert [loc.code for loc in found.locations] == [loc.code for loc in catalogue.locations()]
    assert all(loc.names is None and not loc.retired for loc in found.locations)
    with unit_of_work() as db:
        prison_id = organisation.prison_by_code(db, code).id
    assert changes(prison_id) == [{"change": "prison.create", "before": None,
                                   "after": {"code": code, "name": f"Prison {code}"}}]


def test_prison_codes_are_unique_whatever_the_case_and_names_are_required(admin):
    code = new_prison(admin)
    with unit_of_work() as db:
        with pytest.raises(organisation.Conflict) as taken:
            organisation.create_prison(db, admin, code.lower(), "Again", T0)
        with pytest.raises(organisation.Invalid) as empty:
            organisation.create_prison(db, admin, "NEW" + secrets.token_hex(2), "   ", T0)
        with pytest.raises(organisation.Invalid) as bad:
            organisation.create_prison(db, admin, "no spaces", "Name", T0)
    assert (taken.value.field, taken.value.code) == ("code", "code_taken")
    assert (empty.value.field, empty.value.code) == ("name", "empty")
    assert (bad.value.field, bad.value.code) == ("code", "bad_code")


@pytest.mark.parametrize("username", ["officer1", "screener1", "security1"])
def test_only_administrators_change_the_organisation(username):
    with unit_of_work() as db:
        with pytest.raises(organisation.NotAllowed):
            organisation.create_prison(db, identity(username), "X" + secrets.token_hex(3),
                                       "X", T0)
        with pytest.raises(organisation.NotAllowed):
            organisation_reads.overview(db, identity(username), T0.date())


def test_rename_prison_and_wing_records_before_and_after(admin):
    code = new_prison(admin, (A,))
    with unit_of_work() as db:
        organisation.rename_prison(db, admin, code, "  New   name ", T0)
        organisation.rename_wing(db, admin, code, A, "Alpha", T0)
        prison = organisation.prison_by_code(db, code)
        wing = organisation.wing_in(db, prison, A)
        prison_id, wing_id = prison.id, wing.id
    assert detail(admin, code).name == "New name"
    assert changes(prison_id)[-1] == {"change": "prison.rename",
                                      "before": {"name": f"Prison {code}"},
                                      "after": {"name": "New name"}}
    assert changes(wing_id)[-1]["after"] == {"name": "Alpha"}


def test_unknown_prison_and_wing_are_not_found(admin):
    code = new_prison(admin)
    with unit_of_work() as db:
        with pytest.raises(organisation.NotFound) as prison:
            organisation.rename_prison(db, admin, "NOPE", "x", T0)
        with pytest.raises(organisation.NotFound) as wing:
            organisation.rename_wing(db, admin, code, "Z", "x", T0)
    assert prison.value.field == "prison" and wing.value.field == "wing"


def test_wing_codes_are_unique_within_a_prison_only(admin):
    first, second = new_prison(admin, (A,)), new_prison(admin)
    with unit_of_work() as db:
        with pytest.raises(organisation.Conflict):
            organisation.create_wing(db, admin, first, A.lower(), "Again", T0)
        organisation.create_wing(db, admin, second, A, "Fine elsewhere", T0)


def test_a_closed_wing_is_closed_from_its_day_on_and_kept(admin):
    code = new_prison(admin, (A, B))
    day = T0.date()
    with unit_of_work() as db:
        organisation.close_wing(db, admin, code, B, T0, day=day)
        wing = organisation.wing_in(db, organisation.prison_by_code(db, code), B)
        other = organisation.wing_in(db, organisation.prison_by_code(db, code), A)
        assert organisation_reads.wing_is_open(db, wing.id, day - timedelta(days=1))
        assert not organisation_reads.wing_is_open(db, wing.id, day)
        assert organisation_reads.wing_is_open(db, other.id, day)
        assert not organisation_reads.wing_is_open(db, "no-such-wing", day)
        with pytest.raises(organisation.Conflict) as again:
            organisation.close_wing(db, admin, code, B, T0, day=day)
        wing_id = wing.id
    assert again.value.code == "already_closed"
    assert [w.closed_on for w in detail(admin, code).wings] == [None, day]
    assert changes(wing_id)[-1] == {"change": "wing.close", "before": {"closed_on": None},
                                    "after": {"closed_on": day.isoformat()}}
    with unit_of_work() as db:
        organisation.reopen_wing(db, admin, code, B, T0)
        assert organisation_reads.wing_is_open(db, wing_id, day)


def test_a_wing_still_holding_prisoners_cannot_close(admin):
    code = new_prison(admin, (A,))
    with unit_of_work() as db:
        prison = organisation.prison_by_code(db, code)
        wing = organisation.wing_in(db, prison, A)
        db.add(Prisoner(prison_id=prison.id, wing_id=wing.id, number="N-1", given_name="Test",
                        family_name="Prisoner"))
    with unit_of_work() as db:
        with pytest.raises(organisation.Conflict) as held:
            organisation.close_wing(db, admin, code, A, T0)
    assert held.value.code == "wing_not_empty" and held.value.params["count"] == 1


def test_own_location_has_every_locale_with_serbian_cyrillic_written_from_latin(admin):
    code = new_prison(admin)
    with unit_of_work() as db:
        location = organisation.add_location(db, admin, code, NAMES, T0)
        made = location.code
    found = detail(admin, code, Locale.SR_CYRL)
    last = found.locations[-1]
    assert (last.code, last.label) == (made, "Башта") and made == "chapel_garden"
    assert set(last.names) == set(catalogue.LOCALES)
    assert last.names["en-XA"].startswith("⟦")
    assert last.position == len(catalogue.locations())
    with unit_of_work() as db:
        again = organisation.add_location(db, admin, code, NAMES, T0).code
    assert again == "chapel_garden_2"


@pytest.mark.parametrize(("names", "field", "code"), [
    ({k: v for k, v in NAMES.items() if k != "mk"}, "names.mk", "missing_locale"),
    ({**NAMES, "hr": "  "}, "names.hr", "empty"),
    ({**NAMES, "sr-Cyrl": "Башта"}, "names.sr-Cyrl", "unknown_locale"),
    ({**NAMES, "en": "x" * 81}, "names.en", "too_long"),
])
def test_a_location_name_must_be_given_in_each_written_locale(admin, names, field, code):
    prison = new_prison(admin)
    with unit_of_work() as db:
        with pytest.raises(organisation.Invalid) as refused:
            organisation.add_location(db, admin, prison, names, T0)
    assert (refused.value.field, refused.value.code) == (field, code)


def test_a_standard_code_cannot_be_taken_nor_a_standard_location_renamed(admin):
    prison = new_prison(admin)
    with unit_of_work() as db:
        with pytest.raises(organisation.Conflict):
            organisation.add_location(db, admin, prison, NAMES, T0, code="cell")
        with pytest.raises(organisation.Invalid) as standard:
            organisation.rename_location(db, admin, prison, "cell", NAMES, T0)
    assert standard.value.code == "standard_location"


def test_move_retire_and_restore_locations(admin):
    prison = new_prison(admin)
    with unit_of_work() as db:
        own = organisation.add_location(db, admin, prison, NAMES, T0).code
        organisation.move_location(db, admin, prison, own, 0, T0)
        organisation.move_location(db, admin, prison, "cell", 999, T0)
        organisation.set_location_retired(db, admin, prison, "yard", True, T0)
        organisation.rename_location(db, admin, prison, own, {**NAMES, "en": "Garden"}, T0)
    codes = [loc.code for loc in detail(admin, prison).locations]
    assert codes[0] == own and codes[-1] == "cell"
    assert [loc.position for loc in detail(admin, prison).locations] == list(range(len(codes)))
    with unit_of_work() as db:
        prison_id = organisation.prison_by_code(db, prison).id
        offered = organisation_reads.places(db, prison_id, speaking(Locale.EN))
        everything = organisation_reads.places(db, prison_id, speaking(Locale.EN), retired=True)
        assert "yard" not in [p.code for p in offered]
        assert offered[0].label == "Garden" and not offered[0].standard
        assert "yard" in [p.code for p in everything]
        organisation.set_location_retired(db, admin, prison, "yard", False, T0)
        assert "yard" in [p.code for p in organisation_reads.places(db, prison_id,
                                                                    speaking(Locale.EN))]
    kinds = [c["change"] for c in changes(prison_id)]
    assert kinds[-5:] == ["location.move", "location.move", "location.retire",
                          "location.rename", "location.restore"]
    with unit_of_work() as db:
        assert db.scalar(select(PrisonLocation.retired).where(
            PrisonLocation.prison_id == prison_id, PrisonLocation.code == "yard")) is False


def test_own_locations_are_accepted_by_the_ingest_for_the_authors_prison_only(admin):
    """officer1 is posted in the demo prison: a retired own code of it is still taken, the own
    code of another prison is not."""
    officer, other = identity("officer1"), new_prison(admin)
    with unit_of_work() as db:
        demo = organisation.prison_by_code(db, "DEMO")
        mine = organisation.add_location(db, admin, "DEMO", {**NAMES, "en": "Roof"}, T0).code
        organisation.set_location_retired(db, admin, "DEMO", mine, True, T0)
        theirs = organisation.add_location(db, admin, other, {**NAMES, "en": "Barn"}, T0,
                                           code="barn_" + secrets.token_hex(3)).code
        prisoner = db.scalar(select(Prisoner.id).where(Prisoner.wing_id == officer.wing_ids[0],
                                                       Prisoner.prison_id == demo.id))
        assert organisation_reads.own_location_codes(db, demo.id) >= {mine}
    ctx, now = ingest_context(), T0

    def entry(location: str) -> Item:
        return Item(id=secrets.token_hex(16), payload_hash=secrets.token_hex(32),
                    observation=ObservationInput(
                        prisoner_id=prisoner, occurred_at=now - timedelta(hours=1),
                        recorded_at=None, location=location,
                        catalogue_version=catalogue.current().version,
                        indicators=(next(iter(catalogue.current().indicators)),),
                        facts="Seen at the place.", assessment=None, source=Source.DIRECT,
                        concern=ConcernLevel.LOW, flag=False, flag_reason=None))
    with unit_of_work() as db:
        results = ingest(db, officer, "tablet-1", [entry(mine), entry(theirs), entry("cell")],
                         now, ctx)
    assert [r.status for r in results] == ["created", "rejected", "created"]
    assert results[1].error.code == "unknown_location"


def test_overview_counts_prisons_open_wings_and_active_accounts(admin):
    with unit_of_work() as db:
        before = organisation_reads.overview(db, admin, T0.date())
    code = new_prison(admin, (A, B))
    with unit_of_work() as db:
        organisation.close_wing(db, admin, code, B, T0, day=T0.date())
        after = organisation_reads.overview(db, admin, T0.date())
    assert after.prisons == before.prisons + 1
    assert after.open_wings == before.open_wings + 1
    assert after.closed_wings == before.closed_wings + 1
    accounts = dict(after.active_accounts)
    assert set(accounts) == {role.value for role in Role}
    assert accounts[Role.ADMIN] >= 1 and accounts[Role.OFFICER] >= 2


def test_standard_locations_are_stored_without_names(admin):
    """SQL NULL, so own_location_codes finds only a prison's own."""
    code = new_prison(admin)
    with unit_of_work() as db:
        prison_id = organisation.prison_by_code(db, code).id
        assert organisation_reads.own_location_codes(db, prison_id) == frozenset()
        organisation.add_location(db, admin, code, NAMES, T0)
        assert organisation_reads.own_location_codes(db, prison_id) == {"chapel_garden"}
