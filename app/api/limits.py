"""Request body limit for the REST API, enforced while the body arrives (issue 9, item 6).

Content-Length over the limit is refused before a byte is read; a body without one (chunked)
is counted as it streams and refused the moment it passes the limit, so no request makes the
server hold more than the limit in memory. A route that takes a whole file (a prison's roster)
may have a larger limit of its own: `larger`, (path pattern, bytes) pairs.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.errors import caller_messages, error_body


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int,
                 larger: tuple[tuple[re.Pattern[str], int], ...] = ()) -> None:
        self.app, self.max_bytes, self.larger = app, max_bytes, larger

    def _limit(self, path: str) -> int:
        return next((limit for pattern, limit in self.larger if pattern.fullmatch(path)),
                    self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send, limit)
            return
        refused = False
        received = 0

        async def counted() -> Message:
            nonlocal refused, received
            message = await receive()
            if message["type"] == "http.request" and not refused:
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    await self._refuse(scope, receive, send, limit)
                    # The route sees a client that went away; what it answers is dropped.
                    return {"type": "http.disconnect"}
            return message

        async def unless_refused(message: Message) -> None:
            if not refused:
                await send(message)

        await self.app(scope, counted, unless_refused)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        words = caller_messages(Request(scope))
        message = words.t("The request body is larger than {limit} bytes.",
                          limit=words.number(limit))
        response = JSONResponse(error_body("payload_too_large", message), 413,
                                headers={"Connection": "close"})
        await response(scope, receive, send)
