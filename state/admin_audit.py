"""The audit log page's state: the URL's filters, one page of entries in the tab's language,
Verify now, the CSV export, and the keys with their rotation.

Only strings made by app/views/audit_log.py reach the browser.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

import reflex as rx

from app import runtime
from app.clock import prisons_today, utc_now
from app.i18n.messages import Messages
from app.runtime import transaction
from app.services import audit_log, key_status
from app.services.accounts import Identity
from app.services.audit_log import AuditFilters, BadFilter
from app.settings import get_settings
from app.views.screening import plain
from app.views.audit_log import (
    ACTION_LABELS,
    PERIOD_DAYS,
    TODAY,
    EntryView,
    KeyView,
    day_choices,
    entry_view,
    iso_day,
    key_view,
    page_summary,
    to_csv,
    verify_text,
)
from state.identity import current_identity
from state.language import messages

ROUTE = "/admin/audit"
ALL = "all"


class PageQuery:
    """The page's URL: who, action, subject, a period of `days` ending on `until`, the page.
    A period, not two date fields: a browser's date field writes dates its own way."""

    def __init__(self, params: dict[str, str], today: date) -> None:
        self.who = _text(params.get("who"))[:64]
        self.action = _text(params.get("action"))
        self.subject = _text(params.get("subject"))[:64]
        days = _text(params.get("days"))
        self.days = days if days in PERIOD_DAYS else ALL
        self.until = _text(params.get("until"))
        self.page = _text(params.get("page")) or "1"
        self.today = today

    def filters(self) -> AuditFilters:
        """The service's filters; what the URL garbles is refused by AuditFilters.parse."""
        until = self.until or (self.today.isoformat() if self.days != ALL else "")
        since = ""
        if self.days != ALL and until:
            try:
                since = (date.fromisoformat(until) - timedelta(days=int(self.days) - 1)
                         ).isoformat()
            except (ValueError, OverflowError):
                since = ""  # parse names the bad `until`
        return AuditFilters.parse({"who": self.who, "action": self.action,
                                   "subject": self.subject, "since": since, "until": until,
                                   "page": self.page})

    def url(self, **changes: str) -> str:
        values = {"who": self.who, "action": self.action, "subject": self.subject,
                  "days": "" if self.days == ALL else self.days, "until": self.until,
                  "page": "" if self.page == "1" else self.page, **changes}
        query = urlencode({k: v for k, v in values.items() if v})
        return f"{ROUTE}?{query}" if query else ROUTE


def _text(value: object) -> str:
    """What the browser sent, as text a URL can hold (no NUL, no lone surrogate); not text:
    nothing."""
    return plain(value).strip() if isinstance(value, str) else ""


def _field(form: object, name: str) -> str:
    return _text(form.get(name)) if isinstance(form, dict) else ""


class AdminAuditState(rx.State):
    entries: list[EntryView] = []
    summary: str = ""
    page: int = 1
    pages: int = 1
    who: str = ""
    action: str = ""
    subject: str = ""
    days: str = ALL
    until: str = TODAY
    actions: list[list[str]] = []  # [code, label]
    ends: list[list[str]] = []  # [ISO day or TODAY, the day as the locale writes it]
    problem: str = ""  # a filter the URL garbled
    verified: bool = False
    verify_ok: bool = False
    verify_message: str = ""
    verify_detail: str = ""  # the verifier's technical reason (English)
    notice: str = ""
    keys: list[KeyView] = []
    confirm_kind: str = ""  # the key kind whose rotation waits for a confirmation
    key_notice: str = ""

    @rx.event
    async def load(self):
        who = current_identity(self.router.headers.cookie)
        if who is not None:
            self._refresh(who, await messages(self))

    def _query(self) -> PageQuery:
        return PageQuery(dict(self.router.url.query_parameters), prisons_today())

    def _refresh(self, who: Identity, words: Messages) -> None:
        query = self._query()
        self.problem, self.notice, self.verified = "", "", False
        try:
            filters = query.filters()
        except BadFilter as bad:
            self.problem = words.t(bad.message, field=bad.field)
            filters = AuditFilters()
        with transaction() as db:
            found = audit_log.entries(db, who, filters, get_settings().zone)
        self.entries = [entry_view(words, entry) for entry in found.entries]
        self.summary, self.page, self.pages = page_summary(words, found), found.page, found.pages
        self.who, self.action, self.subject = query.who, query.action, query.subject
        self.days, self.until = query.days, query.until if iso_day(query.until) else TODAY
        self.actions = [[code.value, words.t(msgid)] for code, msgid in ACTION_LABELS.items()]
        self.ends = day_choices(words, query.today, query.until)
        self._keys(who, words)

    def _keys(self, who: Identity, words: Messages) -> None:
        settings = get_settings()
        runtime.make_keys()
        found = key_status.status(who, settings.keys_dir, utc_now(),
                                  timedelta(hours=settings.token_key_grace_hours),
                                  timedelta(days=settings.sealing_key_grace_days))
        self.keys = [key_view(words, key, key.kind in key_status.ROTATABLE) for key in found]

    def _show(self, **changes: str):
        """Filters live in the URL; a new filter starts again at page 1."""
        return rx.redirect(self._query().url(page="", **changes), replace=True)

    @rx.event
    def filter_who(self, form: dict):
        return self._show(who=_field(form, "who"))

    @rx.event
    def filter_subject(self, form: dict):
        return self._show(subject=_field(form, "subject"))

    @rx.event
    def filter_action(self, action: str):
        action = _text(action)
        return self._show(action="" if action == ALL else action)

    @rx.event
    def filter_days(self, days: str):
        days = _text(days)
        return self._show(days=days if days in PERIOD_DAYS and days != ALL else "")

    @rx.event
    def filter_until(self, until: str):
        until = _text(until)
        return self._show(until="" if until == TODAY else until)

    @rx.event
    def clear_filters(self):
        return rx.redirect(ROUTE, replace=True)

    @rx.event
    def next_page(self):
        return rx.redirect(self._query().url(page=str(min(self.page + 1, self.pages))),
                           replace=True)

    @rx.event
    def previous_page(self):
        return rx.redirect(self._query().url(page=str(max(self.page - 1, 1))), replace=True)

    @rx.event
    async def verify_now(self):
        who = current_identity(self.router.headers.cookie)
        if who is None:
            return
        words = await messages(self)
        result = runtime.verify_audit()
        with transaction() as db:
            audit_log.log_verify(db, who, result, utc_now())
        self.verified, self.verify_ok = True, result.ok
        self.verify_message, self.verify_detail = verify_text(words, result)

    @rx.event
    async def export_csv(self):
        """Made afresh from the URL's filters, not from what the browser holds, and audited."""
        who = current_identity(self.router.headers.cookie)
        if who is None:
            return None
        words = await messages(self)
        try:
            filters = self._query().filters()
        except BadFilter:
            return None  # the page already says which filter is wrong
        with transaction() as db:
            found = audit_log.all_entries(db, who, filters, get_settings().zone)
            audit_log.log_export(db, who, filters, len(found), utc_now())
        self.notice = words.t("CSV downloaded. It is recorded in the audit log.")
        return rx.download(data=to_csv(words, [entry_view(words, e) for e in found],
                                       filters.codes()),
                           mime_type="text/csv;charset=utf-8",
                           filename=f"wingwatch-audit-{utc_now().date().isoformat()}.csv")

    @rx.event
    def ask_rotate(self, kind: str):
        self.key_notice = ""
        kind = _text(kind)
        self.confirm_kind = kind if kind in {k.value for k in key_status.ROTATABLE} else ""

    @rx.event
    def cancel_rotate(self):
        self.confirm_kind = ""

    @rx.event
    async def rotate(self):
        who = current_identity(self.router.headers.cookie)
        kind, self.confirm_kind = self.confirm_kind, ""
        if who is None or not kind:
            return
        words = await messages(self)
        try:
            with transaction() as db:
                rotated = key_status.rotate(db, who, key_status.parse_kind(kind),
                                            get_settings().keys_dir, utc_now())
        except key_status.KeyRefused as refused:
            self.key_notice = words.t(refused.message)
        else:
            self.key_notice = words.t("New key {kid} is in use. It is recorded in the audit log.",
                                      kid=rotated.kid)
        self._keys(who, words)
