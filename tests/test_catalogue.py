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
from app.i18n.locales import SPOKEN
from app.services import catalogue as cat
from app.services.catalogue import CatalogueError
from app.text.translit import to_latin

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

def _trait_hits(catalogue: cat.Catalogue) -> list[str]:
    return cat.trait_hits(catalogue.texts)


@pytest.fixture(scope="module")
def v1() -> cat.Catalogue:
    return cat.load_catalogues()["1"]


def _write(directory: Path, data: dict, name: str = "v1.json") -> None:
    """A catalogue file and, since a version needs them to load, v1's translations as its own."""
    (directory / name).write_text(json.dumps(data), encoding="utf-8")
    for locale in cat.TRANSLATED:
        texts = json.loads((cat.CATALOGUE_DIR / f"v1.{locale}.json").read_text(encoding="utf-8"))
        (directory / name.replace(".json", f".{locale}.json")).write_text(
            json.dumps({**texts, "version": data["version"]}), encoding="utf-8")


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
    bad = {("X", "label"): "Grew a beard and prays more often",
           ("X", "guidance"): "Note her hijab or accent"}
    assert len(cat.trait_hits({"en": bad})) == 4
    assert cat.trait_hits({"en": {("X", "label"): "address, national grid, Romania, convertible"}}) == []


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
    albanian = v1.to_public_dict("sq")
    assert albanian["locale"] == "sq" and albanian["guidance"] == v1.text("sq", cat.TOP, "guidance")
    assert albanian["categories"][0]["label"] == v1.text("sq", v1.categories[0].code)


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
    copied = cat.load_catalogues(_copy_catalogue(tmp_path))["1"]
    assert copied.sha256 == cat.current().sha256 and copied.texts == cat.current().texts


# --- every language (issue 10) ---------------------------------------------------------------

TRANSLATION_FILES = [f"v1.{locale}.json" for locale in cat.TRANSLATED]
CODE = re.compile(r"\bC\d{2}(?:\.\d+)?\b")
LATIN, CYRILLIC = re.compile(r"[A-Za-zÀ-ž]"), re.compile(r"[\u0400-\u04ff]")
SCRIPT = {"mk": "Cyrillic", "sr-Cyrl": "Cyrillic", "sq": "Latin", "sr-Latn": "Latin", "bs": "Latin",
          "hr": "Latin", "cnr": "Latin", "en": "Latin", "en-XA": "Latin"}


def _english_keys(v1: cat.Catalogue) -> list[tuple[str, str]]:
    return list(v1.texts["en"])


def test_every_text_exists_in_every_locale(v1):
    assert list(v1.texts) == list(cat.LOCALES) and set(SCRIPT) == set(cat.LOCALES)
    keys = _english_keys(v1)
    assert len(keys) == 1 + len(v1.categories) + 2 * len(v1.indicators)
    for locale in cat.LOCALES:
        assert list(v1.texts[locale]) == keys or set(v1.texts[locale]) == set(keys), locale
        for code, part in keys:
            assert v1.text(locale, code, part).strip(), (locale, code, part)


def test_no_placeholders_or_leftovers_in_any_text(v1):
    for locale, table in v1.texts.items():
        for key, text in table.items():
            assert not re.search(r"[{}<>]|%\(|\bTODO\b|\bXXX\b|\?\?|  ", text), (locale, key, text)
            assert text == text.strip() and "\n" not in text, (locale, key)


def test_no_translation_is_a_copy_of_the_english(v1):
    # The catalogue has no names or bare codes as texts, so nothing may stay English.
    for locale in cat.LOCALES:
        if locale != "en":
            same = [k for k, text in v1.texts[locale].items() if text == v1.texts["en"][k]]
            assert same == [], locale


def test_each_locale_is_written_in_its_script(v1):
    other = {"Latin": CYRILLIC, "Cyrillic": LATIN}
    for locale, table in v1.texts.items():
        for key, text in table.items():
            assert not other[SCRIPT[locale]].search(CODE.sub("", text)), (locale, key, text)


def test_codes_named_in_a_text_stay_as_they_are_in_every_locale(v1):
    for key, english in v1.texts["en"].items():
        for locale in cat.LOCALES:
            assert CODE.findall(v1.texts[locale][key]) == CODE.findall(english), (locale, key)


def test_sr_cyrl_says_what_sr_latn_says(v1):
    # Read back to Latin, the generated Cyrillic is the Latin text: no digraph was split or lost.
    for key, latin in v1.texts["sr-Latn"].items():
        assert to_latin(v1.text("sr-Cyrl", *key)) == latin, key
    assert not any((DIR := cat.CATALOGUE_DIR).glob("v*.sr-Cyrl.json")), DIR  # never typed by hand


def test_text_looks_up_by_version_locale_and_code(v1):
    assert cat.text("1", "en", "C01") == v1.categories[0].label
    assert cat.text("1", "en", "C02.5", "guidance") == v1.indicators["C02.5"].guidance
    assert cat.text("1", "sq", cat.TOP, "guidance") == v1.texts["sq"][(cat.TOP, "guidance")]
    with pytest.raises(KeyError):
        cat.text("1", "de", "C01")  # no fallback: a locale we do not speak is a caller's bug


def test_top_level_guidance_names_the_protected_traits_in_every_locale(v1):
    # Faith, conversion, ethnicity, nationality, language, appearance (and dress, beard): the
    # scan's own words must be there, so the reminder is said, and said with the scanned terms.
    for locale in SPOKEN:  # the pseudo-locale is accented English, in no scan
        reminder = {("X", "label"): v1.text(locale, cat.TOP, "guidance")}
        assert len(cat.trait_hits({locale: reminder})) >= 8, locale


@pytest.mark.parametrize("locale, planted, caught", [
    ("sq", "Shkon rregullisht në xhami dhe ka mjekër", ["xhami", "mjekër"]),
    ("sq", "Flet vetëm në gjuhën e tij", ["gjuhën"]),
    ("sr-Latn", "Redovno ide u džamiju", ["džamiju"]),
    ("bs", "Počeo je nositi maramu", ["maramu"]),
    ("hr", "Govori samo hrvatskim jezikom", ["hrvatskim", "jezikom"]),
    ("cnr", "Posti tokom ramazana", ["Posti", "ramazana"]),
    ("mk", "Оди во џамија секој ден", ["џамија"]),
])
def test_trait_scan_catches_a_planted_term_in_each_language(locale, planted, caught):
    hits = cat.trait_hits({locale: {("C08.1", "label"): planted}})
    assert hits == [f"{locale} C08.1 label: {word!r}" for word in caught]


@pytest.mark.parametrize("locale, harmless", [
    ("sq", "Kishte shërbim në punishte; i tregoi kush e kishte"),  # kishte = had, not kishë
    ("sr-Latn", "Verovatno po rasporedu, postupak obrade u biblioteci"),
    ("hr", "Imamo postupak; vjerojatno u rasporedu"),
    ("mk", "Постапка според распоредот, веројатно"),
])
def test_trait_scan_leaves_ordinary_words_alone(locale, harmless):
    assert cat.trait_hits({locale: {("C08.1", "label"): harmless}}) == []


def _copy_catalogue(tmp_path: Path) -> Path:
    for name in ["v1.json", *TRANSLATION_FILES]:
        shutil.copy(cat.CATALOGUE_DIR / name, tmp_path / name)
    return tmp_path


def _edit(directory: Path, locale: str, change) -> None:
    path = directory / f"v1.{locale}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_version_without_a_locale_is_refused(tmp_path):
    (_copy_catalogue(tmp_path) / "v1.sq.json").unlink()
    with pytest.raises(CatalogueError, match=r"v1.json: no translation for locale 'sq' "
                                             r"\(v1.sq.json\)"):
        cat.load_catalogues(tmp_path)


@pytest.mark.parametrize("locale, change, message", [
    ("hr", lambda d: d["indicators"].pop("C03.2"),
     r"v1.hr.json: no translation of \['C03.2 guidance', 'C03.2 label'\]"),
    ("mk", lambda d: d["categories"].pop("C05"), r"v1.mk.json: no translation of \['C05 label'\]"),
    ("bs", lambda d: d["indicators"]["C01.1"].pop("guidance"),
     r"v1.bs.json indicator C01.1: missing fields \['guidance'\]"),
    ("cnr", lambda d: d["indicators"]["C11.6"].update(label="  "),
     r"v1.cnr.json indicator C11.6: 'label' is empty"),
    ("sr-Latn", lambda d: d.pop("guidance"), r"v1.sr-Latn.json: missing fields \['guidance'\]"),
    ("sq", lambda d: d["indicators"].update({"C12.1": {"label": "x", "guidance": "y"}}),
     r"codes not in v1.json: \['C12.1 guidance', 'C12.1 label'\]"),
    ("sq", lambda d: d.update(locale="mk"), "says version '1', locale 'mk'; the file name says"),
    ("sq", lambda d: d["indicators"]["C08.1"].update(label="Falet më shpesh në xhami"),
     r"v1: indicators must describe behaviour, not identity: \[\"sq C08.1 label: 'xhami'\"\]"),
    ("sr-Latn", lambda d: d["categories"].update(C07="Prelazak u islam"),
     r"\[.sr-Latn C07 label: 'islam'., .sr-Cyrl C07 label: 'islam'.\]"),
])
def test_a_damaged_translation_is_refused(tmp_path, locale, change, message):
    _edit(_copy_catalogue(tmp_path), locale, change)
    with pytest.raises(CatalogueError, match=message):
        cat.load_catalogues(tmp_path)


@pytest.mark.parametrize("stray", ["v2.sq.json", "v1.de.json", "v1.sr-Cyrl.json"])
def test_a_translation_of_no_version_or_locale_is_refused(tmp_path, stray):
    shutil.copy(cat.CATALOGUE_DIR / "v1.sq.json", _copy_catalogue(tmp_path) / stray)
    with pytest.raises(CatalogueError, match=f"{re.escape(stray)}: no such version, or a locale"):
        cat.load_catalogues(tmp_path)
