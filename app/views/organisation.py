"""What the prisons page and the administration overview show: strings in the reader's
language, made from app/services/organisation_reads' dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.i18n.labels import ROLE_LABELS
from app.i18n.locales import ENDONYMS, Locale
from app.i18n.messages import Messages
from app.services import organisation
from app.services.organisation import OrganisationError
from app.services.organisation_reads import Overview, PrisonDetail, PrisonSummary
from app.vocabulary import Role, parse


@dataclass(frozen=True)
class PrisonItem:
    code: str
    name: str
    wings: str  # "3 open wings, 1 closed"
    href: str


@dataclass(frozen=True)
class WingItem:
    code: str
    name: str
    closed: bool
    status: str


@dataclass(frozen=True)
class LocationItem:
    code: str
    label: str
    standard: bool
    retired: bool
    first: bool
    last: bool
    names: list[str] = field(default_factory=list)  # in organisation.WRITTEN's order


@dataclass(frozen=True)
class Count:
    label: str
    value: str


def language_fields() -> list[tuple[str, str]]:
    """(locale, its own name) of each language a location's name is written in."""
    return [(code, ENDONYMS[Locale(code)]) for code in organisation.WRITTEN]


def prison_items(found: list[PrisonSummary], words: Messages, route: str) -> list[PrisonItem]:
    return [PrisonItem(p.code, p.name,
                       words.t("Open wings: {open}, closed: {closed}",
                               open=words.number(p.open_wings),
                               closed=words.number(p.closed_wings)),
                       f"{route}?prison={p.code}") for p in found]


def wing_items(detail: PrisonDetail, words: Messages) -> list[WingItem]:
    return [WingItem(w.code, w.name, w.closed_on is not None,
                     words.t("Closed since {day}", day=words.day(w.closed_on))
                     if w.closed_on else words.t("Open"))
            for w in detail.wings]


def location_items(detail: PrisonDetail) -> list[LocationItem]:
    last = len(detail.locations) - 1
    return [LocationItem(loc.code, loc.label, loc.names is None, loc.retired, n == 0, n == last,
                         [loc.names.get(code, "") for code in organisation.WRITTEN]
                         if loc.names else [])
            for n, loc in enumerate(detail.locations)]


def refusal(words: Messages, error: OrganisationError) -> str:
    """A refused command in words; a name in one language says which language."""
    problem = words.t(error.message, **error.params)
    locale = parse(Locale, error.field.removeprefix("names."))
    if error.field.startswith("names.") and locale is not None:
        return words.t("{field}: {problem}", field=ENDONYMS[locale], problem=problem)
    return problem


def overview_counts(found: Overview, words: Messages) -> list[Count]:
    """Prisons, wings and the active accounts by role; the roster system only if it has any."""
    counts = [Count(words.t("Prisons"), words.number(found.prisons)),
              Count(words.t("Open wings"), words.number(found.open_wings)),
              Count(words.t("Closed wings"), words.number(found.closed_wings))]
    return counts + [Count(words.t("Active accounts: {role}",
                                   role=words.t(ROLE_LABELS[Role(role)])),
                           words.number(n))
                     for role, n in found.active_accounts
                     if n or role != Role.ROSTER_SERVICE]
