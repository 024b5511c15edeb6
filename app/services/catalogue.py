"""The indicator catalogue: versioned JSON files (app/catalogue/v<N>.json), checked and frozen.

Old observations keep the version they were made with, so a released file must never change:
`register_versions` records each file's SHA-256 in the database the first time it is seen and
refuses to start if it later differs. The files are checked strictly at load, because a typo in
a code or kind would otherwise surface only when an officer's entry is rejected on the wing.

Each version's texts exist in every locale: v<N>.json holds the English, v<N>.<locale>.json the
others, and sr-Cyrl is written from sr-Latn by app/text/translit.py at load, so the two scripts
cannot drift apart. A version missing any text in any locale is refused, and so is one whose
indicators or categories name a protected trait in any language (PROTECTED_TERMS).

Later versions are made in the browser (app/services/catalogue_drafts.py) and published into
table catalogue_edition with an effective date; `catalogues()` holds the files and those, and
`current()` is the newest version in effect on the prisons' today. A published version is
frozen like a file: its content's SHA-256 is checked against catalogue_version at every load.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, Mapping

from sqlalchemy import inspect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.clock import prisons_today
from app.db import get_engine
from app.i18n.locales import Locale
from app.i18n.messages import pseudo
from app.models import CatalogueVersion
from app.text.translit import to_cyrillic, to_latin
from app.vocabulary import IndicatorKind

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "catalogue"
KINDS = frozenset(kind.value for kind in IndicatorKind)
_FILE_NAME = re.compile(r"v(\d+)\.json")
_TRANSLATION_NAME = re.compile(r"v(\d+)\.([A-Za-z-]+)\.json")
# The locales a user's account may have (app/i18n); English is v<N>.json itself.
LOCALES = tuple(locale.value for locale in Locale)
_CODE = re.compile(r"(\bC\d{2}(?:\.\d+)?\b)")  # an indicator or category code, e.g. C02.1


def _keeping_codes(write):
    """`write` applied around codes such as C02.1, which the form shows as they are in any
    script (sr-Latn to sr-Cyrl, English to the pseudo-locale)."""
    return lambda text: "".join(part if n % 2 else write(part)
                                for n, part in enumerate(_CODE.split(text)))


# locale: (written from, how)
GENERATED = {Locale.SR_CYRL.value: ("sr-Latn", _keeping_codes(to_cyrillic)),
             Locale.PSEUDO.value: ("en", _keeping_codes(pseudo))}
TRANSLATED = tuple(loc for loc in LOCALES if loc != "en" and loc not in GENERATED)
Part = Literal["label", "guidance"]
TOP = ""  # the code of the catalogue's top-level guidance in the text table

# Words naming a protected trait (faith, origin, language, looks), per language, as stems. They
# must never be what an indicator or category is about, so only the top-level guidance (which says
# they are never indicators) may use them. Serbian Cyrillic is scanned through its Latin spelling.
_BCMS = [
    r"vj?er(?:a|e|i|u|om|sk\w*|nik\w*)", r"vj?eroispovij?est\w*", r"relig\w*", r"molitv\w*",
    r"mol(?:i|e|io|ila|ili|iti)", r"džamij\w*", r"crkv\w*", r"preobra[ćc]\w*", r"brad(?:a|e|u|om)",
    r"maram\w*", r"hidžab\w*", r"nikab\w*", r"burk\w*", r"etni\w*", r"nacionalnost\w*",
    r"ras(?:a|e|i|u|om|n\w*)", r"jezi[kč]\w*", r"naglas[ak]\w*", r"izgled\w*", r"odj?eć\w*",
    r"odj?ev\w*", r"kož\w*", r"musliman\w*", r"islam\w*", r"hrišćan\w*", r"kršćan\w*",
    r"pravoslav\w*", r"katoli\w*", r"jevrej\w*", r"židov\w*", r"kur'?an\w*", r"biblij\w*",
    r"imam(?:a|i|u|om)?", r"sve[šć]tenik\w*", r"ramazan\w*", r"ramadan\w*", r"post(?:a|u|i|iti)?",
    r"alban\w*", r"šiptar\w*", r"srb\w*", r"srps\w*", r"bošnja\w*", r"hrvat\w*", r"crnogor\w*",
    r"makedon\w*", r"rom(?:i|a|e|ima|sk\w*)?", r"tur(?:čin|ci|sk)\w*", r"arap\w*",
]
PROTECTED_TERMS: dict[str, list[str]] = {
    "en": [
        r"religions?", r"religious", r"faiths?", r"pray(?:s|ed|ing|ers?)?", r"worship\w*",
        r"mosques?", r"churche?s?", r"convert(?:s|ed|ing)?", r"conversions?", r"beard(?:s|ed)?",
        r"hijabs?", r"niqabs?", r"burqas?", r"veils?", r"headscar(?:f|ves)", r"head coverings?",
        r"ethnic\w*", r"race", r"racial", r"nationality", r"nationalities", r"languages?",
        r"accents?", r"appearance", r"dress(?:es|ed)?", r"clothing", r"skin",
        r"muslims?", r"islam\w*", r"christians?", r"orthodox", r"catholics?", r"jewish",
        r"quran", r"koran", r"bible", r"imams?", r"priests?", r"ramadan", r"fasting",
        r"albanians?", r"serbs?", r"serbian", r"bosniaks?", r"bosnian", r"croats?", r"croatian",
        r"montenegrins?", r"macedonians?", r"roma", r"romani", r"turkish", r"arabs?", r"arabic",
    ],
    "sq": [
        r"feja", r"fes?", r"fenë", r"fetar\w*", r"besim\w*", r"lut(?:et|en|je|jet?|ur)\w*",
        r"xhami\w*", r"kish(?:ë|a|ën|ës|at)", r"konvert\w*", r"mjekr\w*", r"mjekër", r"shami\w*",
        r"hixhab\w*", r"nikab\w*", r"burk\w*", r"perç\w*", r"etni\w*", r"kombësi\w*",
        r"rac(?:ë|a|ën|or\w*)", r"gjuh\w*", r"theks\w*", r"pamj\w*", r"veshj\w*", r"lëkur\w*",
        r"mysliman\w*", r"islam\w*", r"krishter\w*", r"ortodoks\w*", r"katolik\w*", r"hebre\w*",
        r"kuran\w*", r"bibl(?:a|ën|ës)", r"bibël", r"imam\w*", r"prift\w*", r"ramazan\w*",
        r"agjër\w*", r"agjer\w*", r"shqiptar\w*", r"serb\w*", r"boshnjak\w*", r"kroat\w*",
        r"malazez\w*", r"maqedon\w*", r"rom(?:ë|ët|ëve|a)?", r"turk\w*", r"arab\w*",
    ],
    "mk": [
        r"вер(?:а|и|ата|ски\w*|ник\w*)", r"вероисповед\w*", r"религ\w*", r"молитв\w*",
        r"се моли\w*", r"џамиј\w*", r"црк(?:ва|ви|вата|овн\w*)", r"конвер\w*", r"преобрат\w*",
        r"брад(?:а|и|ата)", r"марам\w*", r"хиџаб\w*", r"никаб\w*", r"бурк\w*", r"етни\w*",
        r"националност\w*", r"рас(?:а|и|ата|н\w*)", r"јази[кч]\w*", r"нагласок\w*", r"акцент\w*", r"изглед\w*",
        r"облек\w*", r"кож\w*", r"муслиман\w*", r"ислам\w*", r"христ\w*", r"православ\w*",
        r"католи\w*", r"евреј\w*", r"куран\w*", r"библиј\w*", r"имам(?:и|от)?", r"свештеник\w*",
        r"рамазан\w*", r"рамадан\w*", r"пост(?:и|от|ат)?", r"албан\w*", r"шиптар\w*", r"срб\w*",
        r"српск\w*", r"бошња\w*", r"хрват\w*", r"црногор\w*", r"македон\w*",
        r"ром(?:и|а|ите|ск\w*)?", r"тур(?:чин|ци|ск)\w*", r"араб\w*",
    ],
    "sr-Latn": _BCMS, "bs": _BCMS, "hr": _BCMS, "cnr": _BCMS,
}
_TRAIT_SCAN = {loc: re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)
               for loc, words in PROTECTED_TERMS.items()}


class CatalogueError(ValueError):
    """A catalogue or locations file is malformed, or a released version was changed."""


@dataclass(frozen=True)
class Category:
    code: str
    label: str


@dataclass(frozen=True)
class Indicator:
    code: str
    category: str
    label: str
    guidance: str
    kind: str  # "concern" or "protective"
    immediate: bool  # a screener must see it at once (threats, preparatory acts)
    # No longer offered on the form; kept so old entries and old versions keep their meaning.
    retired: bool = False


@dataclass(frozen=True)
class Catalogue:
    version: str
    guidance: str
    max_age_days: int
    categories: tuple[Category, ...]
    # Read-only view (file order), so the shared cached catalogue cannot be altered by a caller.
    indicators: Mapping[str, Indicator] = field(hash=False)
    sha256: str = ""  # of v<N>.json, the English text whose meaning is frozen
    # locale -> (code, part) -> text; code TOP is the top-level guidance, a category has a label.
    texts: Mapping[str, Mapping[tuple[str, Part], str]] = field(
        default_factory=lambda: MappingProxyType({}), hash=False)

    def text(self, locale: str, code: str, part: Part = "label") -> str:
        """A text in a locale. Every one exists (the loader refuses a gap), so there is no
        fallback: KeyError means the caller asked for a locale or code this version lacks."""
        return self.texts[locale][(code, part)]

    def category_of(self, code: str) -> str:
        """Category code of an indicator; KeyError if the code is not in this version."""
        return self.indicators[code].category

    def to_public_dict(self, locale: str = "en") -> dict[str, Any]:
        """What a tablet needs to show the form offline, in the officer's language; the
        bootstrap API sends it as is."""
        def say(code: str, part: Part = "label") -> str:
            return self.text(locale, code, part)
        return {
            "version": self.version,
            "locale": locale,
            "guidance": say(TOP, "guidance"),
            "max_age_days": self.max_age_days,
            "categories": [
                {"code": cat.code, "label": say(cat.code), "indicators": [
                    {"code": i.code, "label": say(i.code), "guidance": say(i.code, "guidance"),
                     "kind": i.kind, "immediate": i.immediate}
                    for i in self.indicators.values()
                    if i.category == cat.code and not i.retired]}
                for cat in self.categories
            ],
        }


@dataclass(frozen=True)
class Location:
    code: str
    label: str


def _fields(obj: Any, where: str, spec: dict[str, type]) -> dict[str, Any]:
    """Exactly the expected keys with the expected types; extra keys are typos, so refused."""
    if not isinstance(obj, dict):
        raise CatalogueError(f"{where}: expected an object")
    missing, extra = spec.keys() - obj.keys(), obj.keys() - spec.keys()
    if missing or extra:
        raise CatalogueError(f"{where}: missing fields {sorted(missing)}, unknown {sorted(extra)}")
    for key, typ in spec.items():
        value = obj[key]
        # bool is a subclass of int, so check it explicitly: "max_age_days": true is a mistake.
        if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
            raise CatalogueError(f"{where}: '{key}' must be {typ.__name__}")
        if typ is str and not value.strip():
            raise CatalogueError(f"{where}: '{key}' is empty")
    return obj


def _parse(raw: bytes, name: str, file_version: str) -> Catalogue:
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogueError(f"{name}: not valid JSON ({exc})") from exc
    top = _fields(data, name, {"version": str, "guidance": str, "max_age_days": int,
                               "categories": list, "indicators": list})
    if top["version"] != file_version:
        raise CatalogueError(f"{name}: version '{top['version']}' does not match the file name")
    if top["max_age_days"] < 1:
        raise CatalogueError(f"{name}: max_age_days must be at least 1")

    categories: dict[str, Category] = {}
    for n, item in enumerate(top["categories"]):
        cat = Category(**_fields(item, f"{name} categories[{n}]", {"code": str, "label": str}))
        if cat.code in categories:
            raise CatalogueError(f"{name}: duplicate category code {cat.code}")
        categories[cat.code] = cat
    if not categories:
        raise CatalogueError(f"{name}: no categories")

    indicators: dict[str, Indicator] = {}
    spec = {"code": str, "category": str, "label": str, "guidance": str, "kind": str,
            "immediate": bool}
    for n, item in enumerate(top["indicators"]):
        ind = Indicator(**_fields(item, f"{name} indicators[{n}]", spec))
        where = f"{name} indicator {ind.code}"
        if ind.code in indicators:
            raise CatalogueError(f"{name}: duplicate indicator code {ind.code}")
        if ind.category not in categories:
            raise CatalogueError(f"{where}: unknown category {ind.category}")
        if not ind.code.startswith(ind.category + "."):
            raise CatalogueError(f"{where}: code must start with '{ind.category}.'")
        if ind.kind not in KINDS:
            raise CatalogueError(f"{where}: kind must be one of {sorted(KINDS)}, not {ind.kind!r}")
        if ind.immediate and ind.kind == "protective":
            raise CatalogueError(f"{where}: a protective indicator cannot be immediate")
        indicators[ind.code] = ind
    empty = set(categories) - {i.category for i in indicators.values()}
    if empty:
        raise CatalogueError(f"{name}: categories without indicators: {sorted(empty)}")

    return Catalogue(version=file_version, guidance=top["guidance"],
                     max_age_days=top["max_age_days"], categories=tuple(categories.values()),
                     indicators=MappingProxyType(indicators),
                     sha256=hashlib.sha256(raw).hexdigest())


def _english(catalogue: Catalogue) -> dict[tuple[str, Part], str]:
    table: dict[tuple[str, Part], str] = {(TOP, "guidance"): catalogue.guidance}
    table |= {(c.code, "label"): c.label for c in catalogue.categories}
    for i in catalogue.indicators.values():
        table |= {(i.code, "label"): i.label, (i.code, "guidance"): i.guidance}
    return table


def _parse_translation(path: Path, english: Mapping[tuple[str, Part], str],
                       version: str, locale: str) -> dict[tuple[str, Part], str]:
    """The texts of one locale: exactly the codes of the English, each non-empty."""
    name = path.name
    try:
        data = json.loads(path.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogueError(f"{name}: not valid JSON ({exc})") from exc
    top = _fields(data, name, {"version": str, "locale": str, "guidance": str,
                               "categories": dict, "indicators": dict})
    if (top["version"], top["locale"]) != (version, locale):
        raise CatalogueError(f"{name}: says version {top['version']!r}, locale "
                             f"{top['locale']!r}; the file name says {version!r}, {locale!r}")
    table: dict[tuple[str, Part], str] = {(TOP, "guidance"): top["guidance"]}
    for code, label in top["categories"].items():
        table[(code, "label")] = _fields({"label": label}, f"{name} category {code}",
                                         {"label": str})["label"]
    for code, item in top["indicators"].items():
        texts = _fields(item, f"{name} indicator {code}", {"label": str, "guidance": str})
        table |= {(code, "label"): texts["label"], (code, "guidance"): texts["guidance"]}
    missing, extra = english.keys() - table.keys(), table.keys() - english.keys()
    if missing or extra:
        raise CatalogueError(f"{name}: no translation of {_keys(missing)}; "
                             f"codes not in v{version}.json: {_keys(extra)}")
    return table


def _keys(keys: set[tuple[str, Part]]) -> list[str]:
    return sorted(f"{code or 'top-level'} {part}" for code, part in keys)


def _translated(catalogue: Catalogue, directory: Path) -> Catalogue:
    """The catalogue with its texts in every locale; refused if any is missing or names a trait."""
    v = catalogue.version
    english = _english(catalogue)
    texts: dict[str, Mapping[tuple[str, Part], str]] = {"en": english}
    for locale in TRANSLATED:
        path = directory / f"v{v}.{locale}.json"
        if not path.is_file():
            raise CatalogueError(f"v{v}.json: no translation for locale {locale!r} ({path.name})")
        texts[locale] = _parse_translation(path, english, v, locale)
    for locale, (source, write) in GENERATED.items():
        texts[locale] = {key: write(text) for key, text in texts[source].items()}
    hits = trait_hits(texts)
    if hits:
        raise CatalogueError(f"v{v}: indicators must describe behaviour, not identity: {hits}")
    return dataclasses.replace(catalogue, texts=MappingProxyType(
        {loc: MappingProxyType(texts[loc]) for loc in LOCALES}))


def trait_hits(texts: Mapping[str, Mapping[tuple[str, Part], str]]) -> list[str]:
    """Protected-trait words in category and indicator texts (not the top-level guidance)."""
    hits = []
    for locale, table in texts.items():
        scan = _TRAIT_SCAN[locale if locale in _TRAIT_SCAN else GENERATED[locale][0]]
        read = to_latin if locale == "sr-Cyrl" else str  # scanned as the Latin it was made from
        hits += [f"{locale} {code} {part}: {m.group(0)!r}"
                 for (code, part), text in table.items() if code != TOP
                 for m in scan.finditer(read(text))]
    return hits


def load_catalogues(directory: Path = CATALOGUE_DIR) -> dict[str, Catalogue]:
    """Every v<N>.json in the directory with its translations, by version string.
    Raises CatalogueError on any problem."""
    found: dict[str, Catalogue] = {}
    for path in sorted(directory.glob("v*.json")):
        if _TRANSLATION_NAME.fullmatch(path.name):
            continue  # read with its version, below
        match = _FILE_NAME.fullmatch(path.name)
        if not match:
            raise CatalogueError(f"{path.name}: catalogue files must be named v<number>.json")
        version = match.group(1)
        if version != str(int(version)):  # "v01.json" would clash with "v1.json" as a number
            raise CatalogueError(f"{path.name}: write the version without leading zeros")
        found[version] = _translated(_parse(path.read_bytes(), path.name, version), directory)
    if not found:
        raise CatalogueError(f"no catalogue files (v<N>.json) in {directory}")
    _refuse_stray_translations(directory, found)
    return found


def _refuse_stray_translations(directory: Path, found: Mapping[str, Catalogue]) -> None:
    """A translation of a version that does not exist, or in a locale we do not speak, is a
    misnamed file: it would never be shown, so say so rather than ignore it."""
    for path in sorted(directory.glob("v*.*.json")):
        match = _TRANSLATION_NAME.fullmatch(path.name)
        if match and (match.group(1) not in found or match.group(2) not in TRANSLATED):
            raise CatalogueError(f"{path.name}: no such version, or a locale that is not one of "
                                 f"{list(TRANSLATED)}")


def current_version(catalogues: Mapping[str, Catalogue],
                    effective: Mapping[str, date] | None = None, today: date | None = None) -> str:
    """The highest version (compared as numbers: "10" is newer than "9") in effect on `today`;
    without effective dates, the highest of all."""
    in_effect = [v for v in catalogues
                 if effective is None or today is None or effective.get(v, date.min) <= today]
    if not in_effect:
        raise CatalogueError("no catalogue versions")
    return max(in_effect, key=int)


Standing = Literal["in_use", "not_yet", "superseded"]


def standing(version: str, effective: Mapping[str, date], today: date,
             grace: timedelta) -> tuple[Standing, date | None]:
    """May an entry made on `version` still be taken in on `today`? "not_yet" (with the day it
    takes effect) for a version no tablet can have yet; "superseded" (with the day the next one
    took effect) once that day lies `grace` or more behind: entries made offline on the
    previous version are accepted for the grace period after a new one takes effect."""
    starts = effective.get(version, date.min)
    if starts > today:
        return "not_yet", starts
    newer = [day for v, day in effective.items() if int(v) > int(version) and day <= today]
    replaced = min(newer, default=None)
    if replaced is not None and today >= replaced + grace:
        return "superseded", replaced
    return "in_use", replaced


def load_locations(path: Path = CATALOGUE_DIR / "locations.json") -> tuple[Location, ...]:
    try:
        data = json.loads(path.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogueError(f"{path.name}: not valid JSON ({exc})") from exc
    if not isinstance(data, list) or not data:
        raise CatalogueError(f"{path.name}: expected a non-empty list")
    result = tuple(Location(**_fields(item, f"{path.name}[{n}]", {"code": str, "label": str}))
                   for n, item in enumerate(data))
    codes = [loc.code for loc in result]
    if len(set(codes)) != len(codes):
        raise CatalogueError(f"{path.name}: duplicate location codes")
    return result


def register_versions(db: Session, catalogues: Mapping[str, Catalogue], now: datetime) -> None:
    """Record each version's hash the first time; refuse a version whose file has changed since.

    Call at start-up, before serving: a changed file would silently alter the meaning of
    observations already recorded against that version.
    """
    for version, catalogue in catalogues.items():
        stored = db.get(CatalogueVersion, version)
        if stored is None:
            db.add(CatalogueVersion(version=version, sha256=catalogue.sha256, first_loaded_at=now))
        elif stored.sha256 != catalogue.sha256:
            raise CatalogueError(f"catalogue version {version} changed after it was used; "
                                 "add a new version file instead")
    db.flush()  # so a second call in the same transaction sees the rows instead of re-adding


# --- Versions published from the browser -----------------------------------------------------
# content: {"max_age_days": int, "categories": [code, ...], "indicators": [{"code", "category",
# "kind", "immediate", "retired"}, ...], "texts": {locale: {code: {"label"?, "guidance"?}}}} for
# "en" and every TRANSLATED locale; code TOP holds the top-level guidance. Generated locales
# (sr-Cyrl, en-XA) are written at load, as for the files.


def content_sha256(content: Mapping[str, Any]) -> str:
    """The fingerprint of a version's content: canonical JSON, so key order does not count."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def content_of(catalogue: Catalogue) -> dict[str, Any]:
    """A version as content, every written locale's texts included: where a draft starts."""
    texts: dict[str, dict[str, dict[str, str]]] = {}
    for locale in ("en", *TRANSLATED):
        table: dict[str, dict[str, str]] = {}
        for (code, part), text in catalogue.texts[locale].items():
            table.setdefault(code, {})[part] = text
        texts[locale] = table
    return {"max_age_days": catalogue.max_age_days,
            "categories": [c.code for c in catalogue.categories],
            "indicators": [{"code": i.code, "category": i.category, "kind": i.kind,
                            "immediate": i.immediate, "retired": i.retired}
                           for i in catalogue.indicators.values()],
            "texts": texts}


def from_content(version: str, content: Mapping[str, Any]) -> Catalogue:
    """A Catalogue from content. A text not written yet is "" (a draft's preview shows the gap;
    publishing refuses it, so a published version has none)."""
    written = {locale: {(code, part): text
                        for code, parts in content["texts"].get(locale, {}).items()
                        for part, text in parts.items()}
               for locale in ("en", *TRANSLATED)}
    wanted = [(TOP, "guidance")] + [(code, "label") for code in content["categories"]]
    for item in content["indicators"]:
        wanted += [(item["code"], "label"), (item["code"], "guidance")]
    texts = {locale: {key: table.get(key, "") for key in wanted}
             for locale, table in written.items()}
    for locale, (source, write) in GENERATED.items():
        texts[locale] = {key: write(text) for key, text in texts[source].items()}
    english = texts["en"]
    indicators = {item["code"]: Indicator(
        code=item["code"], category=item["category"], label=english[(item["code"], "label")],
        guidance=english[(item["code"], "guidance")], kind=item["kind"],
        immediate=item["immediate"], retired=item["retired"]) for item in content["indicators"]}
    return Catalogue(
        version=version, guidance=english[(TOP, "guidance")],
        max_age_days=content["max_age_days"],
        categories=tuple(Category(code, english[(code, "label")])
                         for code in content["categories"]),
        indicators=MappingProxyType(indicators), sha256=content_sha256(content),
        texts=MappingProxyType({loc: MappingProxyType(texts[loc]) for loc in LOCALES}))


# The published rows are read with a plain SELECT outside any transaction (as db.ping does): a
# unit of work would take SQLite's write lock and could wait behind the caller's own.
_PUBLISHED = ("SELECT e.version, e.sha256, e.effective_from, f.sha256 FROM catalogue_edition e "
              "LEFT JOIN catalogue_version f ON f.version = e.version "
              "WHERE e.version IS NOT NULL")
_CONTENTS = "SELECT version, content FROM catalogue_edition WHERE version IS NOT NULL"
# Another server process's publishing is seen within this; this process's at once (forget()).
REFRESH_SECONDS = 5.0


@dataclass(frozen=True)
class _Known:
    key: tuple[tuple[str, str, date], ...]  # (version, sha256, effective_from) of the published
    catalogues: Mapping[str, Catalogue]  # files and published, by version
    effective: Mapping[str, date]  # the first day each is in effect; a file's: date.min
    read_at: float


_known: _Known | None = None
_reading = threading.Lock()


def _rows(sql: str) -> list[tuple]:
    connection = get_engine().raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(sql)
        rows = [tuple(row) for row in cursor.fetchall()]
        cursor.close()
        return rows
    finally:
        connection.close()


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _migrated() -> bool:
    try:
        return inspect(get_engine()).has_table("catalogue_edition")
    except DBAPIError:  # not even reachable
        return False


def _read_published(before: _Known | None) -> _Known:
    files = file_catalogues()
    try:
        rows = _rows(_PUBLISHED)
    except (DBAPIError, get_engine().dialect.loaded_dbapi.Error):  # wrapped, or the driver's own
        if before is not None:
            return before  # the database is away for a moment: what was known, asked again next
        if _migrated():
            raise
        # A database not made or not migrated yet (before app.cli setup, or a test session
        # before its fixtures) has the files only; read again at the next call.
        return _Known((), files, MappingProxyType({v: date.min for v in files}), -math.inf)
    for version, sha, _, fingerprint in rows:
        if version in files:
            raise CatalogueError(f"catalogue version {version} is both a file and published")
        if fingerprint != sha:
            raise CatalogueError(f"catalogue version {version} changed after it was published")
    key = tuple(sorted((v, sha, _day(day)) for v, sha, day, _ in rows))
    if before is not None and before.key == key:
        return dataclasses.replace(before, read_at=time.monotonic())
    old = before.catalogues if before else {}
    stale = {v for v, sha, _ in key if v not in old or old[v].sha256 != sha}
    contents = {v: c if isinstance(c, dict) else json.loads(c)
                for v, c in _rows(_CONTENTS) if v in stale} if stale else {}
    found = dict(files)
    for version, sha, _ in key:
        found[version] = from_content(version, contents[version]) if version in stale \
            else old[version]
        if found[version].sha256 != sha:
            raise CatalogueError(f"catalogue version {version} changed after it was published")
    effective = {v: date.min for v in files} | {v: day for v, _, day in key}
    return _Known(key, MappingProxyType(found), MappingProxyType(effective), time.monotonic())


def _current_known() -> _Known:
    global _known
    known = _known
    if known is not None and time.monotonic() - known.read_at < REFRESH_SECONDS:
        return known
    with _reading:
        _known = _read_published(_known)
        return _known


def forget() -> None:
    """Read the published versions again at the next call: after publishing (on commit), or a
    test that changed them."""
    global _known
    _known = None


# Cached accessors: the files are read once per process (they cannot change while it runs).

@lru_cache(maxsize=1)
def file_catalogues() -> Mapping[str, Catalogue]:
    return MappingProxyType(load_catalogues())


def catalogues() -> Mapping[str, Catalogue]:
    """Every version, files and published ones (also those not yet in effect), by version."""
    return _current_known().catalogues


def effective_dates() -> Mapping[str, date]:
    """The first day (prisons' date) each version is in effect."""
    return _current_known().effective


def current(today: date | None = None) -> Catalogue:
    """The version tablets get: the newest in effect on the prisons' today."""
    known = _current_known()
    return known.catalogues[current_version(known.catalogues, known.effective,
                                            today or prisons_today())]


def get(version: str) -> Catalogue | None:
    return catalogues().get(version)


def text(version: str, locale: str, code: str, part: Part = "label") -> str:
    """The text of `code` (TOP for the top-level guidance) of a version, in a locale."""
    return catalogues()[version].text(locale, code, part)


@lru_cache(maxsize=1)
def locations() -> tuple[Location, ...]:
    return load_locations()
