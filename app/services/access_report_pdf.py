"""The subject-access report as a document: the shape both the /dpo page and the PDF show
(app/views/dpo.py fills it in the reader's language), and the PDF made from it with ReportLab.

The PDF embeds DejaVu Sans (Debian's fonts-dejavu-core, which scripts/lib.sh installs): the
region's Latin letters (č, ć, đ, š, ž, ë, ç), Serbian and Macedonian Cyrillic all render and
extract as text. Staff names carry the redaction mark in red; free text is set apart with the
note that third parties named in it must be checked before release.

Plain Python: no web framework.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

FONT_ENV = "WINGWATCH_REPORT_FONT_DIR"
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/local/share/fonts/dejavu"))
REGULAR, BOLD = "WingwatchSans", "WingwatchSans-Bold"
MARK_COLOUR = "#b42318"  # the redaction mark: red, as a pen would mark it
MUTED = colors.HexColor("#5b6470")


@dataclass(frozen=True)
class Field:
    """One line of an entry: its label and value, a member of staff's name (marked for
    redaction, after the value), small print (when; the language a text was written in)."""

    label: str
    value: str = ""
    staff: str = ""
    note: str = ""
    free: bool = False  # free text as written: check it for third parties named in it
    lang: str = ""  # the language code of a free text ("" when not known)


@dataclass(frozen=True)
class Entry:
    heading: str
    lines: list[Field] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    heading: str
    intro: str = ""
    blocks: list[Entry] = field(default_factory=list)
    empty: str = ""  # said when there are no entries


@dataclass(frozen=True)
class Document:
    title: str = ""
    facts: list[Field] = field(default_factory=list)  # the prisoner, the period, when, by whom
    notices: list[str] = field(default_factory=list)  # what to do before release
    sections: list[Section] = field(default_factory=list)
    mark: str = ""  # the redaction mark beside each staff name
    free_note: str = ""  # beside each free text
    redaction_heading: str = ""
    redaction_intro: str = ""
    redactions: list[str] = field(default_factory=list)  # every name marked, once
    footer: str = ""  # on every PDF page, before its number
    filename: str = ""  # of the PDF download


class FontMissing(RuntimeError):
    """No DejaVu Sans: the PDF would lose every letter outside Latin-1."""


def _font_dir() -> Path:
    candidates = ([Path(os.environ[FONT_ENV])] if os.environ.get(FONT_ENV) else []) + list(
        FONT_DIRS)
    for directory in candidates:
        if (directory / "DejaVuSans.ttf").is_file() and (directory / "DejaVuSans-Bold.ttf"
                                                         ).is_file():
            return directory
    raise FontMissing("DejaVu Sans not found (Debian: apt-get install fonts-dejavu-core; "
                      f"or set {FONT_ENV} to the folder holding DejaVuSans.ttf)")


@lru_cache(maxsize=1)
def register_fonts() -> str:
    """Register the report's fonts once per process; returns the folder they came from."""
    directory = _font_dir()
    pdfmetrics.registerFont(TTFont(REGULAR, str(directory / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(directory / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR,
                                  boldItalic=BOLD)
    return str(directory)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=REGULAR, fontSize=9.5, leading=13, alignment=TA_LEFT)
    return {
        "base": base,
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=17, leading=22,
                                spaceAfter=6),
        "h2": ParagraphStyle("h2", base, fontName=BOLD, fontSize=13, leading=17, spaceBefore=12,
                             spaceAfter=4),
        "h3": ParagraphStyle("h3", base, fontName=BOLD, fontSize=10.5, leading=14,
                             spaceBefore=8, spaceAfter=2),
        "muted": ParagraphStyle("muted", base, fontSize=8.5, leading=11, textColor=MUTED),
        "free": ParagraphStyle("free", base, leftIndent=8, borderPadding=(3, 4, 3, 6),
                               backColor=colors.HexColor("#f3f4f6"), spaceBefore=2,
                               spaceAfter=2),
        "notice": ParagraphStyle("notice", base, borderPadding=4, borderWidth=0.6,
                                 borderColor=colors.HexColor("#d97706"),
                                 backColor=colors.HexColor("#fffbeb"), spaceBefore=4,
                                 spaceAfter=8),
    }


def _text(value: str) -> str:
    """Text as a Paragraph takes it: markup characters escaped, line breaks kept."""
    return escape(value).replace("\r\n", "\n").replace("\n", "<br/>")


def _marked(name: str, mark: str) -> str:
    return f'{_text(name)} <font color="{MARK_COLOUR}"><b>{_text(mark)}</b></font>'


def _field(item: Field, doc: Document, styles: dict[str, ParagraphStyle]) -> list:
    head = f"<b>{_text(item.label)}</b>"
    if item.value and not item.free:
        head += f": {_text(item.value)}"
    if item.staff:
        head += (" " if item.value and not item.free else ": ") + _marked(item.staff, doc.mark)
    flow: list = [Paragraph(head, styles["base"])]
    if item.free:
        flow.append(Paragraph(_text(item.value), styles["free"]))
    small = [part for part in (item.note, doc.free_note if item.free else "") if part]
    if small:
        flow.append(Paragraph(_text(" · ".join(small)), styles["muted"]))
    return flow


def _entry(entry: Entry, doc: Document, styles: dict[str, ParagraphStyle]) -> list:
    flow: list = [Paragraph(_text(entry.heading), styles["h3"])]
    for item in entry.lines:
        flow += _field(item, doc, styles)
    return [KeepTogether(flow[:3]), *flow[3:]]


def render(doc: Document) -> bytes:
    """The document as a PDF (A4), with the title and page numbers on every page."""
    register_fonts()
    styles = _styles()
    story: list = [Paragraph(_text(doc.title), styles["title"])]
    for item in doc.facts:
        story += _field(item, doc, styles)
    story.append(Spacer(1, 6))
    story += [Paragraph(_text(notice), styles["notice"]) for notice in doc.notices]
    for section in doc.sections:
        story.append(Paragraph(_text(section.heading), styles["h2"]))
        if section.intro:
            story.append(Paragraph(_text(section.intro), styles["muted"]))
        if not section.blocks and section.empty:
            story.append(Paragraph(_text(section.empty), styles["base"]))
        for entry in section.blocks:
            story += _entry(entry, doc, styles)
    story.append(Paragraph(_text(doc.redaction_heading), styles["h2"]))
    story.append(Paragraph(_text(doc.redaction_intro), styles["base"]))
    story += [Paragraph(_marked(name, doc.mark), styles["base"]) for name in doc.redactions]

    def page_furniture(canvas, template) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(18 * mm, 10 * mm, f"{doc.footer} · {template.page}")
        canvas.restoreState()

    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                      topMargin=16 * mm, bottomMargin=18 * mm, title=doc.title,
                      author="Wingwatch", subject=doc.footer, creator="Wingwatch"
                      ).build(story, onFirstPage=page_furniture, onLaterPages=page_furniture)
    return out.getvalue()
