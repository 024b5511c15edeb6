"""/admin/users/<username>: one account — details, postings, password reset, deactivate or
reactivate, unlock. A page of its own rather than a panel of the list: a link to one account
can be shared and bookmarked, and the list keeps its filters when you come back."""

from __future__ import annotations

import reflex as rx

from app.i18n.locales import ENDONYMS
from app.i18n.messages import N_
from app.i18n.negotiation import on_offer
from app.pages.frame import signed_in_frame
from app.views.accounts import PostingItem
from components import accounts as ui
from components.admin import admin_page
from components.controls import day_field
from components.layout import TOUCH
from components.screening import alert, notice
from components.words import t
from state.admin_user import AdminUserState as S
from state.admin_users import ROUTE as LIST_ROUTE

ROUTE = LIST_ROUTE + "/[username]"
TITLE = N_("Account")
ON_LOAD = S.load

LOCALE_OPTIONS = [(locale.value, ENDONYMS[locale]) for locale in on_offer()]
CONFIRM_TEXT = {
    "reset": N_("The current password stops working and the account's open sessions end. The "
                "person signs in with the temporary password and must then choose their own."),
    "deactivate": N_("The person can no longer sign in or sync; their open sessions end now. "
                     "The account and everything they recorded are kept."),
    "reactivate": N_("The person can sign in again with their password."),
}


def _details() -> rx.Component:
    user = S.user
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.vstack(rx.heading(user.display_name, size="6", as_="h2"),
                          rx.text(rx.code(user.username), " · ", user.role, " · ", user.prison,
                                  size="3", color=rx.color("gray", 11)),
                          spacing="1"),
                ui.account_badges(user.active, user.locked, user.must_change_password),
                justify="between", wrap="wrap", gap="12px", width="100%",
            ),
            rx.text(t("Last sign-in"), ": ", user.last_sign_in, size="2"),
            rx.form(
                rx.flex(
                    ui.field(t("Display name"), "display_name", "edit-display-name",
                             user.display_name, max_length=120, required=True),
                    rx.vstack(
                        rx.el.label(t("Language"), html_for="edit-locale", font_size="14px",
                                    font_weight="500"),
                        rx.el.select(*[rx.el.option(name, value=code)
                                       for code, name in LOCALE_OPTIONS],
                                     id="edit-locale", name="locale", default_value=S.locale,
                                     key=S.locale, class_name="ww-native-select"),
                        spacing="1", min_width="160px", flex="1"),
                    ui.submit(N_("Save"), "save", variant="soft"),
                    gap="12px", wrap="wrap", align="end", width="100%",
                ),
                on_submit=S.save, reset_on_submit=False, width="100%",
            ),
            rx.flex(
                rx.button(rx.icon("key-round", size=18), t("Reset password"), size="3",
                          min_height=TOUCH, variant="soft", on_click=S.ask("reset"),
                          custom_attrs={"data-testid": "reset-password"}),
                rx.cond(user.locked,
                        rx.button(rx.icon("lock-open", size=18), t("Unlock"), size="3",
                                  min_height=TOUCH, variant="soft", on_click=S.unlock)),
                rx.cond(user.active,
                        rx.button(rx.icon("user-x", size=18), t("Deactivate"), size="3",
                                  min_height=TOUCH, variant="soft", color_scheme="red",
                                  on_click=S.ask("deactivate")),
                        rx.button(rx.icon("user-check", size=18), t("Reactivate"), size="3",
                                  min_height=TOUCH, variant="soft", color_scheme="green",
                                  on_click=S.ask("reactivate"))),
                gap="12px", wrap="wrap",
            ),
            _temporary(),
            spacing="4", width="100%",
        ),
        width="100%",
    )


def _temporary() -> rx.Component:
    """Shown once, as plain text to read out or copy by hand; gone when the page is left."""
    return rx.cond(
        S.temporary != "",
        rx.callout(
            rx.vstack(
                rx.text(t("Temporary password — shown only now:"), weight="bold"),
                rx.text(S.temporary, font_family="monospace", size="6", weight="bold",
                        custom_attrs={"data-testid": "temporary-password"},
                        letter_spacing="0.05em", user_select="all"),
                rx.text(t("It works for one sign-in, after which the person chooses their own "
                          "password."), size="2"),
                rx.button(t("Done, hide it"), size="3", variant="soft", min_height=TOUCH,
                          on_click=S.hide_temporary),
                spacing="2",
            ),
            icon="key-round", color_scheme="amber", width="100%",
        ),
    )


def _confirm_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(rx.match(S.confirming, ("reset", t("Reset password")),
                                           ("deactivate", t("Deactivate")),
                                           t("Reactivate")), ": ", S.user.username),
            rx.alert_dialog.description(
                rx.match(S.confirming, ("reset", t(CONFIRM_TEXT["reset"])),
                         ("deactivate", t(CONFIRM_TEXT["deactivate"])),
                         t(CONFIRM_TEXT["reactivate"])), size="2"),
            # Plain buttons, as on the prisons page: Radix's own would also close the dialog
            # with a second event.
            rx.flex(
                rx.button(t("Cancel"), variant="soft", color_scheme="gray", size="3",
                          min_height=TOUCH, on_click=S.cancel),
                rx.button(t("Confirm"), size="3", min_height=TOUCH, on_click=S.confirm,
                          custom_attrs={"data-testid": "confirm"},
                          color_scheme=rx.cond(S.confirming == "deactivate", "red", "teal")),
                gap="12px", justify="end", margin_top="16px",
            ),
            max_width="480px",
        ),
        open=S.confirming != "",
        on_open_change=lambda _open: S.cancel,
    )


def _posting_row(posting: PostingItem) -> rx.Component:
    return rx.table.row(
        rx.table.cell(posting.what),
        rx.table.cell(posting.period),
        rx.table.cell(rx.cond(posting.current,
                              rx.badge(t("Current"), color_scheme="green", size="2"),
                              rx.badge(t("Not today"), color_scheme="gray", size="2"))),
        rx.table.cell(rx.cond(
            S.ending == posting.id,
            rx.form(rx.flex(
                day_field(t("Last day"), "valid_to", "end-valid-to", S.yesterday,
                          S.day_example, required=True),
                ui.submit(N_("End posting"), "calendar-x", "end-posting", color_scheme="red"),
                rx.button(t("Cancel"), size="3", variant="ghost", min_height=TOUCH,
                          on_click=S.cancel, type="button"),
                gap="8px", wrap="wrap", align="end"), on_submit=S.end_posting),
            rx.cond(posting.open_ended,
                    rx.button(t("End"), size="3", variant="soft", min_height=TOUCH,
                              on_click=S.ask_end(posting.id),
                              custom_attrs={"data-testid": "end-posting-start"})))),
        custom_attrs={"data-testid": "posting-row"},
    )


def _add_posting() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.vstack(
                rx.el.label(t("Kind"), html_for="posting-scope", font_size="14px",
                            font_weight="500"),
                rx.el.select(rx.foreach(S.scopes, lambda scope: rx.el.option(scope[1],
                                                                             value=scope[0])),
                             id="posting-scope", name="scope", class_name="ww-native-select"),
                spacing="1", min_width="160px", flex="1"),
            rx.cond(S.role_code == "officer",
                    ui.field(t("Wing"), "wing", "posting-wing", max_length=16, required=True,
                             placeholder=t("code"))),
            day_field(t("First day"), "valid_from", "posting-from", S.today, S.day_example,
                      required=True),
            day_field(t("Last day (optional)"), "valid_to", "posting-to", "", S.day_example),
            ui.submit(N_("Add posting"), "plus", "add-posting"),
            gap="12px", wrap="wrap", align="end", width="100%",
        ),
        on_submit=S.add_posting, reset_on_submit=True, width="100%",
    )


def _postings() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("Postings"), size="5", as_="h2"),
            rx.text(t("What this person may see, and from when to when (the prisons' days, both "
                      "included). A change counts from their next request."), size="2",
                    color=rx.color("gray", 11)),
            rx.cond(S.postings.length() > 0,
                    ui.table([N_("Posted to"), N_("Period"), N_("Today"), N_("Change")],
                             S.postings, _posting_row, t("Postings")),
                    rx.text(t("No postings."))),
            rx.cond(S.scopes.length() > 0, _add_posting(),
                    rx.text(t("This role holds no postings."), size="2")),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def page() -> rx.Component:
    return signed_in_frame(
        admin_page(
            LIST_ROUTE, TITLE,
            rx.link(rx.hstack(rx.icon("arrow-left", size=18), t("All accounts"), spacing="2",
                              align="center"),
                    href=LIST_ROUTE, min_height=TOUCH, display="inline-flex",
                    align_items="center"),
            alert(S.message), notice(S.notice),
            rx.cond(S.missing, rx.fragment(),
                    rx.fragment(_details(), _postings(), _confirm_dialog())),
        ),
    )
