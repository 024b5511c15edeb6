"""The indicator catalogue: its content (incl. the behaviour-not-identity safeguard), the strict
loader, locations, and the rule that a released version can never change."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
from pathlib import Path

import pytest

from app.clock import utc_now
from app.db import unit_of_work
from app.models import CatalogueVersion
from app.services import catalogue as cat
from app.services.catalogue import CatalogueError

V1_FILE = cat.CATALOGUE_DIR / "v1.json"

DESIGN_CATEGORIES = [  # design.md §5, in order
    "Support for or justification of violence or terrorism",
    "Threats or stated intent to harm",
    "Hostility or dehumanising us/them talk",
    "Pressure, recruitment or intimidation",
    "Contacts and associations",
    "Possession or sharing of extremist material",
    "Withdrawal, isolation, disengagement",
    "Marked change from the person's own usual behaviour",
    "Grievance about imprisonment framed in ideological terms",
    "Interest in capability",
    "Protective and positive observations",
]

# Words naming a protected trait (faith, origin, language, looks). They must never be what an
# indicator is about, so they may appear only in the catalogue's top-level guidance.
TRAIT_WORDS = re.compile(r"\b(?:" + "|".join([
    r"religions?", r"religious", r"faiths?", r"pray(?:s|ed|ing|ers?)?", r"worship\w*",
    r"mosques?", r"churche?s?", r"convert(?:s|ed|ing)?", r"conversions?", r"beard(?:s|ed)?",
    r"hijabs?", r"niqabs?", r"burqas?", r"veils?", r"headscar(?:f|ves)", r"head coverings?",
    r"ethnic\w*", r"race", r"racial", r"nationality", r"nationalities", r"languages?",
    r"accents?", r"appearance", r"dress(?:es|ed)?", r"clothing", r"skin",
    r"muslims?", r"islam\w*", r"christians?", r"orthodox", r"catholics?", r"jewish",
    r"quran", r"koran", r"bible", r"imams?", r"priests?", r"ramadan", r"fasting",
    r"albanians?", r"serbs?", r"serbian", r"bosniaks?", r"bosnian", r"croats?", r"croatian",
    r"montenegrins?", r"macedonians?", r"roma", r"romani", r"turkish", r"arabs?", r"arabic",
]) + r")\b", re.IGNORECASE)


def _trait_hits(catalogue: cat.Catalogue) -> list[str]:
    return [f"{i.code}: {m.group(0)!r} in {field}"
            for i in catalogue.indicators.values()
            for field, text in (("label", i.label), ("guidance", i.guidance))
            for m in TRAIT_WORDS.finditer(text)]


@pytest.fixture(scope="module")
def v1() -> cat.Catalogue:
    return cat.load_catalogues()["1"]


def _write(directory: Path, data: dict, name: str = "v1.json") -> None:
    (directory / name).write_text(json.dumps(data), encoding="utf-8")


def _v1_data() -> dict:
    return json.loads(V1_FILE.read_text(encoding="utf-8"))


# --- content ---------------------------------------------------------------------------------

def test_shipped_catalogue_loads_and_is_current(v1):
    assert v1.version == "1" and cat.current().version == "1" and cat.get("1") == v1
    assert cat.get("no-such-version") is None
    assert 1 <= v1.max_age_days <= 90
    assert v1.sha256 == hashlib.sha256(V1_FILE.read_bytes()).hexdigest()


def test_eleven_categories_in_design_order(v1):
    assert [c.code for c in v1.categories] == [f"C{n:02d}" for n in range(1, 12)]
    for category, expected in zip(v1.categories, DESIGN_CATEGORIES, strict=True):
        assert category.label.startswith(expected), category


def test_three_to_six_indicators_per_category_with_unique_codes(v1):
    raw_codes = [i["code"] for i in _v1_data()["indicators"]]
    assert len(raw_codes) == len(set(raw_codes)) == len(v1.indicators)
    for category in v1.categories:
        codes = [c for c, i in v1.indicators.items() if i.category == category.code]
        assert 3 <= len(codes) <= 6, (category.code, codes)
        assert all(c.startswith(category.code + ".") for c in codes)
        assert v1.category_of(codes[0]) == category.code


def test_only_category_11_is_protective(v1):
    for indicator in v1.indicators.values():
        expected = "protective" if indicator.category == "C11" else "concern"
        assert indicator.kind == expected, indicator.code


def test_threats_and_capability_include_immediate_indicators(v1):
    immediate = {i.category for i in v1.indicators.values() if i.immediate}
    assert {"C02", "C10"} <= immediate
    assert all(i.immediate for i in v1.indicators.values() if i.category == "C10")
    assert not any(i.immediate for i in v1.indicators.values() if i.kind == "protective")


def test_withdrawal_guidance_says_consider_mental_health(v1):
    for indicator in v1.indicators.values():
        if indicator.category == "C07":
            assert "mental health" in indicator.guidance.lower(), indicator.code


def test_no_indicator_names_a_protected_trait(v1):
    assert _trait_hits(v1) == []


def test_trait_scan_catches_identity_indicators(v1):
    # The safeguard test above is only worth something if the scan can fail.
    bad = {"label": "Grew a beard and prays more often", "guidance": "Note her hijab or accent"}
    fake = cat.Catalogue(v1.version, v1.guidance, v1.max_age_days, v1.categories,
                         {"X": cat.Indicator("X", "C08", kind="concern", immediate=False, **bad)})
    assert len(_trait_hits(fake)) == 4
    assert not TRAIT_WORDS.search("address, national grid, Romania, convertible")


def test_top_level_guidance_states_what_is_never_an_indicator(v1):
    text = v1.guidance.lower()
    for word in ("faith", "conversion", "ethnicity", "nationality", "language", "appearance"):
        assert re.search(rf"\b{word}\b", text), word
    assert "never indicators" in text


def test_labels_describe_behaviour_not_people(v1):
    for indicator in v1.indicators.values():
        assert not re.search(r"\bis an? (extremist|radical|terrorist|fanatic)", indicator.label,
                             re.IGNORECASE), indicator.code
        assert len(indicator.label) <= 100 and "\n" not in indicator.guidance


def test_public_dict_groups_indicators_under_categories(v1):
    public = v1.to_public_dict()
    json.dumps(public)  # the bootstrap API sends it as is
    assert public["version"] == "1" and public["guidance"] == v1.guidance
    assert [c["code"] for c in public["categories"]] == [c.code for c in v1.categories]
    flat = [i for c in public["categories"] for i in c["indicators"]]
    assert [i["code"] for i in flat] == list(v1.indicators)
    assert set(flat[0]) == {"code", "label", "guidance", "kind", "immediate"}


def test_catalogue_is_read_only(v1):
    with pytest.raises(TypeError):
        v1.indicators["C99.1"] = v1.indicators["C01.1"]  # type: ignore[index]
    with pytest.raises(AttributeError):
        v1.version = "2"  # type: ignore[misc]


# --- loader ----------------------------------------------------------------------------------

def _dup_code(d):
    d["indicators"].append(dict(d["indicators"][0]))


def _unknown_category(d):
    d["indicators"][0]["category"] = "C99"


def _bad_kind(d):
    d["indicators"][0]["kind"] = "suspicious"


def _missing_field(d):
    del d["indicators"][0]["guidance"]


def _extra_field(d):
    d["indicators"][0]["score"] = 3


def _wrong_type(d):
    d["indicators"][0]["immediate"] = "yes"


def _version_mismatch(d):
    d["version"] = "2"


def _dup_category(d):
    d["categories"].append(dict(d["categories"][0]))


def _protective_immediate(d):
    d["indicators"][-1]["immediate"] = True


def _code_outside_category(d):
    d["indicators"][0]["code"] = "C02.9"


@pytest.mark.parametrize("breaks, message", [
    (_dup_code, "duplicate indicator code C01.1"),
    (_unknown_category, "unknown category C99"),
    (_bad_kind, "kind must be one of"),
    (_missing_field, r"missing fields \['guidance'\]"),
    (_extra_field, r"unknown \['score'\]"),
    (_wrong_type, "'immediate' must be bool"),
    (_version_mismatch, "does not match the file name"),
    (_dup_category, "duplicate category code C01"),
    (_protective_immediate, "protective indicator cannot be immediate"),
    (_code_outside_category, "code must start with 'C01.'"),
])
def test_bad_catalogue_file_is_refused(tmp_path, breaks, message):
    data = _v1_data()
    breaks(data)
    _write(tmp_path, data)
    with pytest.raises(CatalogueError, match=message):
        cat.load_catalogues(tmp_path)


def test_unparseable_or_misnamed_files_are_refused(tmp_path):
    (tmp_path / "v1.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid JSON"):
        cat.load_catalogues(tmp_path)
    (tmp_path / "v1.json").unlink()
    _write(tmp_path, {**_v1_data(), "version": "01"}, "v01.json")
    with pytest.raises(CatalogueError, match="leading zeros"):
        cat.load_catalogues(tmp_path)
    with pytest.raises(CatalogueError, match="no catalogue files"):
        cat.load_catalogues(tmp_path / "empty")


def test_current_version_compares_numerically(tmp_path):
    for version in ("2", "10", "9"):
        _write(tmp_path, {**_v1_data(), "version": version}, f"v{version}.json")
    loaded = cat.load_catalogues(tmp_path)
    assert sorted(loaded) == ["10", "2", "9"]
    assert cat.current_version(loaded) == "10"


# --- locations -------------------------------------------------------------------------------

def test_locations_load_with_unique_codes():
    locations = cat.locations()
    codes = [loc.code for loc in locations]
    assert len(codes) == len(set(codes)) == 15
    assert {"cell", "yard", "visits", "multi_faith_room", "mail", "other"} <= set(codes)
    assert all(loc.label.strip() for loc in locations)


def test_duplicate_location_code_is_refused(tmp_path):
    path = tmp_path / "locations.json"
    path.write_text(json.dumps([{"code": "cell", "label": "Cell"}] * 2), encoding="utf-8")
    with pytest.raises(CatalogueError, match="duplicate location codes"):
        cat.load_locations(path)


# --- immutability of released versions -------------------------------------------------------

def test_register_versions_records_hash_once_and_refuses_a_changed_file(tmp_path):
    # A version number no other test uses, so rows in the shared test database do not clash.
    version = str(900_000 + secrets.randbelow(99_999))
    data = {**_v1_data(), "version": version}
    _write(tmp_path, data, f"v{version}.json")
    original = cat.load_catalogues(tmp_path)
    first_time = utc_now()

    with unit_of_work() as db:
        cat.register_versions(db, original, first_time)
        cat.register_versions(db, original, first_time)  # same transaction: no duplicate row
    with unit_of_work() as db:
        cat.register_versions(db, original, utc_now())  # a restart: idempotent
        row = db.get(CatalogueVersion, version)
        assert row.sha256 == original[version].sha256
        assert row.first_loaded_at == first_time  # not moved by the later registration

    data["indicators"][0]["label"] = "Justifies a specific violent attack"
    _write(tmp_path, data, f"v{version}.json")
    changed = cat.load_catalogues(tmp_path)
    assert changed[version].sha256 != original[version].sha256
    with pytest.raises(CatalogueError, match=f"catalogue version {version} changed after it "
                                             "was used; add a new version file instead"):
        with unit_of_work() as db:
            cat.register_versions(db, changed, utc_now())
    with unit_of_work() as db:
        assert db.get(CatalogueVersion, version).sha256 == original[version].sha256


def test_shipped_file_copied_verbatim_keeps_its_hash(tmp_path):
    # The hash is of the file bytes, so copying a release (e.g. in a deploy) does not trip it.
    shutil.copy(V1_FILE, tmp_path / "v1.json")
    assert cat.load_catalogues(tmp_path)["1"].sha256 == cat.current().sha256
