"""/admin/users: the accounts, filtered; a new account; accounts from a CSV file with a
dry-run preview before anything is written."""

from __future__ import annotations

import reflex as rx

from app.i18n.labels import ROLE_LABELS
from app.i18n.locales import ENDONYMS
from app.i18n.messages import N_
from app.i18n.negotiation import on_offer
from app.pages.frame import signed_in_frame
from app.services.account_import import COLUMNS
from app.views.accounts import ImportErrorItem, ImportLineItem, UserItem
from components import accounts as ui
from components.admin import admin_page
from components.controls import labelled_select
from components.layout import TOUCH
from components.screening import alert, notice
from components.words import t
from state import admin_users
from state.admin_users import AdminUsersState as S
from state.language import LanguageState

ROUTE = admin_users.ROUTE
TITLE = N_("Accounts")
ON_LOAD = S.load

ROLE_OPTIONS = [(role.value, t(msgid)) for role, msgid in ROLE_LABELS.items()]
STATUS_OPTIONS = [("all", t("Any status")), ("active", t("Active")),
                  ("inactive", t("Inactive")), ("locked", t("Locked out"))]
LOCALE_OPTIONS = [(locale.value, ENDONYMS[locale]) for locale in on_offer()]
EXAMPLE = ",".join(COLUMNS) + "\nana.hoxha,Ana Hoxha,officer,sq,NPC,A;B,2026-04-01"


def _filters() -> rx.Component:
    return rx.flex(
        labelled_select(t("Role"), S.role, S.filter_role,
                        [("all", t("All roles")), *ROLE_OPTIONS]),
        labelled_select(t("Status"), S.status, S.filter_status, STATUS_OPTIONS),
        rx.form(
            rx.flex(ui.field(t("Prison"), "prison", "filter-prison", S.prison, max_length=16,
                             placeholder=t("code")),
                    ui.field(t("Wing"), "wing", "filter-wing", S.wing, max_length=16,
                             placeholder=t("code")),
                    ui.submit(N_("Filter"), "filter", variant="soft"),
                    gap="12px", align="end", wrap="wrap"),
            on_submit=S.filter_place, reset_on_submit=False,
        ),
        rx.button(t("Clear filters"), variant="ghost", size="3", on_click=S.clear_filters,
                  min_height=TOUCH, align_self="end"),
        gap="12px 16px", wrap="wrap", align="end", width="100%",
    )


def _user_row(user: UserItem) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(user.username, href=user.href, weight="medium",
                              min_height=TOUCH, display="inline-flex", align_items="center")),
        rx.table.cell(user.display_name),
        rx.table.cell(user.role),
        rx.table.cell(user.prison),
        rx.table.cell(user.wings),
        rx.table.cell(ui.account_badges(user.active, user.locked, user.must_change_password)),
        rx.table.cell(user.last_sign_in, white_space="nowrap"),
        custom_attrs={"data-testid": "user-row"},
    )


def _list() -> rx.Component:
    return rx.card(
        rx.vstack(
            _filters(),
            rx.cond(S.rows.length() > 0,
                    ui.table([N_("Username"), N_("Name"), N_("Role"), N_("Prison"),
                              N_("Wings today"), N_("Status"), N_("Last sign-in")],
                             S.rows, _user_row, t("Accounts")),
                    rx.text(t("No account matches these filters."))),
            spacing="4", width="100%",
        ),
        width="100%",
    )


def _create() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("New account"), size="5", as_="h2"),
            rx.form(
                rx.flex(
                    ui.field(t("Username"), "username", "new-username", max_length=64,
                             required=True, auto_complete="off"),
                    ui.field(t("Display name"), "display_name", "new-display-name",
                             max_length=120, required=True),
                    ui.native_select(t("Role"), "role", "new-role", ROLE_OPTIONS),
                    ui.native_select(t("Language"), "locale", "new-locale", LOCALE_OPTIONS,
                                     LanguageState.locale),
                    ui.field(t("Prison"), "prison", "new-prison", max_length=16,
                             placeholder=t("code; empty for administrators")),
                    ui.submit(N_("Create account"), "user-plus", "create-account"),
                    gap="12px", wrap="wrap", align="end", width="100%",
                ),
                on_submit=S.create, reset_on_submit=True, width="100%",
            ),
            rx.cond(S.created != "",
                    rx.link(t("Open the new account"), ": ", S.created, href=ROUTE + "/" + S.created,
                            min_height=TOUCH, display="inline-flex", align_items="center",
                            custom_attrs={"data-testid": "open-new-account"})),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def _preview_line(line: ImportLineItem) -> rx.Component:
    colour = rx.match(line.kind, ("create", "green"), ("change", "blue"), "gray")
    return rx.table.row(rx.table.cell(line.line), rx.table.cell(line.username),
                        rx.table.cell(rx.badge(line.action, color_scheme=colour, size="2")),
                        rx.table.cell(line.changes),
                        custom_attrs={"data-testid": "import-line"})


def _error_line(error: ImportErrorItem) -> rx.Component:
    return rx.table.row(rx.table.cell(error.line), rx.table.cell(rx.code(error.column)),
                        rx.table.cell(error.problem),
                        custom_attrs={"data-testid": "import-error"})


def _import() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("Import from CSV"), size="5", as_="h2"),
            rx.text(t("One account a line, with a header line naming the columns. Wings "
                      "(officers only) are separated by semicolons. Nothing is written until "
                      "you apply the preview."), size="2", color=rx.color("gray", 11)),
            # A plain <pre>: a syntax highlighter would be a whole library for two lines.
            rx.el.pre(EXAMPLE, white_space="pre-wrap", overflow_wrap="anywhere", width="100%",
                      font_size="13px", padding="8px 12px", border_radius="6px",
                      background=rx.color("gray", 3), margin="0"),
            rx.form(
                rx.vstack(
                    rx.el.label(t("CSV text"), html_for="import-csv", font_size="14px",
                                font_weight="500"),
                    rx.text_area(id="import-csv", name="csv", rows="6", width="100%",
                                 font_family="monospace", required=True),
                    ui.submit(N_("Preview"), "eye", "import-preview", variant="soft"),
                    spacing="2", width="100%",
                ),
                on_submit=S.preview, reset_on_submit=False, width="100%",
            ),
            rx.cond(S.previewed, _preview()),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def _preview() -> rx.Component:
    return rx.vstack(
        rx.heading(t("Preview"), size="4", as_="h3"),
        rx.cond(S.import_errors.length() > 0,
                rx.vstack(
                    rx.callout(t("The file has errors; fix them and preview again. Nothing "
                                 "was written."), icon="triangle-alert", color_scheme="red",
                               width="100%"),
                    ui.table([N_("Line"), N_("Column"), N_("Problem")], S.import_errors,
                             _error_line, t("Errors")),
                    width="100%")),
        ui.table([N_("Line"), N_("Username"), N_("What happens"), N_("Details")],
                 S.import_lines, _preview_line, t("Preview")),
        rx.hstack(
            rx.button(rx.icon("check", size=18), t("Apply"), size="3", min_height=TOUCH,
                      on_click=S.apply, disabled=S.import_errors.length() > 0,
                      custom_attrs={"data-testid": "import-apply"}),
            rx.button(t("Start over"), size="3", variant="ghost", min_height=TOUCH,
                      on_click=S.start_over),
            spacing="3",
        ),
        spacing="3", width="100%",
    )


def page() -> rx.Component:
    return signed_in_frame(
        admin_page(ROUTE, TITLE, alert(S.message), notice(S.notice), _list(), _create(),
                   _import()),
    )
