"""A user choosing their own new password: after an administrator's reset (forced, at the next
sign-in) or by choice. Audited, without the password."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.i18n.messages import N_
from app.models import User
from app.services import audit
from app.services.admin_refusals import Conflict, Forbidden, Refused
from app.services.passwords import hash_password, password_problem, verify_password

MAX_PASSWORD = 256


def change_password(db: Session, user_id: str, new: str, repeated: str, now: datetime,
                    current: str | None = None) -> None:
    """Set `user_id`'s password. The current one is asked for unless the user was just made to
    change it, having signed in with the temporary one a moment ago."""
    user = db.get_one(User, user_id)
    if current is None and not user.must_change_password:
        raise Refused("current_password_required", N_("Enter your current password."),
                      "current_password")
    if current is not None and not verify_password(user.password_hash, current):
        raise Forbidden("wrong_password", N_("That password is not right."), "current_password")
    problem = password_problem(new) if len(new) <= MAX_PASSWORD else None
    if problem is not None:
        raise Refused("weak_password", problem, "new_password")
    if len(new) > MAX_PASSWORD:
        raise Refused("weak_password", N_("Use at most {count} characters."), "new_password",
                      count=MAX_PASSWORD)
    if new != repeated:
        raise Refused("passwords_differ", N_("The two new passwords are not the same."),
                      "repeat_password")
    if verify_password(user.password_hash, new):
        raise Conflict("same_password", N_("Choose a password different from the one you "
                                           "have now."), "new_password")
    before = {"must_change_password": user.must_change_password}
    user.password_hash, user.must_change_password = hash_password(new), False
    audit.record_change(db, at=now, actor_id=user.id, change="user.password_change",
                        subject=user.id, before=before, after={"must_change_password": False})
