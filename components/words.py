"""The pages' words: `t("Sign out")` is that text in the tab's language (state/language.py).

A message id is its English text, so `python -m app.i18n extract` finds it here too. A text not
yet in the tab's dictionary (before the first event answers) shows as nothing, not as English.
"""

from __future__ import annotations

import reflex as rx

from state.language import LanguageState


def t(msgid: str) -> rx.Var[str]:
    return LanguageState.words[msgid].to(str)


def t_of(msgid: rx.Var[str]) -> rx.Var[str]:
    """The text of a message id the state holds (an error, a status) rather than the code."""
    return LanguageState.words[msgid].to(str)
