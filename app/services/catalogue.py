"""The indicator catalogue: versioned JSON files (app/catalogue/v<N>.json), checked and frozen.

Old observations keep the version they were made with, so a released file must never change:
`register_versions` records each file's SHA-256 in the database the first time it is seen and
refuses to start if it later differs. The files are checked strictly at load, because a typo in
a code or kind would otherwise surface only when an officer's entry is rejected on the wing.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from sqlalchemy.orm import Session

from app.models import CatalogueVersion

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "catalogue"
KINDS = frozenset({"concern", "protective"})
_FILE_NAME = re.compile(r"v(\d+)\.json")


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


@dataclass(frozen=True)
class Catalogue:
    version: str
    guidance: str
    max_age_days: int
    categories: tuple[Category, ...]
    # Read-only view (file order), so the shared cached catalogue cannot be altered by a caller.
    indicators: Mapping[str, Indicator] = field(hash=False)
    sha256: str = ""

    def category_of(self, code: str) -> str:
        """Category code of an indicator; KeyError if the code is not in this version."""
        return self.indicators[code].category

    def to_public_dict(self) -> dict[str, Any]:
        """What a tablet needs to show the form offline; the bootstrap API sends it as is."""
        return {
            "version": self.version,
            "guidance": self.guidance,
            "max_age_days": self.max_age_days,
            "categories": [
                {"code": cat.code, "label": cat.label, "indicators": [
                    {"code": i.code, "label": i.label, "guidance": i.guidance,
                     "kind": i.kind, "immediate": i.immediate}
                    for i in self.indicators.values() if i.category == cat.code]}
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


def load_catalogues(directory: Path = CATALOGUE_DIR) -> dict[str, Catalogue]:
    """Every v<N>.json in the directory, by version string. Raises CatalogueError on any problem."""
    found: dict[str, Catalogue] = {}
    for path in sorted(directory.glob("v*.json")):
        match = _FILE_NAME.fullmatch(path.name)
        if not match:
            raise CatalogueError(f"{path.name}: catalogue files must be named v<number>.json")
        version = match.group(1)
        if version != str(int(version)):  # "v01.json" would clash with "v1.json" as a number
            raise CatalogueError(f"{path.name}: write the version without leading zeros")
        found[version] = _parse(path.read_bytes(), path.name, version)
    if not found:
        raise CatalogueError(f"no catalogue files (v<N>.json) in {directory}")
    return found


def current_version(catalogues: Mapping[str, Catalogue]) -> str:
    """The highest version, compared as numbers ("10" is newer than "9")."""
    if not catalogues:
        raise CatalogueError("no catalogue versions")
    return max(catalogues, key=int)


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


# Cached accessors: the files are read once per process (they cannot change while it runs).

@lru_cache(maxsize=1)
def catalogues() -> Mapping[str, Catalogue]:
    return MappingProxyType(load_catalogues())


def current() -> Catalogue:
    return catalogues()[current_version(catalogues())]


def get(version: str) -> Catalogue | None:
    return catalogues().get(version)


@lru_cache(maxsize=1)
def locations() -> tuple[Location, ...]:
    return load_locations()
