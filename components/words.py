"""The pages' words: `t("Sign out")` is that text in the tab's language (state/language.py).

A message id is its English text, so `python -m app.i18n extract` finds it here too. A text not
yet in the tab's dictionary (before the first event answers) shows as nothing, not as English.
"""

from __future__ import annotations

import reflex as rx

from state.language import LanguageState


def _known(text: rx.Var) -> rx.Var[str]:
    # Nothing rather than "undefined" while the dictionary is empty (before hydration, offline).
    return rx.Var(f"({text!s} ?? \"\")", _var_type=str,
                  _var_data=text._get_all_var_data()).to(str)


def t(msgid: str) -> rx.Var[str]:
    return _known(LanguageState.words[msgid])


def t_of(msgid: rx.Var[str]) -> rx.Var[str]:
    """The text of a message id the state holds (an error, a status) rather than the code."""
    return _known(LanguageState.words[msgid])
