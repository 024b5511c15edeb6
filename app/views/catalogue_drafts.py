"""What the catalogue page shows: strings in the reader's language, made from
app/services/catalogue_draft_reads' dataclasses (and a draft's preview, as a tablet gets it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from app.i18n.labels import INDICATOR_KIND_LABELS, label
from app.i18n.locales import ENDONYMS, Locale
from app.i18n.messages import Messages, N_
from app.services.admin_refusals import Refused
from app.services.catalogue_draft_reads import WRITTEN, Edition, Problem, VersionRow

STATE_LABELS = {
    "draft": N_("Draft"),
    "scheduled": N_("Published, not yet in effect"),
    "current": N_("In use"),
    "grace": N_("Replaced; entries on it still accepted"),
    "superseded": N_("Replaced"),
}
STATE_COLOURS = {"draft": "amber", "scheduled": "blue", "current": "green", "grace": "gray",
                 "superseded": "gray"}
PUBLISH_DAYS = 90  # how far ahead the effective date can be chosen


@dataclass(frozen=True)
class VersionItem:
    key: str
    title: str  # "Version 2" or "Draft from version 1"
    state: str
    state_label: str
    colour: str
    effective: str  # "In effect from 3 Dec 2026", or ""
    reason: str
    counts: str
    href: str
    chosen: bool


@dataclass(frozen=True)
class IndicatorItem:
    code: str
    kind: str
    protective: bool
    immediate: bool
    retired: bool
    new: bool
    label_en: str
    guidance_en: str
    label: str  # in the locale being edited
    guidance: str
    missing: bool  # a text in that locale not written yet


@dataclass(frozen=True)
class CategoryItem:
    code: str
    label_en: str
    label: str
    missing: bool
    indicators: list[IndicatorItem] = field(default_factory=list)


@dataclass(frozen=True)
class PreviewIndicator:
    code: str
    label: str
    guidance: str
    immediate: bool
    protective: bool


@dataclass(frozen=True)
class PreviewCategory:
    code: str
    label: str
    indicators: list[PreviewIndicator] = field(default_factory=list)


def version_items(rows: list[VersionRow], words: Messages, route: str,
                  chosen: str) -> list[VersionItem]:
    return [VersionItem(
        key=row.key,
        title=words.t("Version {version}", version=row.version) if row.version
        else words.t("Draft from version {version}", version=row.based_on),
        state=row.state, state_label=words.t(STATE_LABELS[row.state]),
        colour=STATE_COLOURS[row.state],
        effective=words.t("In effect from {day}", day=words.day(row.effective_from))
        if row.effective_from else "",
        reason=row.reason or "",
        counts=words.t("Indicators offered: {offered}, retired: {retired}",
                       offered=words.number(row.offered), retired=words.number(row.retired)),
        href=f"{route}?{'version' if row.version else 'draft'}={row.key}",
        chosen=row.key == chosen) for row in rows]


def category_items(found: Edition, words: Messages) -> list[CategoryItem]:
    return [CategoryItem(
        code=c.code, label_en=c.label_en, label=c.label, missing=not c.label.strip(),
        indicators=[IndicatorItem(
            code=i.code, kind=label(words, INDICATOR_KIND_LABELS, i.kind),
            protective=i.kind == "protective", immediate=i.immediate, retired=i.retired,
            new=i.new, label_en=i.label_en, guidance_en=i.guidance_en, label=i.label,
            guidance=i.guidance, missing=not (i.label.strip() and i.guidance.strip()))
            for i in c.indicators])
        for c in found.categories]


def preview_categories(public: dict[str, Any]) -> list[PreviewCategory]:
    """The form's categories and indicators from a bootstrap catalogue (retired ones are not
    in it)."""
    return [PreviewCategory(c["code"], c["label"], [
        PreviewIndicator(i["code"], i["label"], i["guidance"], i["immediate"],
                         i["kind"] == "protective") for i in c["indicators"]])
        for c in public["categories"]]


def locale_choices(locales: tuple[str, ...] = WRITTEN) -> list[list[str]]:
    """[code, the language's own name] for a language select."""
    return [[code, ENDONYMS[Locale(code)]] for code in locales]


def day_choices(words: Messages, today: date, days: int = PUBLISH_DAYS) -> list[list[str]]:
    """[ISO day, the day in the reader's words] from today on: a list to choose from, as the
    trends page's weeks, never a browser date field in the US format."""
    return [[(today + timedelta(days=n)).isoformat(),
             words.day(today + timedelta(days=n), "full")] for n in range(days)]


def problem_lines(problems: list[Problem], words: Messages) -> list[str]:
    """Each problem in words; a language by its own name rather than its code."""
    def named(params) -> dict[str, str]:
        locale = params.get("locale")
        return {**params, "locale": ENDONYMS[Locale(locale)]} if locale else dict(params)
    return [words.t(p.message, **named(p.params)) for p in problems]


def refusal(words: Messages, error: Refused) -> str:
    """A refused command in words (a draft that fails its checks: how many problems; the page
    lists them beside it)."""
    return words.t(error.message, **error.params)
