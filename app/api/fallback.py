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
        # The router would let the first route that matched the path (not the method) answer
        # 405 with only its own methods; a path served by several routes (GET and POST, GET and
        # PATCH) must list them all in Allow.
        allowed = _methods(scope, [route for route in self.routes if route is not self])
        if allowed:
            raise HTTPException(405, headers={"Allow": ", ".join(sorted(allowed))})
        raise HTTPException(404)


def _methods(scope: Scope, routes: list[BaseRoute]) -> set[str]:
    """The methods of every route whose path matches, inside included routers too."""
    found: set[str] = set()
    for route in routes:
        inner = getattr(getattr(route, "original_router", None), "routes", None)
        if inner is not None:  # FastAPI's included router: its routes carry the full path
            found |= _methods(scope, inner)
        elif route.matches(scope)[0] is Match.PARTIAL:
            found |= getattr(route, "methods", None) or set()
    return found
