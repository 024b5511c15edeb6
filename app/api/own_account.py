"""The caller's own password: how a user whose password an administrator reset chooses a new
one through the API (the only route their token reaches until then)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from app.api import errors
from app.api.deps import token_identity
from app.api.schemas import Strict, error_responses
from app.clock import utc_now
from app.i18n.messages import N_, speaking
from app.runtime import transaction
from app.services.accounts import Identity
from app.services.admin_refusals import Refused
from app.services.own_password import MAX_PASSWORD, change_password
from app.services.passwords import MIN_LENGTH
from pydantic import Field

router = APIRouter(prefix="/api/v1/auth", tags=["auth"],
                   responses=error_responses(409))


class PasswordChangeIn(Strict):
    current_password: str = Field(min_length=1, max_length=MAX_PASSWORD)
    # The length rule is in the document too; passwords.password_problem has the last word.
    new_password: str = Field(min_length=MIN_LENGTH, max_length=MAX_PASSWORD)


@router.post("/password", status_code=204)
def change_own_password(body: PasswordChangeIn, response: Response,
                        caller: Annotated[Identity, Depends(token_identity)]) -> Response:
    """Set a new password (the project's rules; not the current one). Clears the mark of an
    administrator's reset; the token keeps working."""
    try:
        with transaction() as db:
            change_password(db, caller.user_id, body.new_password, body.new_password, utc_now(),
                            current=body.current_password)
    except Refused as error:
        problem = speaking(caller.locale).t(error.message, **error.params)
        raise errors.ApiError(error.status, error.code, N_("{field}: {problem}"),
                              params={"field": error.field, "problem": problem}) from None
    response.status_code = 204
    return response
