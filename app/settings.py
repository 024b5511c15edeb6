"""Runtime settings, read once from WINGWATCH_* environment variables.

Plain Python: the domain services, the REST API and the Reflex app all read the same values.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo
from urllib.parse import urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _origin(text: str) -> str:
    """One origin as browsers send it in `Origin`: scheme://host[:port], lower case, no default
    port, no path. Anything else stops the start with a message that says what was wrong."""
    parts = urlsplit(text.strip())
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname or parts.path not in ("", "/") \
            or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"WINGWATCH_PUBLIC_ORIGIN: {text!r} is not an origin like "
                         "https://wingwatch.example or http://localhost:3000")
    port = "" if parts.port in (None, _DEFAULT_PORTS[parts.scheme]) else f":{parts.port}"
    return f"{parts.scheme}://{parts.hostname}{port}"


def _origins(port: int) -> tuple[str, ...]:
    value = os.environ.get("WINGWATCH_PUBLIC_ORIGIN", "").strip()
    if not value:
        # The local URL scripts/serve prints, and the same server by address.
        return (f"http://localhost:{port}", f"http://127.0.0.1:{port}")
    return tuple(dict.fromkeys(_origin(item) for item in value.split(",") if item.strip()))


def _any_https(origins: tuple[str, ...]) -> bool:
    return any(origin.startswith("https://") for origin in origins)


@dataclass(frozen=True)
class Settings:
    port: int
    # Where browsers reach the app; every other origin is refused (app/web_security.py).
    public_origins: tuple[str, ...]
    data_dir: Path
    database_url: str
    redis_url: str | None
    demo: bool
    idle_timeout_seconds: int
    session_max_seconds: int
    token_lifetime_seconds: int
    lockout_failures: int
    lockout_window_seconds: int
    lockout_seconds: int
    max_request_bytes: int
    token_key_grace_hours: int
    jwt_issuer: str
    jwt_audience: str
    secure_cookies: bool
    api_docs: bool
    sealing_key_grace_days: int
    review_after_days: int
    catalogue_grace_days: int
    timezone: str
    pseudo_locale: bool
    # A deployment's own retention schedule (a JSON like app/retention/schedule.json); None:
    # the default one. Checked at start (app/services/retention_schedule.load).
    retention_schedule: Path | None = None
    # Whether each server process starts the daily retention run (app/services/retention_job).
    retention_job: bool = True

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def https(self) -> bool:
        return _any_https(self.public_origins)

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"

    @property
    def audit_head_file(self) -> Path:
        return self.data_dir / "audit-head.json"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    data_dir = Path(os.environ.get("WINGWATCH_DATA_DIR", "./data")).resolve()
    port = _int("WINGWATCH_PORT", 3000)
    origins = _origins(port)
    return Settings(
        port=port,
        public_origins=origins,
        data_dir=data_dir,
        database_url=os.environ.get("WINGWATCH_DATABASE_URL")
        or f"sqlite:///{data_dir / 'wingwatch.db'}",
        redis_url=os.environ.get("WINGWATCH_REDIS_URL") or None,
        demo=_flag("WINGWATCH_DEMO", False),
        idle_timeout_seconds=_int("WINGWATCH_IDLE_TIMEOUT_SECONDS", 15 * 60),
        session_max_seconds=_int("WINGWATCH_SESSION_MAX_SECONDS", 12 * 3600),
        # Capped: a bearer token never lives longer than 15 minutes, whatever is configured.
        token_lifetime_seconds=min(_int("WINGWATCH_TOKEN_LIFETIME_SECONDS", 15 * 60), 15 * 60),
        lockout_failures=5,
        lockout_window_seconds=15 * 60,
        lockout_seconds=15 * 60,
        # Larger API request bodies get 413 unread; 500 typical sealed entries take ~0.8 MiB.
        max_request_bytes=_int("WINGWATCH_MAX_REQUEST_BYTES", 2 * 1024 * 1024),
        # A rotated-out token signing key verifies this long, then is deleted.
        token_key_grace_hours=_int("WINGWATCH_TOKEN_KEY_GRACE_HOURS", 24),
        jwt_issuer=os.environ.get("WINGWATCH_JWT_ISSUER", "wingwatch"),
        jwt_audience=os.environ.get("WINGWATCH_JWT_AUDIENCE", "wingwatch-api"),
        # An https origin means TLS in front: the session cookie is then Secure and __Host-.
        secure_cookies=_flag("WINGWATCH_SECURE_COOKIES", False)
        or _any_https(origins),
        # Swagger UI loads its script from a third-party CDN: off unless asked for.
        api_docs=_flag("WINGWATCH_API_DOCS", False),
        # A retired sealing key stays this long, for entries still waiting on a tablet.
        sealing_key_grace_days=_int("WINGWATCH_SEALING_KEY_GRACE_DAYS", 30),
        review_after_days=_int("WINGWATCH_REVIEW_AFTER_DAYS", 365),
        # Entries made offline on the previous catalogue version are taken in this long after a
        # new one takes effect; later they are refused (code catalogue_superseded).
        catalogue_grace_days=_int("WINGWATCH_CATALOGUE_GRACE_DAYS", 30),
        # Dates on server-rendered pages, and the day a review date starts: the prisons' own time.
        timezone=os.environ.get("WINGWATCH_TIMEZONE", "Europe/Belgrade"),
        # The pseudo-locale en-XA among the language choices: for the tests, never in service.
        pseudo_locale=_flag("WINGWATCH_PSEUDO_LOCALE", False),
        retention_schedule=Path(os.environ["WINGWATCH_RETENTION_SCHEDULE"]).expanduser()
        if os.environ.get("WINGWATCH_RETENTION_SCHEDULE", "").strip() else None,
        retention_job=_flag("WINGWATCH_RETENTION_JOB", True),
    )
