"""The message catalogues (issue 10): every text in every language, placeholders and plural forms
complete, nothing left in English, and the island's copy what the catalogues say."""

from __future__ import annotations

import json
import re
from zoneinfo import ZoneInfo

import pytest
from babel.messages.catalog import Catalog

from app.i18n import __main__ as build
from app.i18n.locales import SPOKEN, Locale
from app.i18n.messages import (
    PSEUDO_CLOSE,
    PSEUDO_OPEN,
    Messages,
    every_text,
    placeholders,
    pseudo,
    read_catalog,
    written_by_hand,
)
from app.text.translit import to_latin

HAND_WRITTEN = [locale for locale in SPOKEN if written_by_hand(locale)]
ZONE = ZoneInfo("Europe/Belgrade")
# Texts that are the same in every language: names, codes and symbols.
SAME_EVERYWHERE = {"Wingwatch", "CSV", "PDF", "OK", "ID", "{name}", "{count}", "–", "<5", "p90"}
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@pytest.fixture(scope="module")
def template() -> Catalog:
    return read_catalog(Locale.EN)


def _ids(template: Catalog) -> list:
    return [message.id for message in template if message.id]


def test_the_template_and_the_islands_copy_are_what_the_code_says():
    assert build.stale() == []


def test_the_code_has_texts_to_translate(template):
    assert len(_ids(template)) > 100


@pytest.mark.parametrize("locale", HAND_WRITTEN, ids=str)
def test_every_message_is_translated_in_every_locale(template, locale: Locale):
    catalog = read_catalog(locale)
    missing, fuzzy = [], []
    for msgid in _ids(template):
        message = catalog.get(msgid)
        forms = message.string if message is not None else ""
        forms = forms if isinstance(forms, tuple) else (forms,)
        if message is None or not all(form.strip() for form in forms):
            missing.append(msgid)
        elif message.fuzzy:
            fuzzy.append(msgid)
    assert not missing, f"{locale}: {len(missing)} untranslated, e.g. {missing[:5]}"
    assert not fuzzy, f"{locale}: fuzzy: {fuzzy[:5]}"


@pytest.mark.parametrize("locale", HAND_WRITTEN, ids=str)
def test_placeholders_are_the_same_in_every_form(template, locale: Locale):
    catalog = read_catalog(locale)
    wrong = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        # A plural form may leave out {count} (Bosnian "jedan unos"), but no other placeholder.
        expected = set().union(*(placeholders(i) for i in ids))
        for form in forms:
            if not form:
                continue
            if placeholders(form) - expected or (expected - {"count"}) - placeholders(form):
                wrong.append((message.id, form))
    assert not wrong, f"{locale}: {wrong[:5]}"


@pytest.mark.parametrize("locale", HAND_WRITTEN, ids=str)
def test_plural_messages_have_every_form_the_language_has(template, locale: Locale):
    catalog = read_catalog(locale)
    # CLDR: one/few/other for Serbian, Bosnian, Croatian and Montenegrin; one/other otherwise.
    expected = 3 if locale in (Locale.SR_LATN, Locale.BS, Locale.HR, Locale.CNR) else 2
    assert catalog.num_plurals == expected, catalog.plural_forms
    for message in catalog:
        if message.id and message.pluralizable:
            assert len(message.string) == expected, (locale, message.id)


@pytest.mark.parametrize("locale", HAND_WRITTEN, ids=str)
def test_no_translation_is_a_copy_of_the_english(template, locale: Locale):
    catalog = read_catalog(locale)
    copies = [message.id for message in catalog
              if message.id and not message.pluralizable and message.string == message.id
              and message.id not in SAME_EVERYWHERE and re.search(r"[A-Za-z]{3}", message.id)]
    assert not copies, f"{locale}: {len(copies)} left in English, e.g. {copies[:5]}"


def test_serbian_cyrillic_is_the_latin_catalogue_in_the_other_script(template):
    latin, cyrillic = Messages(Locale.SR_LATN, ZONE), Messages(Locale.SR_CYRL, ZONE)
    for msgid in _ids(template):
        if isinstance(msgid, tuple):
            continue
        written = cyrillic.t(msgid)
        assert to_latin(written) == latin.t(msgid) or "Wingwatch" in msgid, msgid
        assert placeholders(written) == placeholders(latin.t(msgid))
    assert CYRILLIC.search(cyrillic.t("Sign out"))


def test_the_pseudo_locale_brackets_and_lengthens_every_text_and_keeps_placeholders():
    text = pseudo("Due {when} for {name}")
    assert text.startswith(PSEUDO_OPEN) and text.endswith(PSEUDO_CLOSE)
    assert placeholders(text) == {"when", "name"}
    assert len(text) >= 1.4 * len("Due  for ")
    words = Messages(Locale.PSEUDO, ZONE)
    assert words.t("Sign out").startswith(PSEUDO_OPEN)


@pytest.mark.parametrize("locale", [*SPOKEN, Locale.PSEUDO], ids=str)
def test_plural_forms_follow_each_languages_rules(locale: Locale):
    """tn picks the form CLDR's rule gives for the count, and the island's JSON has the forms
    by the CLDR categories Intl.PluralRules answers with."""
    words = Messages(locale, ZONE)
    forms = {n: words.tn("{count} entry", "{count} entries", n) for n in (1, 2, 5, 21)}
    assert all(str(n) in text for n, text in forms.items())
    island = json.loads((build.ISLAND_DIR / f"{locale.value}.json").read_text("utf-8"))
    plurals = [v for v in island["messages"].values() if isinstance(v, dict)]
    categories = {"sr-Latn": {"one", "few", "other"}, "sr-Cyrl": {"one", "few", "other"},
                  "bs": {"one", "few", "other"}, "hr": {"one", "few", "other"},
                  "cnr": {"one", "few", "other"}}.get(locale.value, {"one", "other"})
    assert all(set(forms) == categories for forms in plurals)


def test_the_island_gets_only_its_own_texts_and_every_label():
    island = json.loads((build.ISLAND_DIR / "en.json").read_text("utf-8"))
    assert "Sign out" not in island["messages"] or any(
        "assets/" in path for message in read_catalog(Locale.EN) if message.id == "Sign out"
        for path, _ in message.locations)
    assert set(island["labels"]) == {"source", "concern", "status", "role"}
    assert every_text(Locale.EN, where="assets/") == island["messages"]
