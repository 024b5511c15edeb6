"""Serbian Cyrillic ↔ Latin, letter for letter (Vuk Karadžić's and Ljudevit Gaj's alphabets).

Made to write sr-Cyrl text from sr-Latn text (issue 10), so Latin → Cyrillic is the careful way:
- Three Latin digraphs are one Cyrillic letter: lj → љ, nj → њ, dž → џ. In a few words the two
  Latin letters are two Cyrillic ones, across a morpheme boundary: nad|živeti → надживети,
  in|jekcija → инјекција. SPLIT_STEMS lists those known; a writer can also put a zero-width
  non-joiner (U+200C) between the two letters, which is dropped. Any other such word is read
  as the digraph: the ambiguity is in the Latin script itself, no rule removes it.
- Placeholders ({name}, %(count)d, %s) and words with a letter Serbian does not have (q, w, x, y:
  "Wingwatch", "PWA") stay as written, as do LATIN_WORDS (CSV, ISO, …) and codes (letters joined
  to a digit: VERA-2R, DPC-24-1000).
Cyrillic → Latin is exact, except that it loses the same boundary: "дж" and "џ" both read "dž".
An upper-case Љ, Њ, Џ is "LJ", "NJ", "DŽ" beside another capital ("ЉУБОВИЈА" → "LJUBOVIJA"),
else "Lj", "Nj", "Dž" ("Љубовија" → "Ljubovija").
"""

from __future__ import annotations

import re
import unicodedata

_LETTERS = dict(zip("абвгдђежзијклљмнњопрстћуфхцчџш",
                    ["a", "b", "v", "g", "d", "đ", "e", "ž", "z", "i", "j", "k", "l", "lj", "m",
                     "n", "nj", "o", "p", "r", "s", "t", "ć", "u", "f", "h", "c", "č", "dž", "š"],
                    strict=True))
TO_LATIN = {**_LETTERS, **{c.upper(): lat.capitalize() for c, lat in _LETTERS.items()}}
TO_CYRILLIC = {lat: c for c, lat in TO_LATIN.items()}
# The one-code-point digraphs (U+01C4–U+01CC) some keyboards and PDFs produce.
TO_CYRILLIC |= {"Ǆ": "Џ", "ǅ": "Џ", "ǆ": "џ", "Ǉ": "Љ", "ǈ": "Љ", "ǉ": "љ",
                "Ǌ": "Њ", "ǋ": "Њ", "ǌ": "њ", "DŽ": "Џ", "LJ": "Љ", "NJ": "Њ"}
DIGRAPHS = ("lj", "nj", "dž")
ZWNJ = "\u200c"
# Known words whose Latin digraph is two Cyrillic letters; "|" marks where they part.
SPLIT_STEMS = ("nad|živ", "nad|žnje", "pod|žanr", "pod|žup", "pred|želud", "in|jekc",
               "kon|junkc", "kon|jug", "van|jezi")
_FOREIGN = frozenset("qwxyQWXY")
# Latin that stays Latin in Cyrillic text: file formats, standards and a protocol value, which are
# written so in every script. A letter run joined to a digit (VERA-2R, ERG22+, DPC-24-1000, C02)
# is a code and stays too.
LATIN_WORDS = frozenset({"CSV", "JSON", "UUID", "ISO", "API", "PDF", "URL", "HTTP", "UTF",
                         "capture"})
_CODE_NEIGHBOUR = re.compile(r"-?\d")
# A placeholder, or a run of letters (a word) — the rest is copied as it is.
_TOKEN = re.compile(r"\{[^{}]*\}|%\([^)]*\)[a-z]|%[a-z%]|[^\W\d_](?:[^\W\d_]|\u200c)*")


def to_latin(text: str) -> str:
    out = []
    for i, char in enumerate(text):
        latin = TO_LATIN.get(char, char)
        if len(latin) == 2 and char.isupper() and _capital_beside(text, i):
            latin = latin.upper()
        out.append(latin)
    return "".join(out)


def _capital_beside(text: str, i: int) -> bool:
    return any(0 <= j < len(text) and text[j].isalpha() and text[j].isupper()
               for j in (i - 1, i + 1))


def to_cyrillic(text: str) -> str:
    return _TOKEN.sub(_word_to_cyrillic, unicodedata.normalize("NFC", text))


def _word_to_cyrillic(match: re.Match[str]) -> str:
    word = match.group()
    if word[0] in "{%" or _FOREIGN & set(word) or word in LATIN_WORDS or _in_code(match):
        return word
    splits = _split_points(word)
    out, i = [], 0
    while i < len(word):
        pair = word[i:i + 2]
        if word[i] == ZWNJ:
            i += 1
        elif pair.lower() in DIGRAPHS and pair in TO_CYRILLIC and i + 1 not in splits:
            out.append(TO_CYRILLIC[pair])
            i += 2
        else:
            out.append(TO_CYRILLIC.get(word[i], word[i]))
            i += 1
    return "".join(out)


def _in_code(match: re.Match[str]) -> bool:
    text, start, end = match.string, match.start(), match.end()
    return bool(_CODE_NEIGHBOUR.match(text, end)) or (start > 0 and text[start - 1].isdigit())


def _split_points(word: str) -> set[int]:
    """Indexes in word where a known stem parts a digraph (the index of its second letter)."""
    lower, points = word.lower(), set()
    for stem in SPLIT_STEMS:
        head, tail = stem.split("|")
        start = lower.find(head + tail)
        while start >= 0:
            points.add(start + len(head))
            start = lower.find(head + tail, start + 1)
    return points
