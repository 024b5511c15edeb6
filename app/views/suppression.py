"""What may be shown of a count on the trends page (issue 6 and issue 9, item 8), and how.

A count from 1 to 4 is withheld ("<5"; no value in a chart), and so is a count that would give
a withheld one away by one subtraction (suppress(); it says "–"); a share or change of a withheld
count is not shown either. What is shown is written by `Figures`: in the reader's language and
CLDR formats on the page, in plain digits in the CSV. Plain Python: app/views/trends.py builds
the page's tables with it.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from app.i18n.messages import Messages, N_

# i18n: a count from 1 to 4 on the trends page, withheld so that no one can be singled out
SMALL = N_("<5")
# i18n: a count, share or change on the trends page that is not shown because it would give a
# withheld count away
NOT_SHOWN = N_("–")


def small(n: int) -> bool:
    return 1 <= n <= 4


def plotted(n: int) -> int | None:
    return None if small(n) else n


@dataclass(frozen=True)
class Figures:
    """How the view writes its figures. On the page: the reader's language and CLDR formats
    (1.234 in mk, 1 234 in sq, 1,234 in en). In the CSV (`plain`): counts as bare digits,
    shares with a decimal point and days as ISO dates, which a spreadsheet or a script reads
    the same whatever its locale; the words ("<5", hours) stay in the reader's language."""
    words: Messages
    plain: bool = False

    def count(self, n: int) -> str:
        if small(n):
            return self.words.t(SMALL)
        return str(n) if self.plain else self.words.number(n)

    def not_shown(self) -> str:
        return self.words.t(NOT_SHOWN)

    def share(self, part: int, whole: int) -> str:
        if whole == 0 or small(part) or small(whole):
            return self.not_shown()
        return f"{100 * part / whole:.1f}%" if self.plain else self.words.percent(part / whole, digits=1)

    def hours(self, value: float | None, decided: int) -> str:
        """A median or percentile of fewer than 5 decisions would tell one decision's delay."""
        if value is None or decided < 5:
            return self.not_shown()
        return self.words.tn("{count} hour", "{count} hours", round(value))

    def change(self, current: int, previous: int) -> str:
        if small(current) or small(previous):
            return self.not_shown()
        rise = current - previous
        # the sign is a symbol, the same in every locale Wingwatch speaks (CLDR's plusSign)
        return ("+" if rise > 0 else "") + (str(rise) if self.plain else self.words.number(rise))

    def day(self, value: date) -> str:
        return value.isoformat() if self.plain else self.words.day(value)


def suppress(counts: Mapping[Hashable, int],
             relations: Sequence[Sequence[Hashable]]) -> frozenset[Hashable]:
    """The counts to withhold. `relations` are the cells the page shows as a total and the parts
    that add up to it (or two cells that are equal): a week's All, Concern and Protective; a
    column of weeks or wings and its tile.

    First every count from 1 to 4. Then, while a relation has exactly one withheld cell (which
    the total minus the shown others would give away), also its smallest shown cell that is not
    zero. A zero never serves: zeros are shown, so a withheld one would be read as "not 0" and
    the sum of the withheld cells would still pin the small one down (12 = 9 + <5 + – with "–"
    known to be 0 or at least 5 leaves 3). A relation with one withheld cell always has such a
    cell, since the withheld one is not zero; each pass withholds one more, so this ends.
    """
    hidden = {key for key, n in counts.items() if small(n)}
    changed = True
    while changed:
        changed = False
        for cells in relations:
            if sum(key in hidden for key in cells) != 1:
                continue
            # the smallest loses least; on a tie the earlier cell, so the view is stable
            candidates = [key for key in cells if key not in hidden and counts[key]]
            if candidates:  # always, unless the counts do not add up
                hidden.add(min(candidates, key=counts.__getitem__))
                changed = True
    return frozenset(hidden)


@dataclass(frozen=True)
class Cells:
    """Counts of the view by key, which of them are withheld, and how they are written."""
    counts: Mapping[Hashable, int]
    hidden: frozenset[Hashable]
    figures: Figures

    def text(self, key: Hashable) -> str:
        n = self.counts[key]
        return self.figures.not_shown() if key in self.hidden and not small(n) \
            else self.figures.count(n)

    def plot(self, key: Hashable) -> int | None:
        return None if key in self.hidden else self.counts[key]

    def share(self, part: Hashable, whole: Hashable) -> str:
        """With one of its two counts shown, a share would give the other."""
        if {part, whole} & self.hidden:
            return self.figures.not_shown()
        return self.figures.share(self.counts[part], self.counts[whole])

    def change(self, current: Hashable, previous: Hashable) -> str:
        if {current, previous} & self.hidden:
            return self.figures.not_shown()
        return self.figures.change(self.counts[current], self.counts[previous])
