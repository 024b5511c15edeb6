"""One vocabulary: the enums of app/vocabulary.py are what the API documents, what the island
offers, and what every label and colour table is keyed by, with a label for every code."""

from __future__ import annotations

from enum import StrEnum

import pytest

from app import policy, vocabulary
from app.i18n import labels
from app.api.schemas import ObservationPayload
from app.pages import screening_case as screening_case_page
from app.services import screening
from app.vocabulary import ConcernLevel, EventKind, ItemState, ObservationStatus, Outcome, Role
from app.vocabulary import IndicatorKind, PostingScope, Source, SupportKind
from app.vocabulary import RetentionAction, RetentionReference
from components import screening as screening_components
from tests.helpers import api_client

# Every table of labels or colours, and the enum it must cover exactly.
TABLES = [
    (labels.ROLE_LABELS, Role),
    (labels.STATE_LABELS, ItemState),
    (labels.OUTCOME_LABELS, Outcome),
    (labels.SUPPORT_LABELS, SupportKind),
    (labels.SOURCE_LABELS, Source),
    (labels.EVENT_LABELS, EventKind),
    (labels.CONCERN_LABELS, ConcernLevel),
    (labels.SOURCE_CHOICES, Source),
    (labels.OBSERVATION_STATUS_LABELS, ObservationStatus),
    (labels.POSTING_SCOPE_LABELS, PostingScope),
    (labels.INDICATOR_KIND_LABELS, IndicatorKind),
    (labels.RETENTION_REFERENCE_LABELS, RetentionReference),
    (labels.RETENTION_ACTION_LABELS, RetentionAction),
    (screening_components.STATUS_COLOURS, ItemState),
    (screening_case_page.OUTCOME_HINTS, Outcome),
]


def test_every_role_that_signs_in_to_pages_has_a_home_page():
    assert set(policy.HOME) == set(Role) - policy.API_ONLY


@pytest.mark.parametrize(("table", "enum"), TABLES, ids=lambda t: getattr(t, "__name__", ""))
def test_every_code_has_a_label_and_every_key_is_a_code(table: dict, enum: type[StrEnum]):
    assert all(isinstance(key, enum) for key in table), "keyed by the enum, not by text"
    assert set(table) == set(enum)
    assert all(isinstance(text, str) and text.strip() for text in table.values())


def test_the_island_module_is_generated_from_the_enums():
    # Fails after an enum changes until `python -m app.vocabulary` is run again.
    assert vocabulary.ISLAND_MODULE.read_text(encoding="utf-8") == vocabulary.island_module()


def test_the_island_holds_no_hand_written_copy_of_the_codes():
    island = (vocabulary.ISLAND_MODULE.parent / "CaptureIsland.jsx").read_text(encoding="utf-8")
    for code in (*Source, *ConcernLevel):
        assert f'"{code}"' not in island, f"{code!r} is written out in CaptureIsland.jsx"


def _schemas() -> dict:
    return api_client().get("/api/v1/openapi.json").json()["components"]["schemas"]


def _enum(schemas: dict, model: str, field: str) -> list[str]:
    prop = schemas[model]["properties"][field]
    return schemas[prop["$ref"].rsplit("/", 1)[1]]["enum"] if "$ref" in prop else prop["enum"]


@pytest.mark.parametrize(("field", "enum"), [("source", Source), ("concern", ConcernLevel)])
def test_a_sync_item_is_checked_against_the_codes(field: str, enum: type[StrEnum]):
    # Sync items are read one by one (list[Any] in the document), so their own schema counts.
    schema = ObservationPayload.model_json_schema()
    assert _enum({**schema.get("$defs", {}), "ObservationPayload": schema},
                 "ObservationPayload", field) == [member.value for member in enum]


@pytest.mark.parametrize(("model", "field", "enum"), [
    ("MyObservation", "status", ObservationStatus),
    ("TokenResponse", "role", Role),
    ("Caller", "role", Role),
    ("BootstrapUser", "role", Role),
])
def test_the_api_document_lists_the_codes(model: str, field: str, enum: type[StrEnum]):
    assert _enum(_schemas(), model, field) == [member.value for member in enum]


def test_the_services_speak_in_the_enums():
    assert screening.CLOSING_OUTCOMES == {Outcome.NO_FURTHER_ACTION, Outcome.REFER_SUPPORT}
    assert all(isinstance(o, Outcome) for o in screening.CLOSING_OUTCOMES)
    assert all(isinstance(role, Role) for role in policy.ROLES)
