"""/admin/audit: the audit log in words, Verify now, the CSV export, and the keys."""

from __future__ import annotations

import reflex as rx

from app.i18n.messages import N_
from app.pages.frame import signed_in_frame
from app.views.audit_log import EntryView, KeyView, PERIOD_DAYS
from components.admin import admin_page
from components.controls import labelled_input_form, labelled_select
from components.layout import TOUCH
from components.words import t
from state import admin_audit as audit_state
from state.admin_audit import ALL, AdminAuditState as S

ROUTE = audit_state.ROUTE
TITLE = N_("Audit log")
ON_LOAD = S.load

PERIOD_OPTIONS = [(days, t(msgid)) for days, msgid in PERIOD_DAYS.items()]


def _choices(items: rx.Var[list[list[str]]]) -> rx.Component:
    return rx.foreach(items, lambda item: rx.select.item(item[1], value=item[0]))


def _filters() -> rx.Component:
    return rx.flex(
        labelled_input_form(t("Who (username)"), "audit-who", "who", S.who, S.filter_who,
                            rx.button(t("Show"), type="submit", size="3", min_height=TOUCH),
                            max_length=64, auto_complete="off"),
        labelled_input_form(t("Subject (record id or prisoner number)"), "audit-subject",
                            "subject", S.subject, S.filter_subject,
                            rx.button(t("Show"), type="submit", size="3", min_height=TOUCH),
                            max_length=64, auto_complete="off"),
        labelled_select(t("Action"), rx.cond(S.action == "", ALL, S.action), S.filter_action,
                        [(ALL, t("All actions"))], _choices(S.actions)),
        labelled_select(t("Period"), S.days, S.filter_days, PERIOD_OPTIONS),
        # A list of days, not a date field: the browser would write that date its own way.
        labelled_select(t("Period ending"), S.until, S.filter_until, [], _choices(S.ends)),
        rx.button(t("Clear filters"), variant="ghost", size="3", on_click=S.clear_filters,
                  align_self="end", min_height=TOUCH),
        gap="12px 16px", wrap="wrap", align="end", width="100%",
    )


def _entry(entry: EntryView) -> rx.Component:
    """One entry as a stacked card: readable on a tablet, no ten-column table."""
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.text(entry.when, weight="bold", size="2"),
                rx.badge(entry.action, size="2", color_scheme="gray"),
                rx.spacer(),
                rx.text(t("Row"), " ", entry.seq, size="1", color=rx.color("gray", 11)),
                gap="8px", wrap="wrap", align="center", width="100%",
            ),
            rx.text(entry.meaning, size="3"),
            rx.text(t("Who"), ": ", entry.actor, size="2"),
            rx.cond(entry.subject != "",
                    rx.text(t("Subject"), ": ", entry.subject, size="2", word_break="break-all")),
            rx.cond(entry.prisoner != "",
                    rx.text(t("Prisoner number"), ": ", entry.prisoner, size="2")),
            rx.cond(entry.changes.length() > 0,
                    rx.el.ul(rx.foreach(entry.changes, lambda c: rx.el.li(rx.text(c, size="2"))),
                             padding_left="20px", margin="0")),
            rx.cond(entry.recorded != "",
                    rx.text(t("Recorded text"), ": ", rx.el.q(entry.recorded), size="2",
                            color=rx.color("gray", 11))),
            spacing="1", width="100%", align="start",
        ),
        width="100%", role="article", custom_attrs={"data-testid": "audit-entry"},
    )


def _list() -> rx.Component:
    return rx.vstack(
        rx.cond(S.problem != "", rx.callout(S.problem, icon="triangle-alert", color_scheme="red",
                                            role="alert", width="100%")),
        rx.text(S.summary, size="2", role="status"),
        rx.cond(S.entries.length() > 0,
                rx.vstack(rx.foreach(S.entries, _entry), spacing="2", width="100%"),
                rx.text(t("No audit entries match these filters."))),
        rx.hstack(
            rx.button(rx.icon("chevron-left", size=18), t("Newer"), size="3", variant="soft",
                      on_click=S.previous_page, disabled=S.page <= 1, min_height=TOUCH),
            rx.button(t("Older"), rx.icon("chevron-right", size=18), size="3", variant="soft",
                      on_click=S.next_page, disabled=S.page >= S.pages, min_height=TOUCH),
            spacing="3",
        ),
        spacing="3", width="100%",
    )


def _actions() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.button(rx.icon("shield-check", size=18), t("Verify now"), size="3",
                      on_click=S.verify_now, min_height=TOUCH),
            rx.button(rx.icon("download", size=18), t("Download CSV"), size="3",
                      variant="soft", on_click=S.export_csv, min_height=TOUCH),
            rx.cond(S.notice != "", rx.text(S.notice, size="2", role="status")),
            gap="12px", wrap="wrap", align="center",
        ),
        rx.cond(S.verified, rx.callout(
            rx.vstack(rx.text(S.verify_message, weight="bold"),
                      rx.cond(S.verify_detail != "",
                              rx.text(t("Technical detail"), ": ", S.verify_detail, size="2",
                                      lang="en")),
                      spacing="1"),
            icon=rx.cond(S.verify_ok, "circle-check", "triangle-alert"),
            color_scheme=rx.cond(S.verify_ok, "green", "red"), role="status", width="100%",
            id="audit-verify-result")),
        spacing="3", width="100%",
    )


def _key(key: KeyView) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(key.name, weight="bold"),
            rx.text(key.purpose, size="2", color=rx.color("gray", 11)),
            rx.text(t("Key id"), ": ", rx.code(key.kid), size="2"),
            rx.text(t("Created"), ": ", key.created, size="2"),
            rx.text(key.use, size="2", weight=rx.cond(key.current, "medium", "regular")),
            rx.cond(key.rotatable,
                    rx.button(rx.icon("refresh-cw", size=18), t("Rotate"), size="3",
                              variant="soft", on_click=S.ask_rotate(key.kind),
                              min_height=TOUCH, margin_top="4px")),
            spacing="1", align="start",
        ),
        width="100%", custom_attrs={"data-testid": "key-card"},
    )


def _confirm() -> rx.Component:
    return rx.cond(S.confirm_kind != "", rx.callout(
        rx.vstack(
            rx.text(t("Rotate this key? The new key is used at once by every server; the old "
                      "one stays as long as it is needed."), weight="medium"),
            rx.flex(rx.button(t("Rotate"), size="3", color_scheme="red", on_click=S.rotate,
                              min_height=TOUCH),
                    rx.button(t("Cancel"), size="3", variant="soft", on_click=S.cancel_rotate,
                              min_height=TOUCH),
                    gap="12px", wrap="wrap"),
            spacing="2",
        ),
        icon="triangle-alert", color_scheme="amber", width="100%", role="alertdialog"))


def _keys() -> rx.Component:
    return rx.vstack(
        rx.heading(t("Keys"), size="5", as_="h2"),
        rx.text(t("Key material is never shown. Rotation is recorded in the audit log."),
                size="2"),
        _confirm(),
        rx.cond(S.key_notice != "", rx.text(S.key_notice, size="2", role="status")),
        rx.grid(rx.foreach(S.keys, _key), columns=rx.breakpoints(initial="1", md="2"),
                spacing="3", width="100%"),
        spacing="3", width="100%",
    )


def page() -> rx.Component:
    return signed_in_frame(
        admin_page(
            ROUTE, TITLE,
            rx.text(t("Every read, decision, export, sign-in and administrative change, in "
                      "a chain that shows any change to it. Never the content of a record."),
                    size="2"),
            _actions(),
            _filters(),
            _list(),
            rx.divider(),
            _keys(),
        ),
    )
