"""What may be shown of a count on the trends page (issue 6 and issue 9, item 8).

A count from 1 to 4 is withheld ("<5"; no value in a chart), and so is a count that would give
a withheld one away by one subtraction (suppress(); it says "–"); a share or change of a withheld
count is not shown either. Plain Python: app/views/trends.py builds the page's tables with it.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

SMALL = "<5"
NOT_SHOWN = "–"


def small(n: int) -> bool:
    return 1 <= n <= 4


def shown(n: int) -> str:
    return SMALL if small(n) else f"{n:,}"


def plotted(n: int) -> int | None:
    return None if small(n) else n


def share(part: int, whole: int) -> str:
    if whole == 0 or small(part) or small(whole):
        return NOT_SHOWN
    return f"{100 * part / whole:.1f} %"


def hours(value: float | None, decided: int) -> str:
    """A median or percentile of fewer than 5 decisions would tell one decision's delay."""
    return NOT_SHOWN if value is None or decided < 5 else f"{value:.0f} h"


def change(current: int, previous: int) -> str:
    if small(current) or small(previous):
        return NOT_SHOWN
    return f"{current - previous:+,}"


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
    """Counts of the view by key, and which of them are withheld."""
    counts: Mapping[Hashable, int]
    hidden: frozenset[Hashable]

    def text(self, key: Hashable) -> str:
        if key not in self.hidden:
            return shown(self.counts[key])
        return SMALL if small(self.counts[key]) else NOT_SHOWN

    def plot(self, key: Hashable) -> int | None:
        return None if key in self.hidden else self.counts[key]

    def share(self, part: Hashable, whole: Hashable) -> str:
        """With one of its two counts shown, a share would give the other."""
        if {part, whole} & self.hidden:
            return NOT_SHOWN
        return share(self.counts[part], self.counts[whole])

    def change(self, current: Hashable, previous: Hashable) -> str:
        if {current, previous} & self.hidden:
            return NOT_SHOWN
        return change(self.counts[current], self.counts[previous])
