"""Why a review decision or a legal hold was refused: a code for programs, a message id (with
its plural and count where a number is in it) for people, and the field at fault, so the API
and the pages can both say it (issue 12 items 3 and 4). Raised before anything is written."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.i18n.messages import N_
from app.services.admin_refusals import Refused


class ReviewRefused(Refused):
    """A refusal the person can act on. `plural`/`count`: the message has {count} in it; a
    `date` among the params is shown as the reader's locale writes a day."""

    def __init__(self, code: str, message: str, field: str | None = None, *,
                 plural: str | None = None, count: int | None = None, status: int = 422,
                 **params: Any) -> None:
        super().__init__(code, message, field, **params)
        self.plural, self.count, self.status = plural, count, status

    def __str__(self) -> str:  # English, for logs and tests
        text = self.plural if self.plural and self.count != 1 else self.message
        params = {name: value.isoformat() if isinstance(value, date) else value
                  for name, value in self.params.items()}
        said = text.format(count=self.count, **params)
        return f"{self.field}: {said}" if self.field else said


def not_allowed() -> ReviewRefused:
    """Another prison's record, or a role that has no review list: nothing says which."""
    return ReviewRefused("forbidden", N_("Not allowed"), status=403)


def not_found() -> ReviewRefused:
    return ReviewRefused("not_found", N_("There is no such entry in the review list."),
                         status=404)
