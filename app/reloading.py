"""A process-wide value loaded from key files and loaded again when those files change.

Several server processes share one key directory; a rotation in one (the admin page, or
`app.cli rotate-*`) must reach the others without a restart. Each process looks at the
directory at most every `every` seconds (a stat and a listing, no key is read) and reloads
when what it sees differs from what it loaded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")
RECHECK_SECONDS = 2.0


def stamp(directory: Path) -> tuple:
    """What a rotation changes: the directory's entries (a new key file), its `current`
    pointer and `retired.json`. The names and contents as well as the mtime, as a filesystem
    with coarse timestamps could show two changes within one tick as none."""
    try:
        names = tuple(sorted(path.name for path in directory.iterdir()
                             if not path.name.startswith(".")))
        pointers = tuple((directory / name).read_bytes() if (directory / name).exists() else b""
                         for name in ("current", "retired.json"))
        return directory.stat().st_mtime_ns, names, pointers
    except FileNotFoundError:
        return ()


class Reloading(Generic[T]):
    """Call it for the value; `cache_clear()` forgets it (tests, and lru_cache's old callers)."""

    def __init__(self, load: Callable[[], T], watched: Callable[[], Path],
                 every: float = RECHECK_SECONDS) -> None:
        self._load, self._watched, self.every = load, watched, every
        self._lock = threading.Lock()
        self._value: T | None = None
        self._stamp: tuple | None = None
        self._checked = 0.0

    def __call__(self) -> T:
        now = time.monotonic()
        value = self._value
        if value is not None and now - self._checked < self.every:
            return value
        with self._lock:
            seen = stamp(self._watched())
            if self._value is None or seen != self._stamp:
                self._value, self._stamp = self._settled(seen)
            self._checked = now
            return self._value

    def _settled(self, seen: tuple) -> tuple[T, tuple]:
        """Load, and again if the directory changed meanwhile: a first load makes its keys and
        a load deletes expired ones (a change of its own), and a rotation may land mid-load."""
        for _ in range(3):
            value = self._load()
            after = stamp(self._watched())
            if after == seen:
                break
            seen = after
        return value, seen

    def cache_clear(self) -> None:
        with self._lock:
            self._value, self._stamp = None, None


def reloading(watched: Callable[[], Path]) -> Callable[[Callable[[], T]], Reloading[T]]:
    """Decorator: `@reloading(lambda: keys_dir / "jwt")` over a loader of no arguments."""
    return lambda load: Reloading(load, watched)
