"""The retention page's state: the schedule in words, the last runs, and a preview of the next
run's counts. Counts only: no record and no person reaches the browser."""

from __future__ import annotations

import reflex as rx

from app.clock import utc_now
from app.runtime import transaction
from app.services import retention_reads, retention_schedule
from app.views.retention import (
    PreviewLine,
    RuleView,
    RunView,
    run_view,
    schedule_views,
    summary_lines,
)
from state.identity import current_identity
from state.language import messages


class RetentionState(rx.State):
    rules: list[RuleView] = []
    own_schedule: bool = False  # the deployment's file, not the default
    runs: list[RunView] = []
    preview_lines: list[PreviewLine] = []
    preview_title: str = ""  # empty until a preview was asked for

    @rx.event
    async def load(self):
        self.rules, self.runs, self.preview_lines, self.preview_title = [], [], [], ""
        who = current_identity(self.router.headers.cookie)
        if who is None:
            return
        words = await messages(self)
        schedule = retention_schedule.load()
        with transaction() as db:
            runs = retention_reads.last_runs(db, who)
        self.own_schedule = schedule.source != str(retention_schedule.DEFAULT_FILE)
        self.rules = schedule_views(schedule, words)
        self.runs = [run_view(run, schedule, words) for run in runs]

    @rx.event
    async def preview(self):
        who = current_identity(self.router.headers.cookie)
        if who is None:
            return
        words = await messages(self)
        schedule = retention_schedule.load()
        now = utc_now()
        plan = retention_reads.preview(transaction, who, schedule, now)
        self.preview_lines = summary_lines(schedule, plan.summary(), words, planned=True)
        self.preview_title = words.t("If the schedule ran now ({moment}):",
                                     moment=words.moment(now))
