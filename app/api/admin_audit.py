"""Admin API: the audit log (list, verify, CSV export) and the server's keys (status, rotate).

The same services as the /admin/audit page; every route is for administrators (`Admin`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel

from app import runtime
from app.api import errors
from app.api.deps import Admin
from app.api.schemas import error_responses
from app.clock import utc_now
from app.i18n.messages import Messages
from app.runtime import transaction
from app.services import audit_log, key_status
from app.services.audit_log import AuditFilters, BadFilter
from app.settings import get_settings
from app.views.audit_log import entry_view, key_view, to_csv, verify_text

PREFIX = "/api/v1/admin"
router = APIRouter(prefix=PREFIX, tags=["admin: audit"],
                   responses=error_responses())
Filter = Annotated[str, Query(max_length=200)]


class AuditChange(BaseModel):
    field: str
    before: str | None
    after: str | None
    withheld: bool


class AuditRow(BaseModel):
    seq: int
    at: str  # ISO 8601, UTC
    action: str  # the code (create, read, admin_change, ...)
    change: str | None  # an admin_change's code (user.create, ...)
    actor_username: str | None
    actor_name: str | None
    subject: str | None
    subject_name: str | None  # an account's username or a prison's code, when it is one
    prisoner_number: str | None
    meaning: str  # in the caller's language
    changes: list[AuditChange]
    recorded_text: str | None  # an older row's own words, as recorded


class AuditPage(BaseModel):
    entries: list[AuditRow]
    total: int
    page: int
    pages: int
    page_size: int


class VerifyAnswer(BaseModel):
    ok: bool
    rows_checked: int
    first_broken_row: int | None
    message: str  # in the caller's language
    reason: str  # the verifier's technical reason (English), "" when intact


class KeyRow(BaseModel):
    kind: str  # token | data | sealing | audit
    kid: str
    use: str  # current | retiring | expired | older
    created: str | None  # ISO 8601; None for a key from the environment
    until: str | None  # a retiring key's last moment
    from_environment: bool
    rotatable: bool
    description: str  # in the caller's language


class Rotation(BaseModel):
    kind: str
    kid: str
    reencrypted: int


def _filters(who: str, action: str, subject: str, since: str, until: str,
             page: str) -> AuditFilters:
    try:
        return AuditFilters.parse({"who": who, "action": action, "subject": subject,
                                   "since": since, "until": until, "page": page})
    except BadFilter as bad:
        raise errors.ApiError(422, "invalid_filter", bad.message,
                              params={"field": bad.field}) from None


def _row(words: Messages, entry: audit_log.LogEntry) -> AuditRow:
    return AuditRow(
        seq=entry.seq, at=entry.at.isoformat(), action=entry.action,
        change=entry.change_code or None,
        actor_username=entry.actor_username or None, actor_name=entry.actor_name or None,
        subject=entry.subject or None, subject_name=entry.subject_name or None,
        prisoner_number=entry.prisoner_number or None,
        meaning=entry_view(words, entry).meaning,
        changes=[AuditChange(field=c.field, before=c.before, after=c.after, withheld=c.withheld)
                 for c in entry.changes],
        recorded_text=entry.recorded_text or None)


@router.get("/audit", response_model=AuditPage)
def audit_entries(caller: Admin, request: Request, who: Filter = "", action: Filter = "",
                  subject: Filter = "", since: Filter = "", until: Filter = "",
                  page: Filter = "1") -> AuditPage:
    """One page of the audit log, newest first. `since`/`until` are the prisons' local dates
    (YYYY-MM-DD, inclusive); `subject` is a record id, a prisoner id or a prisoner number."""
    filters = _filters(who, action, subject, since, until, page)
    with transaction() as db:
        found = audit_log.entries(db, caller, filters, get_settings().zone)
    words = errors.caller_messages(request)
    return AuditPage(entries=[_row(words, e) for e in found.entries],
                     total=found.total, page=found.page, pages=found.pages,
                     page_size=audit_log.PAGE_SIZE)


@router.post("/audit/verify", response_model=VerifyAnswer)
def verify_audit(caller: Admin, request: Request) -> VerifyAnswer:
    """Walk the hash chain and check the signed head (as `app.cli verify-audit`); audited."""
    result = runtime.verify_audit()
    with transaction() as db:
        audit_log.log_verify(db, caller, result, utc_now())
    message, reason = verify_text(errors.caller_messages(request), result)
    return VerifyAnswer(ok=result.ok, rows_checked=result.rows_checked,
                        first_broken_row=result.first_broken_seq, message=message,
                        reason=reason)


@router.get("/audit/export.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def export_audit(caller: Admin, request: Request, who: Filter = "", action: Filter = "",
                 subject: Filter = "", since: Filter = "", until: Filter = "") -> Response:
    """The filtered log (every page, up to 50 000 rows) as CSV in the caller's language;
    the export itself is audited with its filters."""
    filters = _filters(who, action, subject, since, until, "1")
    words = errors.caller_messages(request)
    with transaction() as db:
        found = audit_log.all_entries(db, caller, filters, get_settings().zone)
        audit_log.log_export(db, caller, filters, len(found), utc_now())
    body = to_csv(words, [entry_view(words, e) for e in found], filters.codes())
    return Response(body, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="wingwatch-audit-{utc_now().date()}.csv"'})


@router.get("/keys", response_model=list[KeyRow])
def keys(caller: Admin, request: Request) -> list[KeyRow]:
    """Every key's id, age and use; never its material."""
    settings = get_settings()
    words = errors.caller_messages(request)
    runtime.make_keys()
    found = key_status.status(caller, settings.keys_dir, utc_now(),
                              timedelta(hours=settings.token_key_grace_hours),
                              timedelta(days=settings.sealing_key_grace_days))
    rows = []
    for key in found:
        shown = key_view(words, key, key.kind in key_status.ROTATABLE)
        rows.append(KeyRow(kind=key.kind.value, kid=key.kid, use=key.use.value,
                           created=key.created.isoformat() if key.created else None,
                           until=key.until.isoformat() if key.until else None,
                           from_environment=key.from_environment, rotatable=shown.rotatable,
                           description=shown.purpose))
    return rows


@router.post("/keys/{kind}/rotate", response_model=Rotation, responses=error_responses(404, 409))
def rotate_key(caller: Admin, kind: Annotated[str, Path(max_length=16)]) -> Rotation:
    """A new current key of `kind` (token, data or sealing), as `app.cli rotate-<kind>-key`;
    data keys re-encrypt every stored value. Running servers pick it up within seconds."""
    try:
        chosen = key_status.parse_kind(kind)
        with transaction() as db:
            rotated = key_status.rotate(db, caller, chosen, get_settings().keys_dir, utc_now())
    except key_status.KeyRefused as refused:
        status = {"unknown_key_kind": 404, "forbidden": 403}.get(refused.code, 409)
        raise errors.ApiError(status, refused.code, refused.message) from None
    return Rotation(kind=rotated.kind.value, kid=rotated.kid, reencrypted=rotated.reencrypted)
