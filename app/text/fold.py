"""Name folding for search: Petrovic, Petrović, PETROVIĆ and Петровић are one key.

The rules are data, in assets/island/fold-table.json, which the capture island's fold.js reads
too, so a name found on the server is found offline on the tablet (tests/js/fold.test.mjs runs
both on the same names). docs/decisions.md, "Names across scripts", says why each rule is there.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

_TABLE = json.loads((Path(__file__).resolve().parents[2] / "assets" / "island" / "fold-table.json")
                    .read_text("utf-8"))
LETTERS: dict[str, str] = _TABLE["letters"]
SEQUENCES: dict[str, str] = _TABLE["sequences"]
_LONGEST = max(map(len, SEQUENCES))
_SPACES = str.maketrans(dict.fromkeys(_TABLE["spaces"], " "))


def fold(text: str) -> str:
    """The search key: lower case, Latin, no accents, the region's digraphs as one spelling."""
    return _fold_lowered(_lower(text))


def search_keys(text: str) -> tuple[str, ...]:
    """fold(text), and when a word ends in Albanian ë, the key with that ë read as a: the
    indefinite and definite forms of one name (Hoxhë, Hoxha)."""
    lowered = _lower(text)
    definite = "".join("a" if char == "ë" and not lowered[i + 1:i + 2].isalpha() else char
                       for i, char in enumerate(lowered))
    keys = (_fold_lowered(lowered), _fold_lowered(definite))
    return keys[:1] if definite == lowered else keys


def finds(query: str, *fields: str) -> bool:
    """Whether any field holds the query, whatever its script and accents. The plain
    lower-case test stays too: a query that begins inside a folded pair ("ha" of Hoxha,
    whose key is "hodza") is still found as typed."""
    wanted = search_keys(query)
    plain = _lower(query)
    return any(plain in _lower(field) or any(w in key for w in wanted for key in search_keys(field))
               for field in fields)


def _lower(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


def _fold_lowered(lowered: str) -> str:
    latin = "".join(LETTERS.get(char, char) for char in lowered)
    bare = "".join(char for char in unicodedata.normalize("NFD", latin)
                   if not unicodedata.category(char).startswith("M"))
    return " ".join(word for word in _sequences(bare).translate(_SPACES).split(" ") if word)


def _sequences(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        part = next((text[i:i + n] for n in range(_LONGEST, 0, -1) if text[i:i + n] in SEQUENCES),
                    text[i])
        out.append(SEQUENCES.get(part, part))
        i += len(part)
    return "".join(out)
