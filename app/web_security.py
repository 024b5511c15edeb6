"""Only our own origin, and security headers on every response.

One ASGI middleware around the whole backend (API, the `/_event` websocket and, in single-port
production, the static frontend), installed as the last of rx.App's `api_transformer`s so no
route can miss it. Reflex's own CORS layers answer preflights; their allowed origins come from
the same setting (rxconfig.py).
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cached_property
from pathlib import Path

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.errors import caller_messages, error_body
from app.settings import Settings, get_settings

# Requests that act, or answer with data: a foreign page may still link to or embed our pages.
_SAFE_METHODS = {"GET", "HEAD"}
_API = "/api/"
# Fetch metadata for a request another site started; a sibling service behind the same proxy
# is "same-site", and SameSite cookies do not stop it.
_OTHER_SITES = {"cross-site", "same-site"}
_INLINE_SCRIPT = re.compile(rb"<script\b(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)
_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb", "serial", "hid",
             "display-capture", "midi")
_HSTS = "max-age=31536000"  # not includeSubDomains: the proxy's other services are not ours


def _built_frontend() -> Path:
    from reflex.utils.prerequisites import get_web_dir
    from reflex_base.constants import Dirs

    return get_web_dir() / Dirs.STATIC


def inline_script_hashes(static_dir: Path) -> list[str]:
    """CSP sources for every inline script in the built pages (sorted, each once)."""
    digests = {
        base64.b64encode(hashlib.sha256(body).digest()).decode()
        for page in static_dir.rglob("*.html")
        for body in _INLINE_SCRIPT.findall(page.read_bytes())
    }
    return [f"'sha256-{digest}'" for digest in sorted(digests)]


def content_security_policy(script_hashes: list[str]) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *script_hashes]),
        # Radix and React set style attributes in the pre-rendered markup; scripts stay strict.
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",  # CSP3: 'self' covers ws(s):// to this same host and port
        "worker-src": "'self'",
        "manifest-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-src": "'none'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class WebSecurity:
    """Refuses other origins where they could act, and adds the security headers."""

    def __init__(self, app: ASGIApp, settings: Settings | None = None,
                 static_dir: Path | None = None) -> None:
        self.app = app
        self.settings = settings or get_settings()
        self.static_dir = static_dir

    @cached_property
    def headers(self) -> dict[str, str]:
        """Made on first use, not at start: in production the frontend is built before the
        backend serves, and the policy needs the built pages' inline scripts."""
        static_dir = self.static_dir or _built_frontend()
        hashes = inline_script_hashes(static_dir) if static_dir.is_dir() else []
        headers = {
            "content-security-policy": content_security_policy(hashes),
            "x-content-type-options": "nosniff",
            "referrer-policy": "no-referrer",
            "permissions-policy": ", ".join(f"{feature}=()" for feature in _FEATURES),
            "cross-origin-opener-policy": "same-origin",
            "x-frame-options": "DENY",
        }
        if self.settings.https:
            headers["strict-transport-security"] = _HSTS
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if _guarded(scope) and self._from_another_site(Headers(scope=scope)):
            await self._refuse(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, self._adding_headers(scope, send))

    def _from_another_site(self, headers: Headers) -> bool:
        origin = headers.get("origin")
        if origin and origin != "null":
            return origin.lower() not in self.settings.public_origins
        # No usable Origin (a same-origin GET, a non-browser client, or a same-origin POST under
        # no-referrer): Fetch metadata decides; a null origin without it is taken as foreign.
        site = headers.get("sec-fetch-site", "none" if origin is None else "cross-site")
        return site in _OTHER_SITES

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})  # before accept: HTTP 403
            return
        message = caller_messages(Request(scope)).t("Requests from other sites are not accepted.")
        response = JSONResponse(error_body("foreign_origin", message), 403)
        await response(scope, receive, self._adding_headers(scope, send))

    def _adding_headers(self, scope: Scope, send: Send) -> Send:
        api = scope["path"].startswith(_API)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers[name] = value
                if api:
                    # API answers hold personal data or tokens: no cache, proxy or
                    # service worker may keep them.
                    headers["cache-control"] = "no-store"
            await send(message)

        return send_with_headers


def _guarded(scope: Scope) -> bool:
    return (scope["type"] == "websocket" or scope["method"] not in _SAFE_METHODS
            or scope["path"].startswith(_API))


class LineBreaksInPaths:
    """Outermost: Reflex mounts the whole app at "" in a Starlette whose route pattern's "."
    stops at a line break, so a path with %0A or %0D matched nothing and got a bare text 404
    without our headers. No name in a path (a code, a username, an id) holds one, so writing
    them back as %0A/%0D lets the app itself answer (the API's JSON 404, the headers)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] in ("http", "websocket") and ("\n" in path or "\r" in path):
            scope = {**scope, "path": path.replace("\r", "%0D").replace("\n", "%0A")}
        await self.app(scope, receive, send)
