"""Reading a prison's roster: who is held where today. Loading one from a prison management
system's export is app/services/roster_import.py."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_

from app.models import Prisoner


def still_held(day: date):
    """The SQL condition of a prisoner not released by `day`: released prisoners stay in the
    database (old observations are about them) but leave the tablets' rosters."""
    return or_(Prisoner.released_on.is_(None), Prisoner.released_on > day)
