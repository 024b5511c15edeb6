"""Catalogue versions made in the browser: start a draft from the newest version, edit its
texts in every written locale, add an indicator, retire one, mark one immediate, publish.

A draft lives in catalogue_edition with no version number. Publishing gives it the next number,
an effective date and the publisher's reason, fingerprints its content in catalogue_version
(as the files are) and from then on nothing changes it. Indicators are never deleted: a
retired one stays in the version, so old entries keep their meaning, and is not offered on the
form. Every command is audited with its before and after (audit.record_change).
"""

from __future__ import annotations

import copy
from datetime import date, datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.clock import prisons_today
from app.i18n.messages import N_
from app.models import CatalogueEdition, CatalogueVersion
from app.services import audit, catalogue
from app.services.accounts import Identity
from app.services.admin_refusals import Conflict, NotFound, Refused, require_admin
from app.services.catalogue import TOP, Part
from app.services.catalogue_draft_reads import (MAX_TEXT, WRITTEN, DraftProblems, find_draft,
                                                problems)
from app.vocabulary import IndicatorKind

MAX_REASON = 500


def start(db: Session, who: Identity, now: datetime) -> str:
    """A draft copied from the newest version (the one in effect, or one already scheduled:
    a draft from an older one would undo it). Returns the draft's id."""
    require_admin(who)
    base = newest()
    draft = CatalogueEdition(based_on=base.version, content=catalogue.content_of(base),
                             created_by=who.user_id, created_at=now, updated_at=now)
    db.add(draft)
    db.flush()
    audit.record_change(db, at=now, actor_id=who.user_id, change="catalogue.draft_start",
                        subject=draft.id, before=None, after={"based_on": base.version})
    return draft.id


def newest() -> catalogue.Catalogue:
    versions = catalogue.catalogues()
    return versions[max(versions, key=int)]


def set_text(db: Session, who: Identity, draft_id: str, code: str, part: Part, locale: str,
             text: str, now: datetime) -> None:
    """One text of the draft in one written locale; "" clears it (publishing then refuses)."""
    require_admin(who)
    if locale not in WRITTEN:
        raise Refused("unknown_locale", N_("Texts are written in {locales}; the others are made "
                                           "from them."), field="locale",
                      locales=", ".join(WRITTEN))
    if part not in MAX_TEXT:
        raise Refused("unknown_part", N_("A text is a label or a guidance."), field="part")
    text = text.strip()
    if len(text) > MAX_TEXT[part]:
        raise Refused("too_long", N_("At most {count} characters."), field="text",
                      count=str(MAX_TEXT[part]))
    draft = find_draft(db, draft_id, for_update=True)
    content = copy.deepcopy(draft.content)
    if (code, part) not in _parts(content):
        raise NotFound("unknown_code", N_("This draft has no {part} for {indicator}."),
                       field="code", part=part, indicator=code or "—")
    texts = content["texts"][locale].setdefault(code, {})
    before = texts.get(part, "")
    texts[part] = text
    _save(draft, content, now)
    audit.record_change(db, at=now, actor_id=who.user_id, change="catalogue.text",
                        subject=draft.id,
                        before={"code": code, "part": part, "locale": locale, "text": before},
                        after={"code": code, "part": part, "locale": locale, "text": text})


def _parts(content: dict[str, Any]) -> set[tuple[str, str]]:
    """The texts a version has: the top-level guidance, each category's label, each
    indicator's label and guidance."""
    parts = {(TOP, "guidance")} | {(code, "label") for code in content["categories"]}
    for item in content["indicators"]:
        parts |= {(item["code"], "label"), (item["code"], "guidance")}
    return parts


def add_indicator(db: Session, who: Identity, draft_id: str, category: str, kind: str,
                  label: str, guidance: str, now: datetime) -> str:
    """A new indicator at the end of a category, its English texts given (the other locales
    are written next); returns its code, the category's next number (C02.7)."""
    require_admin(who)
    if kind not in catalogue.KINDS:
        raise Refused("unknown_kind", N_("Choose concern or protective."), field="kind")
    for name, value in (("label", label), ("guidance", guidance)):
        if not value.strip():
            raise Refused("required", N_("Write it in English."), field=name)
        if len(value.strip()) > MAX_TEXT[name]:
            raise Refused("too_long", N_("At most {count} characters."), field=name,
                          count=str(MAX_TEXT[name]))
    draft = find_draft(db, draft_id, for_update=True)
    content = copy.deepcopy(draft.content)
    if category not in content["categories"]:
        raise NotFound("unknown_category", N_("This draft has no such category."),
                       field="category")
    taken = [int(i["code"].rsplit(".", 1)[1]) for i in content["indicators"]
             if i["category"] == category]
    code = f"{category}.{max(taken, default=0) + 1}"
    last = max((n for n, i in enumerate(content["indicators"]) if i["category"] == category),
               default=len(content["indicators"]) - 1)
    item = {"code": code, "category": category, "kind": kind, "immediate": False,
            "retired": False}
    content["indicators"].insert(last + 1, item)
    content["texts"]["en"][code] = {"label": label.strip(), "guidance": guidance.strip()}
    _save(draft, content, now)
    audit.record_change(db, at=now, actor_id=who.user_id, change="catalogue.indicator_add",
                        subject=draft.id, before=None, after=item)
    return code


def retire(db: Session, who: Identity, draft_id: str, code: str, retired: bool,
           now: datetime) -> None:
    """Take an indicator off the form (or put it back, before publishing). It stays in the
    version: entries that used it keep their meaning."""
    _set_flag(db, who, draft_id, code, "retired", retired, now)


def mark_immediate(db: Session, who: Identity, draft_id: str, code: str, immediate: bool,
                   now: datetime) -> None:
    """An immediate indicator puts its entry before a screener at once (flag rule R1)."""
    _set_flag(db, who, draft_id, code, "immediate", immediate, now)


def _set_flag(db: Session, who: Identity, draft_id: str, code: str, flag: str, value: bool,
              now: datetime) -> None:
    require_admin(who)
    draft = find_draft(db, draft_id, for_update=True)
    content = copy.deepcopy(draft.content)
    item = next((i for i in content["indicators"] if i["code"] == code), None)
    if item is None:
        raise NotFound("unknown_code", N_("This draft has no indicator {indicator}."),
                       field="code", indicator=code)
    if flag == "immediate" and value and item["kind"] == IndicatorKind.PROTECTIVE:
        raise Refused("protective_immediate",
                      N_("{indicator}: a protective indicator cannot be immediate."),
                      field="immediate", indicator=code)
    before = item[flag]
    item[flag] = value
    _save(draft, content, now)
    audit.record_change(db, at=now, actor_id=who.user_id, change=f"catalogue.indicator_{flag}",
                        subject=draft.id, before={"code": code, flag: before},
                        after={"code": code, flag: value})


def _save(draft: CatalogueEdition, content: dict[str, Any], now: datetime) -> None:
    draft.content = content  # a new object, so the JSON column is written
    draft.updated_at = now


def publish(db: Session, who: Identity, draft_id: str, reason: str, effective_from: date,
            now: datetime) -> str:
    """The draft becomes the next version, in effect (tablets get it at their next bootstrap)
    from `effective_from`, a day of the prisons' calendar. Refused with every problem listed
    when it fails a check. Returns the version."""
    require_admin(who)
    reason = reason.strip()
    if not reason:
        raise Refused("required", N_("Say why this version is published."), field="reason")
    if len(reason) > MAX_REASON:
        raise Refused("too_long", N_("At most {count} characters."), field="reason",
                      count=str(MAX_REASON))
    draft = find_draft(db, draft_id, for_update=True)
    base = newest()
    if draft.based_on != base.version:
        raise Conflict("draft_outdated", N_("Version {version} was published after this draft "
                                            "was started: start a new draft from it."),
                       field="draft", version=base.version)
    _check_effective(effective_from, base.version, now)
    found = problems(draft.content)
    if found:
        raise DraftProblems(found)
    version = str(int(base.version) + 1)
    draft.version, draft.effective_from, draft.reason = version, effective_from, reason
    draft.published_by, draft.published_at = who.user_id, now
    draft.sha256 = catalogue.content_sha256(draft.content)
    db.add(CatalogueVersion(version=version, sha256=draft.sha256, first_loaded_at=now))
    db.flush()
    # This process reads the versions again once the publishing is committed; the others
    # within catalogue.REFRESH_SECONDS.
    event.listen(db, "after_commit", lambda _session: catalogue.forget(), once=True)
    audit.record_change(db, at=now, actor_id=who.user_id, change="catalogue.publish",
                        subject=draft.id, before=None,
                        after={"version": version, "based_on": draft.based_on,
                               "effective_from": effective_from.isoformat(),
                               "sha256": draft.sha256})
    return version


def _check_effective(effective_from: date, base: str, now: datetime) -> None:
    today = prisons_today(now)
    if effective_from < today:
        raise Refused("in_past", N_("Choose today or a later day."), field="effective_from")
    previous = catalogue.effective_dates().get(base)
    if previous is not None and effective_from < previous:
        raise Refused("before_previous", N_("Version {version} takes effect on {day}: choose "
                                            "that day or a later one."),
                      field="effective_from", version=base, day=previous.isoformat())
