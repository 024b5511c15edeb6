"""Catalogue versions for administrators, read side: the list of versions, one version or draft
with its texts in a locale beside the English, a draft's preview as the capture form would show
it, and the checks a draft must pass before it is published.

Every version stays readable: the files (app/catalogue), the published ones and the drafts.
The checks are those the files pass at load (app/services/catalogue.py): codes, every text in
every locale, no protected trait named in any language; here they are listed, all of them, as
codes with parameters so the page and the API can say them in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import prisons_today
from app.i18n.messages import N_
from app.models import CatalogueEdition
from app.services import catalogue
from app.services.accounts import Identity
from app.services.admin_refusals import NotFound, Refused, require_admin
from app.services.catalogue import TOP, TRANSLATED, Catalogue, Part
from app.settings import get_settings

WRITTEN = ("en", *TRANSLATED)  # the locales an administrator writes; the others are generated
MAX_TEXT = {"label": 200, "guidance": 2000}
State = Literal["draft", "scheduled", "current", "grace", "superseded"]


@dataclass(frozen=True)
class Problem:
    """Something that stops a draft being published: a code, a message id and its values."""

    code: str
    message: str
    params: Mapping[str, str] = field(default_factory=dict)


class DraftProblems(Refused):
    """Publishing refused: the draft fails the catalogue's checks (all of them listed)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("draft_problems",
                         N_("This draft cannot be published yet: {count} problems."),
                         field="draft", count=str(len(problems)))
        self.problems = problems


@dataclass(frozen=True)
class VersionRow:
    key: str  # what opens it: the version number, or a draft's id
    version: str | None  # None for a draft
    state: State
    based_on: str | None
    effective_from: date | None  # None for a file (in effect from the start) and a draft
    published_at: datetime | None
    reason: str | None
    offered: int  # indicators on the form
    retired: int


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    category: str
    kind: str
    immediate: bool
    retired: bool
    new: bool  # not in the version the draft started from
    label_en: str
    guidance_en: str
    label: str  # in the chosen locale ("" where not written yet)
    guidance: str


@dataclass(frozen=True)
class CategoryRow:
    code: str
    label_en: str
    label: str
    indicators: tuple[IndicatorRow, ...]


@dataclass(frozen=True)
class Edition:
    """One version or draft, its texts in `locale` beside the English."""

    key: str
    version: str | None
    state: State
    based_on: str | None
    locale: str
    guidance_en: str
    guidance: str
    categories: tuple[CategoryRow, ...]
    effective_from: date | None
    published_at: datetime | None
    reason: str | None
    sha256: str
    content: Mapping[str, Any]  # every text in every written locale (the API's full answer)


def versions(db: Session, who: Identity, today: date | None = None) -> list[VersionRow]:
    """Every version, newest first, then the drafts (newest first)."""
    require_admin(who)
    today = today or prisons_today()
    published = {row.version: row for row in db.scalars(
        select(CatalogueEdition).where(CatalogueEdition.version.is_not(None)))}
    rows = [_version_row(cat, published.get(v), today) for v, cat in catalogue.catalogues().items()]
    rows.sort(key=lambda row: -int(row.version or 0))
    drafts = db.scalars(select(CatalogueEdition).where(CatalogueEdition.version.is_(None))
                        .order_by(CatalogueEdition.created_at.desc())).all()
    return rows + [_draft_row(draft) for draft in drafts]


def _version_row(cat: Catalogue, row: CatalogueEdition | None, today: date) -> VersionRow:
    offered = sum(1 for i in cat.indicators.values() if not i.retired)
    return VersionRow(key=cat.version, version=cat.version, state=state_of(cat.version, today),
                      based_on=row.based_on if row else None,
                      effective_from=row.effective_from if row else None,
                      published_at=row.published_at if row else None,
                      reason=row.reason if row else None,
                      offered=offered, retired=len(cat.indicators) - offered)


def _draft_row(draft: CatalogueEdition) -> VersionRow:
    retired = sum(1 for i in draft.content["indicators"] if i["retired"])
    return VersionRow(key=draft.id, version=None, state="draft", based_on=draft.based_on,
                      effective_from=None, published_at=None, reason=None,
                      offered=len(draft.content["indicators"]) - retired, retired=retired)


def state_of(version: str, today: date) -> State:
    """Where a published version stands on `today`: not yet in effect, the one tablets get,
    replaced but its entries still taken in, or replaced for good."""
    effective = catalogue.effective_dates()
    if version == catalogue.current(today).version:
        return "current"
    grace = timedelta(days=get_settings().catalogue_grace_days)
    standing, _ = catalogue.standing(version, effective, today, grace)
    return {"not_yet": "scheduled", "superseded": "superseded"}.get(standing, "grace")


def edition(db: Session, who: Identity, key: str, locale: str = "en",
            today: date | None = None) -> Edition:
    """A version (by number) or a draft (by id), its texts in `locale` beside the English."""
    require_admin(who)
    if locale not in catalogue.LOCALES:
        raise Refused("unknown_locale", N_("No such language."), field="locale")
    today = today or prisons_today()
    cat = catalogue.get(key)
    if cat is not None:
        row = db.scalar(select(CatalogueEdition).where(CatalogueEdition.version == key))
        return _edition(cat, key, key, state_of(key, today), locale, row,
                        catalogue.content_of(cat), new=frozenset())
    draft = find_draft(db, key)
    base = catalogue.get(draft.based_on)
    old = frozenset(base.indicators) if base else frozenset()
    return _edition(catalogue.from_content("", draft.content), draft.id, None, "draft", locale,
                    draft, draft.content, new=frozenset(
                        i["code"] for i in draft.content["indicators"] if i["code"] not in old))


def find_draft(db: Session, draft_id: str, *, for_update: bool = False) -> CatalogueEdition:
    query = select(CatalogueEdition).where(CatalogueEdition.id == draft_id,
                                           CatalogueEdition.version.is_(None))
    draft = db.scalar(query.with_for_update() if for_update else query)
    if draft is None:
        raise NotFound("no_draft", N_("No such draft."), field="draft")
    return draft


def _edition(cat: Catalogue, key: str, version: str | None, state: State, locale: str,
             row: CatalogueEdition | None, content: Mapping[str, Any],
             new: frozenset[str]) -> Edition:
    def say(code: str, part: Part = "label") -> str:
        return cat.text(locale, code, part)

    categories = tuple(CategoryRow(
        code=c.code, label_en=c.label, label=say(c.code),
        indicators=tuple(IndicatorRow(
            code=i.code, category=i.category, kind=i.kind, immediate=i.immediate,
            retired=i.retired, new=i.code in new, label_en=i.label, guidance_en=i.guidance,
            label=say(i.code), guidance=say(i.code, "guidance"))
            for i in cat.indicators.values() if i.category == c.code))
        for c in cat.categories)
    return Edition(key=key, version=version, state=state,
                   based_on=row.based_on if row else None, locale=locale,
                   guidance_en=cat.guidance, guidance=say(TOP, "guidance"),
                   categories=categories, effective_from=row.effective_from if row else None,
                   published_at=row.published_at if row else None,
                   reason=row.reason if row else None, sha256=cat.sha256, content=content)


def preview(db: Session, who: Identity, draft_id: str, locale: str) -> dict[str, Any]:
    """The draft as a tablet would get it at bootstrap, in `locale`: what the form offers."""
    require_admin(who)
    if locale not in catalogue.LOCALES:
        raise Refused("unknown_locale", N_("No such language."), field="locale")
    draft = find_draft(db, draft_id)
    return catalogue.from_content("", draft.content).to_public_dict(locale)


def check(db: Session, who: Identity, draft_id: str) -> list[Problem]:
    require_admin(who)
    return problems(find_draft(db, draft_id).content)


def problems(content: Mapping[str, Any]) -> list[Problem]:
    """Every reason the draft may not be published; empty when it may."""
    found = _code_problems(content)
    cat = catalogue.from_content("", content)
    for locale in WRITTEN:
        found += [Problem("missing_text", N_("{code}: the {part} in {locale} is not written."),
                          {"code": code or "—", "part": part, "locale": locale})
                  for (code, part), text in cat.texts[locale].items() if not text.strip()]
    for hit in catalogue.trait_hits(cat.texts):
        found.append(Problem(
            "protected_term",
            N_("{where}: names a protected trait. Indicators describe behaviour, never who "
               "someone is or what they believe."), {"where": hit}))
    return found


def _code_problems(content: Mapping[str, Any]) -> list[Problem]:
    found: list[Problem] = []
    offered = {i["category"] for i in content["indicators"] if not i["retired"]}
    for code in content["categories"]:
        if code not in offered:
            found.append(Problem("empty_category",
                                 N_("Category {code} offers no indicator."), {"code": code}))
    seen: set[str] = set()
    for item in content["indicators"]:
        code = item["code"]
        if code in seen or not code.startswith(item["category"] + "."):
            found.append(Problem("bad_code", N_("{code}: not a code this catalogue can use."),
                                 {"code": code}))
        seen.add(code)
        if item["kind"] not in catalogue.KINDS:
            found.append(Problem("bad_kind", N_("{code}: no such kind."), {"code": code}))
        if item["immediate"] and item["kind"] == "protective":
            found.append(Problem("protective_immediate",
                                 N_("{code}: a protective indicator cannot be immediate."),
                                 {"code": code}))
    return found
