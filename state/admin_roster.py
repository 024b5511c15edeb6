"""The roster page's state: the chosen prison, the uploaded file's dry run, and "Apply".

The file's bytes stay on the server (`_file`, never sent to the browser); "Apply" parses those
same bytes again and imports them only if the diff is still the one shown (its digest), so what
is applied is exactly what was previewed.
"""

from __future__ import annotations

import reflex as rx

from app.clock import prisons_today, utc_now
from app.i18n.messages import Messages
from app.runtime import transaction
from app.services import organisation_reads, roster_import
from app.services.accounts import Identity
from app.services.roster_file import MAX_BYTES, RosterRejected, parse_csv
from app.services.roster_import import RosterDiff
from app.views.roster import Fault, RosterPreview, fault_summary, faults, preview
from state.identity import current_identity
from state.language import messages

ROUTE = "/admin/roster"
UPLOAD_ID = "roster-file"


class AdminRosterState(rx.State):
    prisons: list[list[str]] = []  # [code, "code name"]
    prison: str = ""
    file_name: str = ""
    view: RosterPreview = RosterPreview()
    previewed: bool = False
    applied: bool = False
    errors: list[Fault] = []
    message: str = ""  # why nothing was changed
    notice: str = ""  # what was done
    _file: bytes = b""
    _digest: str = ""

    @rx.event
    async def load(self):
        who = current_identity(self.router.headers.cookie)
        if who is None:
            return
        with transaction() as db:
            found = organisation_reads.prisons(db, who, prisons_today())
        self.prisons = [[p.code, f"{p.code} {p.name}"] for p in found]
        asked = str(self.router.url.query_parameters.get("prison", ""))
        codes = [code for code, _ in self.prisons]
        self.prison = asked if asked in codes else (self.prison if self.prison in codes
                                                     else (codes[0] if codes else ""))
        self._forget()

    @rx.event
    def choose_prison(self, code: str):
        if str(code) in [known for known, _ in self.prisons]:
            self.prison = str(code)
            self._forget()

    @rx.event
    def start_over(self):
        self._forget()

    def _forget(self) -> None:
        self.file_name, self.view, self.errors = "", RosterPreview(), []
        self.previewed = self.applied = False
        self.message = self.notice = ""
        self._file, self._digest = b"", ""

    @rx.event
    async def preview(self, files: list[rx.UploadFile]):
        """The chosen file's dry run against the chosen prison; nothing is written."""
        words = await messages(self)
        self._forget()
        # An event from the browser can carry anything in place of the upload.
        if not isinstance(files, list) or not files or not isinstance(files[0], rx.UploadFile):
            self.message = words.t("Choose a CSV file first.")
            return
        data = await files[0].read(MAX_BYTES + 1)
        name = (files[0].name or "")[:120]
        self.file_name = name if name.isprintable() else ""  # said back to the page as JSON
        if len(data) > MAX_BYTES:
            self.message = words.t("The file is larger than {limit} bytes.",
                                   limit=words.number(MAX_BYTES))
            return
        diff = self._run(data, words, dry_run=True)
        if diff is not None:
            self._file, self._digest, self.previewed = data, diff.digest, True

    @rx.event
    async def apply(self):
        """Import the previewed bytes, if the database still gives the diff that was shown."""
        words = await messages(self)
        if not self._file:
            return
        diff = self._run(self._file, words, dry_run=False, expect=self._digest)
        if diff is not None:
            self._file, self._digest, self.previewed, self.applied = b"", "", False, True
            self.notice = words.t("Roster imported. Released prisoners have left the tablets' "
                                  "rosters.")

    def _run(self, data: bytes, words: Messages, *, dry_run: bool, expect: str | None = None
             ) -> RosterDiff | None:
        who = current_identity(self.router.headers.cookie)
        if who is None:
            return None
        try:
            diff = _import(who, self.prison, data, dry_run=dry_run, expect=expect)
        except RosterRejected as rejected:
            self.message, self.errors = fault_summary(rejected.total, words), faults(
                rejected.errors, words)
            return None
        except roster_import.PreviewOutdated:
            self.message = words.t("The roster changed since the preview: preview the file "
                                   "again.")
            self.previewed = False
            return None
        except roster_import.UnknownPrison:
            self.message = words.t("There is no prison with this code.")
            return None
        self.view = preview(diff, words)
        return diff


def _import(who: Identity, prison: str, data: bytes, *, dry_run: bool, expect: str | None
            ) -> RosterDiff:
    roster = parse_csv(data)  # before the transaction: no lock held while parsing
    with transaction() as db:
        return roster_import.import_roster(db, who, prison, roster, now=utc_now(),
                                           dry_run=dry_run, expect=expect)
