"""The Reflex app: pages, the event guard, and the REST API on the same port."""

from __future__ import annotations

import reflex as rx

from app.api import build_api
from app.guard import EventGuard
from app.pages import admin, capture, entries, home, login, screening, screening_case, trends
from app.pages import admin_audit
from app.pages import admin_catalogue
from app.pages import admin_prisons
from app.pages import admin_roster
from app.pages import admin_tablets
from app.pages import admin_user, admin_users, password
from app.pages import review
from app.pages import dpo
from app.pages import retention
from app.web_security import LineBreaksInPaths, WebSecurity
from app import runtime
from app.services import retention_job, retention_schedule
from app.settings import get_settings
from components import layout
from components.words import t
from state.login import LoginState
from state.session import SessionState

THEME_COLOUR = "#0d7d74"
BRAND = "Wingwatch"


def page_title(name: str) -> rx.Var[str]:
    """"Sign in — Wingwatch" in the tab's language: a page module's TITLE is the message id of
    its name (marked with N_), the brand is not translated."""
    return t(name) + f" — {BRAND}"


class WingwatchApp(rx.App):
    def __call__(self):
        # Around Reflex's outermost Starlette, which this is the only way to reach.
        return LineBreaksInPaths(super().__call__())


app = WingwatchApp(
    head_components=[
        rx.el.link(rel="manifest", href="/manifest.webmanifest"),
        rx.el.meta(name="theme-color", content=THEME_COLOUR),
        rx.el.link(rel="icon", href="/icons/icon-192.png"),
        rx.el.link(rel="apple-touch-icon", href="/icons/icon-192.png"),
        rx.script(src="/wingwatch.js"),
    ],
    stylesheets=["/wingwatch.css"],
    # The API is mounted first; WebSecurity then wraps all of it, static frontend included.
    api_transformer=[build_api(), WebSecurity],
    style={"font_size": "16px"},
    # Reflex's toasts and connection banner speak English and name the websocket's address;
    # no page uses a toast, and the connection notice below speaks the tab's language.
    toaster=None,
)
app.app_wraps[(5, "Overlay")] = lambda stateful: layout.connection_status() if stateful else None
app.add_middleware(EventGuard(), index=0)

app.add_page(login.page, route=login.ROUTE, title=page_title(login.TITLE),
             on_load=LoginState.open)
app.add_page(home.page, route=home.ROUTE, title=BRAND, on_load=LoginState.route_home)
for module in (capture, entries, screening, screening_case, trends, admin, admin_audit,
               admin_prisons, admin_roster, admin_tablets, admin_catalogue,
               admin_users, admin_user, password, review, dpo, retention):
    # The page check first; a page's own loader runs after it (and the guard refuses it to
    # roles the page is not for).
    own_loader = getattr(module, "ON_LOAD", None)
    loaders = [SessionState.enter_page, *([own_loader] if own_loader else [])]
    app.add_page(module.page, route=module.ROUTE, title=page_title(module.TITLE),
                 on_load=loaders)

# The daily retention run, in every worker; one of them takes the day's lock (issue 12). A bad
# schedule file stops the start here, as `app.cli setup` does.
retention_schedule.load()
if get_settings().retention_job:
    app.register_lifespan_task(retention_job.daily, transaction=runtime.transaction,
                               zone=get_settings().zone)
