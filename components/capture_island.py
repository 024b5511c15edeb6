"""The capture island: a local React component (assets/island/) that works with no network.

Everything it needs comes from the REST API and IndexedDB, never from Reflex state, because
Reflex events need the websocket (design.md §2). The props are compiled into the page or are
plain values: `locale` is the tab's language while Reflex is connected ("" offline, when the
island speaks the language it remembered for the officer), `zone` the prisons' time zone, and
`demo` shows the demo banner from inside the island, so it too speaks offline; `app_version`,
compiled into the page, is what the tablet reports running (the administrators' tablet list).
"""

from __future__ import annotations

from importlib.metadata import version

import reflex as rx

from app.settings import get_settings
from state.language import LanguageState


class CaptureIsland(rx.NoSSRComponent):
    library = "$/public/island/CaptureIsland.jsx"
    tag = "CaptureIsland"
    lib_dependencies: list[str] = ["idb@8.0.3"]

    idle_lock_ms: rx.Var[int]
    demo: rx.Var[bool]
    locale: rx.Var[str]
    zone: rx.Var[str]
    app_version: rx.Var[str]


class EntriesIsland(rx.NoSSRComponent):
    library = "$/public/island/CaptureIsland.jsx"
    tag = "EntriesIsland"
    lib_dependencies: list[str] = ["idb@8.0.3"]

    demo: rx.Var[bool]
    locale: rx.Var[str]
    zone: rx.Var[str]


def _shared() -> dict:
    settings = get_settings()
    return {"demo": settings.demo, "locale": LanguageState.locale, "zone": settings.timezone}


def capture_island(**props) -> rx.Component:
    return CaptureIsland.create(**{**_shared(), "app_version": version("wingwatch"), **props})


def entries_island(**props) -> rx.Component:
    return EntriesIsland.create(**{**_shared(), **props})
