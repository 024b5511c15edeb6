"""The capture island: a local React component (assets/island/) that works with no network.

Everything it needs comes from the REST API and IndexedDB, never from Reflex state, because
Reflex events need the websocket (design.md §2).
"""

from __future__ import annotations

import reflex as rx


class CaptureIsland(rx.NoSSRComponent):
    library = "$/public/island/CaptureIsland.jsx"
    tag = "CaptureIsland"
    lib_dependencies: list[str] = ["idb@8.0.3"]

    idle_lock_ms: rx.Var[int]
    demo: rx.Var[bool]


class EntriesIsland(rx.NoSSRComponent):
    library = "$/public/island/CaptureIsland.jsx"
    tag = "EntriesIsland"
    lib_dependencies: list[str] = ["idb@8.0.3"]


capture_island = CaptureIsland.create
entries_island = EntriesIsland.create
