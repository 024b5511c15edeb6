"""/admin/catalogue: the indicator catalogue's versions, a draft's editor (texts per language
beside the English), its preview as the capture form shows it, and publishing."""

from __future__ import annotations

import reflex as rx

from app.i18n.messages import N_
from app.pages.frame import signed_in_frame
from app.views.catalogue_drafts import (CategoryItem, IndicatorItem, PreviewCategory,
                                        PreviewIndicator, VersionItem)
from components.admin import admin_page
from components.controls import language_select
from components.layout import TOUCH
from components.screening import alert, notice
from components.words import t
from state import admin_catalogue
from state.admin_catalogue import AdminCatalogueState as S

ROUTE = admin_catalogue.ROUTE
TITLE = N_("Catalogue")
ON_LOAD = S.load
MUTED = rx.color("gray", 11)


def _button(label: str, icon: str, on_click=None, **props) -> rx.Component:
    return rx.button(rx.icon(icon, size=18), t(label), size="3", min_height=TOUCH,
                     on_click=on_click, **props)


def _version_row(item: VersionItem) -> rx.Component:
    return rx.link(
        rx.flex(
            rx.text(item.title, weight="bold"),
            rx.badge(item.state_label, color_scheme=item.colour, size="2"),
            rx.text(item.effective, size="2", color=MUTED),
            rx.text(item.counts, size="2", color=MUTED),
            rx.text(item.reason, size="2", font_style="italic", width="100%"),
            gap="4px 12px", wrap="wrap", align="center", width="100%",
        ),
        href=item.href, min_height=TOUCH, padding="10px 12px", border_radius="8px",
        underline="none", color="inherit", display="flex", align_items="center",
        background=rx.cond(item.chosen, rx.color("teal", 3), "transparent"),
        aria_current=rx.cond(item.chosen, "page", None),
        custom_attrs={"data-testid": "version-row"},
    )


def _versions() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("Versions"), size="5", as_="h2"),
            rx.text(t("Every version stays readable. Tablets get the newest one in effect at "
                      "their next sync; entries on the one before are still accepted for a "
                      "grace period."), size="2", color=MUTED),
            rx.vstack(rx.foreach(S.versions, _version_row), spacing="1", width="100%"),
            _button(N_("Start a draft from the newest version"), "file-plus",
                    S.start_draft, variant="soft"),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def _field_label(text: rx.Var[str] | str, field_id: str) -> rx.Component:
    return rx.el.label(text, html_for=field_id, font_size="14px", font_weight="500")


def _text_form(code: rx.Var[str], label: rx.Var[str], guidance: rx.Var[str] | None
               ) -> rx.Component:
    """The chosen language's texts of one category (label) or indicator (label, guidance)."""
    key = S.locale + code
    fields = [rx.el.input(type="hidden", name="code", value=code),
              _field_label(t("Label"), "label-" + code),
              rx.text_area(id="label-" + code, name="label", default_value=label,
                           key=key + "-label-" + label, size="3", rows="2", max_length=200,
                           lang=S.locale, width="100%")]
    if guidance is not None:
        fields += [_field_label(t("Guidance"), "guidance-" + code),
                   rx.text_area(id="guidance-" + code, name="guidance", default_value=guidance,
                                key=key + "-guidance-" + guidance, size="3", rows="3",
                                max_length=2000, lang=S.locale, width="100%")]
    return rx.form(
        rx.vstack(*fields, rx.button(rx.icon("check", size=18), t("Save"), type="submit",
                                     size="3", variant="soft", min_height=TOUCH),
                  spacing="2", width="100%"),
        on_submit=S.save_texts, reset_on_submit=False, width="100%",
    )


def _read_only(label: rx.Var[str], guidance: rx.Var[str] | None) -> rx.Component:
    return rx.vstack(rx.text(label, weight="medium", lang=S.locale),
                     *([rx.text(guidance, size="2", lang=S.locale)] if guidance is not None
                       else []),
                     spacing="1")


def _columns(english: rx.Component, chosen: rx.Component) -> rx.Component:
    """English beside the chosen language from 768px; one above the other below."""
    return rx.grid(
        rx.box(rx.text(t("English"), size="1", color=MUTED, weight="medium"), english),
        rx.box(rx.text(S.locale_name, size="1", color=MUTED, weight="medium", lang=S.locale,
                       custom_attrs={"data-testid": "chosen-language"}), chosen),
        columns=rx.breakpoints(initial="1", sm="2"), gap="16px", width="100%",
    )


def _indicator(item: IndicatorItem) -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.code(item.code, size="2"),
            rx.badge(item.kind, color_scheme=rx.cond(item.protective, "green", "orange")),
            rx.cond(item.immediate, rx.badge(t("Immediate"), color_scheme="red")),
            rx.cond(item.retired, rx.badge(t("Retired: not offered"), color_scheme="gray")),
            rx.cond(item.new, rx.badge(t("New"), color_scheme="blue")),
            rx.cond(item.missing, rx.badge(t("Not written in this language"),
                                           color_scheme="amber")),
            gap="8px", wrap="wrap", align="center",
        ),
        _columns(
            rx.vstack(rx.text(item.label_en, weight="medium"),
                      rx.text(item.guidance_en, size="2", color=MUTED), spacing="1"),
            rx.cond(S.draft, _text_form(item.code, item.label, item.guidance),
                    _read_only(item.label, item.guidance)),
        ),
        rx.cond(S.draft, rx.flex(
            rx.cond(item.retired,
                    _button(N_("Offer again"), "undo-2", S.restore(item.code), variant="soft"),
                    _button(N_("Retire"), "archive", S.retire(item.code), variant="soft",
                            color_scheme="gray")),
            rx.cond(item.protective, rx.fragment(), rx.cond(
                item.immediate,
                _button(N_("Not immediate"), "bell-off", S.unmark_immediate(item.code),
                        variant="soft", color_scheme="gray"),
                _button(N_("Mark immediate"), "bell-ring", S.mark_immediate(item.code),
                        variant="soft", color_scheme="red"))),
            gap="8px", wrap="wrap")),
        spacing="3", width="100%", padding_y="12px",
        border_top=f"1px solid {rx.color('gray', 5)}",
        opacity=rx.cond(item.retired, "0.75", "1"),
        custom_attrs={"data-testid": "indicator-" + item.code},
    )


def _category(category: CategoryItem) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(category.code + " " + category.label_en, size="4", as_="h3"),
            rx.cond(S.draft,
                    _columns(rx.text(category.label_en, weight="medium"),
                             _text_form(category.code, category.label, None)),
                    rx.cond(S.locale != "en", _read_only(category.label, None))),
            rx.foreach(category.indicators, _indicator),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def _problems() -> rx.Component:
    return rx.cond(
        S.problems.length() > 0,
        rx.callout.root(
            rx.callout.icon(rx.icon("triangle-alert")),
            rx.vstack(rx.text(t("Not ready to publish:"), weight="bold"),
                      rx.el.ul(rx.foreach(S.problems, lambda line: rx.el.li(line)),
                               padding_left="20px", margin="0"),
                      spacing="1"),
            color_scheme="amber", role="status", width="100%",
        ),
        rx.callout.root(rx.callout.icon(rx.icon("circle-check")),
                        rx.callout.text(t("Every check passes: this draft can be published.")),
                        color_scheme="green", role="status", width="100%"),
    )


def _native_select(field_id: str, name: str, choices, **props) -> rx.Component:
    return rx.el.select(
        rx.foreach(choices, lambda choice: rx.el.option(choice[1], value=choice[0])),
        id=field_id, name=name, class_name="ww-native-select", **props)


def _add_form() -> rx.Component:
    kinds = [["concern", t("Concern")], ["protective", t("Protective")]]
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(t("Add an indicator"), size="4", as_="h3"),
                rx.text(t("Write it in English here, then in every other language above."),
                        size="2", color=MUTED),
                rx.flex(
                    rx.vstack(_field_label(t("Category"), "new-category"),
                              _native_select("new-category", "category", S.category_choices),
                              spacing="1"),
                    rx.vstack(_field_label(t("Kind"), "new-kind"),
                              rx.el.select(*[rx.el.option(text, value=value)
                                             for value, text in kinds],
                                           id="new-kind", name="kind",
                                           class_name="ww-native-select"),
                              spacing="1"),
                    gap="12px", wrap="wrap",
                ),
                _field_label(t("Label"), "new-label"),
                rx.input(id="new-label", name="label", size="3", min_height=TOUCH,
                         max_length=200, required=True, width="100%"),
                _field_label(t("Guidance"), "new-guidance"),
                rx.text_area(id="new-guidance", name="guidance", size="3", rows="3",
                             max_length=2000, required=True, width="100%"),
                rx.button(rx.icon("plus", size=18), t("Add indicator"), type="submit",
                          size="3", min_height=TOUCH),
                spacing="2", width="100%",
            ),
            on_submit=S.add_indicator, reset_on_submit=True, width="100%",
        ),
        width="100%",
    )


def _preview_indicator(item: PreviewIndicator) -> rx.Component:
    return rx.hstack(
        rx.checkbox(disabled=True, size="3", aria_label=item.label),
        rx.vstack(
            rx.hstack(rx.text(item.code + " " + item.label, weight="medium"),
                      rx.cond(item.immediate, rx.badge(t("Immediate"), color_scheme="red")),
                      wrap="wrap", align="center"),
            rx.text(item.guidance, size="2", color=MUTED),
            spacing="1",
        ),
        spacing="3", align="start", min_height=TOUCH, padding_y="4px",
    )


def _preview_category(category: PreviewCategory) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(category.code + " " + category.label, font_weight="bold",
                     padding="0 6px"),
        rx.vstack(rx.foreach(category.indicators, _preview_indicator), spacing="1"),
        border=f"1px solid {rx.color('gray', 6)}", border_radius="8px", padding="12px",
        width="100%", disabled=True,
    )


def _preview() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.text(t("The capture form's indicators with this draft, as an officer sees them "
                      "(read-only)."), size="2", color=MUTED, flex="1", min_width="240px"),
            language_select("preview-locale", S.preview_locale, S.choose_preview_locale,
                            S.preview_locales),
            gap="12px", wrap="wrap", align="center", width="100%",
        ),
        rx.foreach(S.preview, _preview_category),
        spacing="3", width="100%", custom_attrs={"data-testid": "draft-preview"},
    )


def _publish_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Publish this draft")),
            rx.dialog.description(
                t("It becomes the next version and never changes again. From the day it takes "
                  "effect tablets get it at their next sync; entries made offline on the "
                  "version before are still accepted for a grace period."), size="2"),
            alert(S.message),
            rx.form(
                rx.vstack(
                    _field_label(t("Reason"), "publish-reason"),
                    rx.text_area(id="publish-reason", name="reason", size="3", rows="3",
                                 max_length=500, required=True, width="100%"),
                    _field_label(t("In effect from"), "publish-day"),
                    _native_select("publish-day", "effective_from", S.days),
                    rx.flex(
                        rx.dialog.close(rx.button(t("Cancel"), type="button", variant="soft",
                                                  color_scheme="gray", size="3",
                                                  min_height=TOUCH, on_click=S.cancel_publish)),
                        rx.button(rx.icon("send", size=18), t("Publish"), type="submit",
                                  size="3", min_height=TOUCH),
                        gap="12px", justify="end", width="100%", margin_top="8px",
                    ),
                    spacing="2", width="100%",
                ),
                on_submit=S.publish, reset_on_submit=False, width="100%",
            ),
            max_width="520px",
        ),
        open=S.publishing,
    )


def _what_is_shown() -> rx.Component:
    """The language shown beside English, and one category or all of them."""
    return rx.flex(
        language_select("catalogue-locale", S.locale, S.choose_locale, S.locales),
        rx.hstack(
            _field_label(t("Show"), "catalogue-category"),
            rx.el.select(
                rx.el.option(t("All categories"), value=""),
                rx.foreach(S.category_choices, lambda c: rx.el.option(c[1], value=c[0])),
                id="catalogue-category", value=S.showing_category, on_change=S.show_category,
                class_name="ww-native-select", max_width="320px"),
            align="center", spacing="2"),
        gap="12px", wrap="wrap", align="center",
    )


def _opened() -> rx.Component:
    return rx.vstack(
        rx.card(
            rx.vstack(
                rx.flex(rx.heading(S.title, size="6", as_="h2"),
                        rx.badge(S.state_label, color_scheme=S.state_colour, size="2"),
                        rx.text(S.effective, size="2", color=MUTED),
                        gap="8px 12px", wrap="wrap", align="center"),
                rx.cond(S.reason != "", rx.text(S.reason, font_style="italic")),
                rx.flex(
                    rx.cond(S.showing == "edit", _what_is_shown()),
                    rx.cond(S.draft, rx.flex(
                        rx.cond(S.showing == "preview",
                                _button(N_("Edit"), "pencil", S.show_editor, variant="soft"),
                                _button(N_("Preview the form"), "eye", S.show_preview,
                                        variant="soft")),
                        _button(N_("Publish…"), "send", S.ask_publish),
                        gap="8px", wrap="wrap")),
                    gap="12px", wrap="wrap", align="center", justify="between", width="100%",
                ),
                rx.cond(S.draft, _problems()),
                spacing="3", width="100%",
            ),
            width="100%",
        ),
        rx.cond(S.draft & (S.showing == "preview"), _preview(),
                rx.vstack(rx.foreach(S.categories, _category),
                          rx.cond(S.draft, _add_form()), spacing="4", width="100%")),
        _publish_dialog(),
        spacing="4", width="100%",
    )


def page() -> rx.Component:
    return signed_in_frame(admin_page(
        ROUTE, TITLE,
        alert(S.message),
        notice(S.notice),
        _versions(),
        rx.cond(S.key != "", _opened()),
    ))
