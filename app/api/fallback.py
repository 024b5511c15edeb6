"""The API's last route: every other request under its prefix is answered by the API itself.

rx.App mounts its own backend (and, on the one port, the compiled frontend's static files)
under the API at "" (app/app.py). Without this route a method the API does not serve on one of
its paths fell through to the static files, whose 405 says `Allow: GET, HEAD`: an answer that
contradicts the OpenAPI document. Here it gets the API's 405 with the path's own methods, and
an unknown path the API's 404.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Match
from starlette.types import Receive, Scope, Send


class ApiFallback(BaseRoute):
    def __init__(self, prefix: str, routes: list[BaseRoute]) -> None:
        self.prefix, self.routes = prefix, routes  # the app's own list, so later routes count

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = scope.get("path", "")
        ours = path == self.prefix or path.startswith(f"{self.prefix}/")
        return (Match.FULL if scope["type"] == "http" and ours else Match.NONE), {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        # What the router itself does with a route that matched the path but not the method:
        # that route answers 405 with its own methods in Allow.
        for route in self.routes:
            match, child_scope = route.matches(scope) if route is not self else (Match.NONE, {})
            if match is Match.PARTIAL:
                await route.handle({**scope, **child_scope}, receive, send)
                return
        raise HTTPException(404)
