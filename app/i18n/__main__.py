"""`python -m app.i18n extract|export|check`: keep the catalogues and the island's copy current.

- extract [locale ...]: collect t(), tn() and N_() texts from the code (babel.cfg) into
  po/messages.pot, and merge it into every hand-written .po, or the named ones (new texts empty,
  gone ones dropped). A translator then fills the empty ones.
- export: write the capture island's texts per locale to assets/island/messages/, which the
  service worker keeps with the app shell so the capture page speaks offline.
- check: exit 1 when the template or the island's copy is not what the code gives
  (tests/test_messages.py runs the same comparison).
"""

from __future__ import annotations

import io
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from app.i18n.locales import INTL_TAGS, Locale, babel_locale
from app.i18n.formats import island_calendar
from app.i18n.labels import island_labels
from app.i18n.messages import DOMAIN, PO_DIR, every_text, po_path, speaking, written_by_hand

ROOT = Path(__file__).resolve().parents[2]
ISLAND_DIR = ROOT / "assets" / "island" / "messages"
KEYWORDS = {"t": (1,), "tn": (1, 2), "N_": (1,), "N_plural": (1, 2)}
FIXED_DATE = datetime(2026, 12, 1, tzinfo=UTC)
ISLAND_SOURCES = "assets/"  # a text used under here is exported for the island


def _searched(path: str) -> bool:
    name = Path(path).name
    return not name.startswith((".", "_")) and name not in ("node_modules", "reflex.lock")


def extracted() -> Catalog:
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog(domain=DOMAIN, project="Wingwatch", version="1",
                      msgid_bugs_address="", copyright_holder="", fuzzy=False)
    for path, line, message, comments, context in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS, comment_tags=("i18n:",),
            strip_comment_tags=True, directory_filter=_searched):
        catalog.add(message, None, [(path, line)], auto_comments=comments, context=context)
    return catalog


def _po_bytes(catalog: Catalog, **options: object) -> bytes:
    # Files without line numbers: an edit that moves a text but keeps it leaves the catalogues
    # alone, so they change only with the words (and two people's edits rarely collide there).
    out = io.BytesIO()
    write_po(out, catalog, omit_header=False, width=100, sort_output=True, include_lineno=False,
             **options)
    return out.getvalue()


def template_bytes() -> bytes:
    # No dates in the header, so the template changes only when the texts do.
    catalog = extracted()
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    return _po_bytes(catalog)


def island_files() -> dict[Path, str]:
    files = {}
    for locale in Locale:
        body = {"locale": locale.value, "intl": INTL_TAGS[locale],
                "messages": every_text(locale, where=ISLAND_SOURCES),
                "labels": island_labels(speaking(locale)),
                "calendar": island_calendar(locale)}
        files[ISLAND_DIR / f"{locale.value}.json"] = json.dumps(
            body, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return files


def extract(only: list[str]) -> None:
    """The template from the code, merged into the named locales' .po files (all if none)."""
    (PO_DIR / f"{DOMAIN}.pot").write_bytes(template_bytes())
    with (PO_DIR / f"{DOMAIN}.pot").open("rb") as handle:
        template = read_po(handle)
    for locale in Locale:
        if not written_by_hand(locale) or (only and locale.value not in only):
            continue
        path = po_path(locale)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=babel_locale(locale), domain=DOMAIN)
        else:
            catalog = Catalog(locale=babel_locale(locale), domain=DOMAIN, project="Wingwatch")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.language_team = locale.value
        path.write_bytes(_po_bytes(catalog, ignore_obsolete=True, include_previous=False))


def export() -> None:
    ISLAND_DIR.mkdir(exist_ok=True)
    for path, text in island_files().items():
        path.write_text(text, encoding="utf-8")


def stale() -> list[str]:
    out = []
    if (PO_DIR / f"{DOMAIN}.pot").read_bytes() != template_bytes():
        out.append("po/messages.pot: run `python -m app.i18n extract`")
    for path, text in island_files().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            out.append(f"{path.name}: run `python -m app.i18n export`")
    return out


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "extract":
        extract(argv[1:])
    elif command == "export":
        export()
    elif command == "check":
        problems = stale()
        print("\n".join(problems) or "catalogues current")
        return 1 if problems else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
