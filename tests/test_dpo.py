"""The data-protection officer (issue 12 item 6): a role of its own, posted like a security
head (one prison or the central service), which an administrator creates and posts; the demo
account dpo1; and the /dpo page's state from search to PDF, each step as the page runs it."""

from __future__ import annotations

import base64
import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app import migrate, policy
from app.clock import utc_now
from app.db import make_engine, unit_of_work
from app.i18n.labels import ROLE_LABELS
from app.models import AuditEntry, Posting, Prisoner, User
from app.services import account_import, admin_accounts, demo, posting_changes
from app.services.access_report_subject import REPORT_MADE
from app.services.admin_refusals import Refused
from app.services.audit import Action
from app.services.posting_changes import NewPosting
from app.settings import get_settings
from app.vocabulary import PostingScope, Role
from state.dpo import ROUTE, DpoState
from tests.account_data import admin, fresh_name, fresh_prison
from tests.helpers import identity
from tests.screening_data import new_prisoner, observe
from tests.test_page_params_fuzz import StandIn, router, run_handler, session_cookie


def test_it_is_a_role_of_its_own_with_its_own_home_page_and_label():
    assert policy.HOME[Role.DATA_PROTECTION] == "/dpo"
    assert policy.page_allowed("/dpo", Role.DATA_PROTECTION)
    for role in (Role.ADMIN, Role.TREATMENT, Role.SECURITY_HEAD, Role.OFFICER):
        assert not policy.page_allowed("/dpo", role)
    assert ROLE_LABELS[Role.DATA_PROTECTION] == "Data-protection officer"


def test_an_administrator_creates_one_and_posts_it_to_a_prison_or_the_central_service():
    prison = fresh_prison()
    local, central = _created("Local Protector", prison.code), _created("Central One", "")
    today = date.today()
    _post(local, PostingScope.PRISON, today)
    _post(central, PostingScope.CENTRAL, today)
    assert identity(local).prison_id == prison.id and not identity(local).central
    assert identity(central).central
    with pytest.raises(Refused) as refused:
        _post(_created("Winged", prison.code), PostingScope.WING, today, wing="A")
    assert refused.value.code == "wrong_scope"
    assert posting_changes.SCOPES[Role.DATA_PROTECTION] == posting_changes.SCOPES[
        Role.SECURITY_HEAD]


def _created(name: str, prison_code: str) -> str:
    with unit_of_work() as db:
        return admin_accounts.create_user(db, admin(), admin_accounts.NewUser(
            fresh_name(), name, Role.DATA_PROTECTION, "en", prison_code), utc_now()).username


def _post(username: str, scope: PostingScope, first: date, wing: str = "") -> None:
    with unit_of_work() as db:
        posting_changes.add_posting(db, admin(), username, NewPosting(scope, first, wing=wing),
                                    utc_now())


def test_a_csv_import_posts_one_to_its_prison_or_to_the_central_service():
    prison = fresh_prison()
    local, central = fresh_name(), fresh_name()
    text = ("username,display_name,role,locale,prison,wings,valid_from\n"
            f"{local},Local Import,data_protection,hr,{prison.code},,\n"
            f"{central},Central Import,data_protection,en,,,\n")
    with unit_of_work() as db:
        assert account_import.apply(db, admin(), text, utc_now()).ok
    assert identity(local).prison_id == prison.id and identity(central).central


def test_the_demo_has_dpo1_posted_to_the_central_service():
    username = dict((a[0], a) for a in demo.ACCOUNTS)["dpo1"][0]
    who = identity(username)
    assert who.role == Role.DATA_PROTECTION and who.central and who.prison_id is None
    with unit_of_work() as db:
        assert db.scalar(select(User.locale).where(User.username == "dpo1")) == "hr"


def test_a_demo_database_from_before_the_role_gains_dpo1_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    migrate.upgrade(url)
    with Session(make_engine(url)) as db:
        assert demo.seed(db, utc_now()) and not demo.seed(db, utc_now())
        dpo1 = db.scalars(select(User).where(User.username == "dpo1")).one()
        db.execute(delete(Posting).where(Posting.user_id == dpo1.id))
        db.delete(dpo1)
        db.flush()
        assert demo.seed(db, utc_now())  # the prison was there: only dpo1 is added
        assert db.scalar(select(func.count()).select_from(Prisoner)) == 60
        assert db.scalars(select(User.role).where(User.username == "dpo1")).one() == \
            Role.DATA_PROTECTION
        assert not demo.seed(db, utc_now())


def test_make_user_makes_one_of_a_prison_or_of_the_central_service(make_user):
    assert identity(make_user(Role.DATA_PROTECTION)).prison_id is not None
    assert identity(make_user(Role.DATA_PROTECTION, central=True)).central


def page_of(username: str) -> StandIn:
    page = StandIn(DpoState, router(session_cookie(username), ROUTE), _prisoner_id="",
                   _period=[])
    run_handler(DpoState, "load", page)
    return page


def test_the_page_finds_restricts_lifts_produces_prints_and_downloads(make_user):
    dpo = make_user(Role.DATA_PROTECTION)
    prisoner = new_prisoner()
    observe(prisoner, facts="Shouted at the gate: a made-up line for the page test.",
            now=utc_now())
    with unit_of_work() as db:
        number = db.get(Prisoner, prisoner).number
    page = page_of(dpo)
    assert page.prisons == [["DEMO", "DEMO · Demo Penitentiary Centre"]]
    assert page.prison == "DEMO" and page.since and page.until
    run_handler(DpoState, "find", page, {"prison": "DEMO", "number": "no-such"})
    assert not page.card.found and page.message == "No prisoner with this number in this prison."
    run_handler(DpoState, "find", page, {"prison": "DEMO", "number": number})
    assert page.card.found and page.card.number == number and not page.card.restricted

    run_handler(DpoState, "restrict", page, {"ground": "evidence_only", "reason": "short"})
    assert "at least 10 characters" in page.message and not page.card.restricted
    run_handler(DpoState, "restrict", page, {"ground": "evidence_only",
                                             "reason": "Kept for the court case of May."})
    assert page.card.restricted and page.message == "" and "Restriction placed" in page.notice
    (line,) = page.card.restrictions
    run_handler(DpoState, "ask_lift", page, str(line.id + 999))
    assert page.lifting == 0
    run_handler(DpoState, "ask_lift", page, line.id)
    assert page.lifting == line.id
    run_handler(DpoState, "lift", page, {"reason": "The court case was withdrawn."})
    assert not page.card.restricted and page.lifting == 0

    run_handler(DpoState, "produce", page, {"since": "31/12/2026", "until": "01/01/2026"})
    assert page.message == "The last day cannot be before the first." and page.report.title == ""
    today = utc_now().astimezone(get_settings().zone).date()
    run_handler(DpoState, "produce", page, {  # from yesterday: the entry was an hour ago
        "since": (today - timedelta(days=1)).strftime("%d/%m/%Y"),
        "until": today.strftime("%d/%m/%Y")})
    assert page.report.title == "Subject-access report" and "[REDACT]" == page.report.mark
    assert "Test officer" in page.report.redactions
    assert page._prisoner_id == prisoner  # on the server only: not a field the tab gets
    assert "_prisoner_id" not in page.fields()
    spec = run_handler(DpoState, "download_pdf", page)
    url = spec.args[0][1]._js_expr  # rx.download's data: URL
    pdf = base64.b64decode(url.split("base64,", 1)[1].rstrip('"'))
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Subject-access report" in text and number in text
    run_handler(DpoState, "print_report", page)
    assert '"call": "print"' in page._session.signal
    with unit_of_work() as db:
        forms = [entry.detail for entry in db.scalars(select(AuditEntry).where(
            AuditEntry.actor_id == identity(dpo).user_id, AuditEntry.action == Action.DISCLOSE,
            AuditEntry.purpose == REPORT_MADE).order_by(AuditEntry.seq))]
    assert [f.split('"form": ')[1].split('"')[1] for f in forms] == ["page", "pdf", "print"]


def test_a_forged_prison_is_refused_logged_and_leaves_nothing_on_the_page(make_user):
    dpo = make_user(Role.DATA_PROTECTION)
    other = fresh_prison()
    page = page_of(dpo)
    run_handler(DpoState, "find", page, {"prison": other.code, "number": "1"})
    assert page.message == "Not allowed" and not page.card.found
    with unit_of_work() as db:
        purposes = db.scalars(select(AuditEntry.purpose).where(
            AuditEntry.actor_id == identity(dpo).user_id)).all()
    assert "access_report.refused" in purposes
