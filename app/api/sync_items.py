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
from app.api.schemas import ObservationPayload
from app.services.observations import FieldError, Item, ObservationInput
from app.services.sealing import SealError, SealingRing

ITEM_FIELDS = {"id", "payload", "sealed"}


def parse_item(raw: Any, ring: SealingRing) -> Item:
    if not isinstance(raw, dict):
        return Item("", error=FieldError("item", "Each item must be a JSON object."))
    item_id = raw.get("id")
    if not _is_uuid(item_id):
        return Item(printable(item_id)[:64] if isinstance(item_id, str) else "",
                    error=FieldError("id", "Must be a lower-case UUID made on the device."))
    if extra := sorted(raw.keys() - ITEM_FIELDS):
        return Item(item_id, error=FieldError(printable(extra[0])[:64], "Unknown field."))
    if ("payload" in raw) == ("sealed" in raw):
        return Item(item_id, error=FieldError("payload", "Give either payload or sealed."))
    payload = raw.get("payload")
    if "sealed" in raw:
        try:
            payload = ring.unseal(raw["sealed"] if isinstance(raw["sealed"], str) else "")
        except SealError as error:
            return Item(item_id, error=FieldError("sealed", str(error)))
    try:
        model = ObservationPayload.model_validate(payload)
    except ValidationError as error:
        return Item(item_id, error=_field_error(error))
    return Item(item_id, observation=_input(model), payload_hash=_canonical_hash(model))


def _is_uuid(value: Any) -> bool:
    try:
        return isinstance(value, str) and str(uuid.UUID(value)) == value
    except ValueError:
        return False


def _field_error(error: ValidationError) -> FieldError:
    first = error.errors(include_url=False)[0]
    message = field_message(first)
    field = ".".join(printable(str(part)) for part in first.get("loc", ()))[:200]
    if not field and ": " in message:  # model-level checks name their field first
        field, message = message.split(": ", 1)
    return FieldError(field or "payload", message[:300])


def _canonical_hash(model: ObservationPayload) -> str:
    canonical = json.dumps(model.model_dump(mode="json"), sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _input(model: ObservationPayload) -> ObservationInput:
    return ObservationInput(
        prisoner_id=model.prisoner_id, occurred_at=model.occurred_at,
        recorded_at=model.recorded_at, location=model.location,
        catalogue_version=model.catalogue_version, indicators=tuple(model.indicators),
        facts=model.facts, assessment=model.assessment or None, source=model.source,
        concern=model.concern, flag=model.flag, flag_reason=model.flag_reason,
    )
