"""The subject-access report as a PDF (issue 12 item 6): made with ReportLab from the same
document the page shows, it opens in a PDF reader (pypdf), holds the expected entries and the
redaction marks, and Cyrillic and Albanian text extracts as written (DejaVu Sans embedded)."""

from __future__ import annotations

import io
import re
import secrets
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.db import unit_of_work
from app.i18n.locales import Locale
from app.i18n.messages import Messages
from app.models import Posting, Prison, Prisoner, User, Wing
from app.runtime import ingest_context
from app.services import access_report, access_report_pdf, observations
from app.services.access_report_pdf import Document, Entry, Field, Section
from app.settings import get_settings
from app.views import dpo as views
from app.vocabulary import PostingScope, Role
from tests.helpers import POSTED_SINCE, T0, identity
from tests.screening_data import observe

ZONE = get_settings().zone
CYRILLIC = "Рекао је двојици затвореника да ће чувари „платити“. Љутит, није идеолошки."
ALBANIAN = "Tha se rojet do të paguajnë; çështja u ngrit në oborr."
OFFICER = "Марко Ђурђевић"


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """The extracted text with line breaks and runs of spaces as one space (a reader breaks
    lines where the layout does)."""
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def report():
    """A prisoner on a wing of its own with an officer whose name is in Cyrillic: one
    observation in Serbian Cyrillic with an addendum in Albanian."""
    with unit_of_work() as db:
        prison_id = db.scalar(select(Prison.id).where(Prison.code == "DEMO"))
        wing = Wing(prison_id=prison_id, code=f"P{secrets.token_hex(3)}", name="PDF tests")
        officer = User(username=f"pdf-{secrets.token_hex(4)}", display_name=OFFICER,
                       role=Role.OFFICER, password_hash="x", prison_id=prison_id, created_at=T0)
        dpo = User(username=f"pdfd-{secrets.token_hex(4)}", display_name="Data Protector",
                   role=Role.DATA_PROTECTION, password_hash="x", created_at=T0)
        db.add(wing)
        db.flush()
        prisoner = Prisoner(prison_id=prison_id, wing_id=wing.id,
                            number=f"Ж-{secrets.token_hex(3)}", given_name="Љубомир",
                            family_name="Krasniqi")
        db.add_all([wing, officer, dpo, prisoner,
                    Posting(user=officer, scope=PostingScope.WING, wing=wing,
                            prison_id=prison_id, valid_from=POSTED_SINCE, created_at=T0),
                    Posting(user=dpo, scope=PostingScope.CENTRAL, valid_from=POSTED_SINCE,
                            created_at=T0)])
        db.flush()
        ids = prisoner.id, officer.username, dpo.username
    prisoner_id, officer_name, dpo_name = ids
    obs = observe(prisoner_id, flag=False, facts=CYRILLIC, author=officer_name, now=T0)
    with unit_of_work() as db:
        observations.add_addendum(db, identity(officer_name), obs, ALBANIAN,
                                  T0 + timedelta(minutes=3), ingest_context().cipher, Locale.SQ)
    with unit_of_work() as db:
        made = access_report.produce(db, identity(dpo_name), prisoner_id, T0.date(), T0.date(),
                                     T0, ingest_context().cipher, form="pdf", zone=ZONE)
    return made


@pytest.mark.parametrize("locale", [Locale.EN, Locale.SR_CYRL])
def test_the_pdf_opens_and_holds_the_entries_the_marks_and_the_region_s_letters(report, locale):
    words = Messages(locale, ZONE)
    document = views.document(words, report, {})
    pdf = access_report_pdf.render(document)
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    assert reader.metadata.title == document.title
    text = flat(text_of(pdf))
    mark = words.t(views.MARK)
    assert f"{OFFICER} {mark}" in text  # the officer's name, marked
    assert text.count(mark) >= 3  # by the entry, the addendum and the summary
    assert flat(CYRILLIC) in text
    assert flat(ALBANIAN) in text
    assert report.prisoner.number in text and "Љубомир Krasniqi" in text
    for heading in (document.title, words.t("Observations"), words.t("Screening"),
                    words.t("Recipients"), words.t("Redaction summary"), words.t("Facts"),
                    words.t("Addendum")):
        assert flat(heading) in text, heading
    assert flat(words.t("As written: check for third parties named in it.")) in text


def test_markup_in_free_text_is_printed_as_text_not_read_as_markup():
    document = Document(title="T", sections=[Section("S", blocks=[Entry("E", [
        Field("Facts", "<b>bold?</b> & <font size=40>big</font>", free=True),
        Field("By", "Officer", staff="A & B <x>")])])], mark="[REDACT]",
        redaction_heading="R", redaction_intro="1", redactions=["A & B <x>"], footer="f")
    text = flat(text_of(access_report_pdf.render(document)))
    assert "<b>bold?</b> & <font size=40>big</font>" in text
    assert "A & B <x> [REDACT]" in text


def test_without_the_font_the_pdf_is_refused_with_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(access_report_pdf, "FONT_DIRS", (tmp_path,))
    monkeypatch.delenv(access_report_pdf.FONT_ENV, raising=False)
    with pytest.raises(access_report_pdf.FontMissing, match="fonts-dejavu-core"):
        access_report_pdf._font_dir()
