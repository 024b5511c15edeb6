"""Reading one sync item: plain or sealed, shape-checked, with the hash of its canonical payload.

Everything wrong with an item becomes a field-level reason, never an exception: one bad item
must not block the others in its batch.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from pydantic import ValidationError

from app.api.errors import field_message, printable
from app.api.schemas import MODEL_CHECKS, ObservationPayload
from app.i18n.locales import Locale
from app.i18n.messages import Messages, N_
from app.services.observations import FieldError, Item, ObservationInput
from app.services.sealing import SealError, SealingRing
from app.vocabulary import parse

# "locale" (optional, outside the sealed payload): the language the officer wrote the entry in.
ITEM_FIELDS = {"id", "payload", "sealed", "locale"}


def parse_item(raw: Any, ring: SealingRing, words: Messages) -> Item:
    """The item, or why it cannot be read (`words`: the caller's language, for what the
    validator found wrong)."""
    if not isinstance(raw, dict):
        return Item("", error=FieldError("item", "not_an_object",
                                         N_("Each item must be a JSON object.")))
    item_id = raw.get("id")
    if not _is_uuid(item_id):
        return Item(printable(item_id)[:64] if isinstance(item_id, str) else "",
                    error=FieldError("id", "bad_id",
                                     N_("Must be a lower-case UUID made on the device.")))
    if extra := sorted(raw.keys() - ITEM_FIELDS):
        return Item(item_id, error=FieldError(printable(extra[0])[:64], "extra_forbidden",
                                              N_("Unknown field.")))
    if ("payload" in raw) == ("sealed" in raw):
        return Item(item_id, error=FieldError("payload", "payload_or_sealed",
                                              N_("Give either payload or sealed.")))
    locale = parse(Locale, raw.get("locale"))
    if raw.get("locale") is not None and locale is None:
        return Item(item_id, error=FieldError("locale", "unknown_locale",
                                              N_("Not one of the locales Wingwatch speaks.")))
    payload = raw.get("payload")
    if "sealed" in raw:
        try:
            payload = ring.unseal(raw["sealed"] if isinstance(raw["sealed"], str) else "")
        except SealError as error:
            # i18n: {detail} is the technical reason, in English
            return Item(item_id, error=FieldError("sealed", "bad_envelope", N_(
                "The sealed entry cannot be opened: {detail}"), {"detail": str(error)}))
    try:
        model = ObservationPayload.model_validate(payload)
    except ValidationError as error:
        return Item(item_id, error=_field_error(error, words))
    return Item(item_id, observation=_input(model, locale), payload_hash=_canonical_hash(model))


def _is_uuid(value: Any) -> bool:
    try:
        return isinstance(value, str) and str(uuid.UUID(value)) == value
    except ValueError:
        return False


def _field_error(error: ValidationError, words: Messages) -> FieldError:
    first = error.errors(include_url=False)[0]
    kind = str(first.get("type", "invalid"))
    if kind in MODEL_CHECKS:  # the payload's own checks, which name their field
        field, message = MODEL_CHECKS[kind]
        return FieldError(field, kind, message)
    field = ".".join(printable(str(part)) for part in first.get("loc", ()))[:200]
    # i18n: {problem} is what is wrong with the field, e.g. "required"
    return FieldError(field or "payload", kind, N_("Not valid: {problem}"),
                      {"problem": field_message(first, words)[:300]})


def _canonical_hash(model: ObservationPayload) -> str:
    canonical = json.dumps(model.model_dump(mode="json"), sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _input(model: ObservationPayload, locale: Locale | None) -> ObservationInput:
    return ObservationInput(
        prisoner_id=model.prisoner_id, occurred_at=model.occurred_at,
        recorded_at=model.recorded_at, location=model.location,
        catalogue_version=model.catalogue_version, indicators=tuple(model.indicators),
        facts=model.facts, assessment=model.assessment or None, source=model.source,
        concern=model.concern, flag=model.flag, flag_reason=model.flag_reason, locale=locale,
    )
