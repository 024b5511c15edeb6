"""Babel extractor for app/catalogue/locations.json: each location's label is a message id, so
the places on the wing are translated with the rest of the catalogues (babel.cfg names this)."""

from __future__ import annotations

import json


def extract_locations(fileobj, keywords, comment_tags, options):  # noqa: ARG001 - Babel's API
    for location in json.loads(fileobj.read()):
        yield 1, "N_", location["label"], ["A place in the prison where something was seen"]
