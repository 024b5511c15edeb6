"""Why an administrator's change to accounts or postings is refused: a code for programs, a
message id for people, and the field at fault, so the API and the pages can both name it."""

from __future__ import annotations

from typing import Any

from app.i18n.messages import N_
from app.services.accounts import Identity
from app.vocabulary import Role


class Refused(Exception):
    """A change that was not made. `field` is the input at fault (an API field, a CSV column)."""

    status = 422

    def __init__(self, code: str, message: str, field: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.code, self.message, self.field, self.params = code, message, field, params

    def __str__(self) -> str:  # English, for logs and tests
        return f"{self.field}: {self.message.format(**self.params)}" if self.field else \
            self.message.format(**self.params)


class NotAllowed(Refused):
    status = 403

    def __init__(self) -> None:
        super().__init__("forbidden", N_("Only administrators may do this."))


class NotFound(Refused):
    status = 404


class Conflict(Refused):
    status = 409


class Forbidden(Refused):
    """Who is asking could not prove it (a wrong current password)."""

    status = 403


def require_admin(who: Identity) -> None:
    """Services refuse the wrong role themselves, whatever route or page called them."""
    if who.role != Role.ADMIN:
        raise NotAllowed()
