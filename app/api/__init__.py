"""REST API v1, mounted into the Reflex backend through `api_transformer` (see app/app.py)."""

from app.api.main import build_api

__all__ = ["build_api"]
