"""Reading a roster file: a prison management system's export, as CSV or JSON, into checked rows.

Everything that can be checked without the database is checked here, every row at once, so the
person fixing the file sees all its faults together. Each fault names the line of the CSV (the
header is line 1) or the item of the JSON list (the first is 1) and the column. Names are kept as
the prison writes them, Cyrillic or Latin, only normalised to NFC so that the same name typed two
ways is not taken for a rename. The database's rules (wings) are app/services/roster_import.py.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.i18n.messages import Messages, N_

# The columns, in the order an export is expected to have them; the last may be left out.
NUMBER, GIVEN, FAMILY, WING, ADMITTED, RELEASED = (
    "prisoner_number", "given_name", "family_name", "wing", "admitted_on", "released_on")
COLUMNS = (NUMBER, GIVEN, FAMILY, WING, ADMITTED, RELEASED)
REQUIRED = COLUMNS[:-1]
# The database's column widths (app/models.py: Prisoner, Wing).
LIMITS = {NUMBER: 32, GIVEN: 80, FAMILY: 80, WING: 16}
MAX_ROWS = 50_000
# 20 000 prisoners are about 1.5 MB of CSV and 4 MB of JSON, more than the app takes in one
# request (settings.max_request_bytes): a roster, through the API or the page, may have this.
MAX_BYTES = 16 * 1024 * 1024
MAX_ERRORS = 100  # told at once; a file with more is usually in the wrong format altogether
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER_MARKS = frozenset("-/.")
# Control, format, private and unassigned characters, and line or paragraph separators: not in
# a name (a format character can make two names look alike).
_UNSEEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


@dataclass(frozen=True)
class RowError:
    """One fault: `line` of the CSV (or item of the JSON list; 0: the file as a whole), the
    `column` at fault ("" for the whole line), a code for programs and a message id for people."""

    line: int
    column: str
    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:  # English, for logs and tests
        return f"line {self.line}, {self.column or '-'}: {self.message.format(**self.params)}"

    def said(self, words: Messages) -> str:
        """The message in the reader's language, its numbers written their way."""
        return words.t(self.message, **{key: words.number(value) if isinstance(value, int)
                                        else value for key, value in self.params.items()})


class RosterRejected(Exception):
    """The file, or what it asks of the database, is wrong: nothing was changed."""

    def __init__(self, errors: list[RowError]) -> None:
        errors = sorted(errors, key=lambda error: error.line)  # stable: columns keep their order
        super().__init__("; ".join(str(error) for error in errors[:3]))
        self.errors = errors[:MAX_ERRORS]
        self.total = len(errors)


@dataclass(frozen=True)
class RosterRow:
    line: int
    number: str
    given_name: str
    family_name: str
    wing: str
    admitted_on: date
    released_on: date | None


@dataclass(frozen=True)
class RosterFile:
    """The rows without faults, and the faults of the others: the import adds what only the
    database can tell (the wings) and refuses the file if there is any (roster_import)."""

    rows: list[RosterRow]
    faults: list[RowError]
    sha256: str  # of the bytes as received: the audit row names the exact file
    format: str  # "csv" or "json"


# --- the two formats ---------------------------------------------------------------------------


def parse_csv(data: bytes) -> RosterFile:
    """A CSV with a header line naming the columns (any order, any case), UTF-8 with or without
    a byte order mark, separated by commas or, as spreadsheets in many locales save it, by
    semicolons."""
    text = _decoded(data)
    if not text.strip():
        raise RosterRejected([RowError(1, "", "empty", N_("The file is empty."))])
    first = text.partition("\n")[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    # Lines end at \n, \r\n or \r only, as an editor counts them (not at U+2028 and the like).
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [name.strip().lower() for name in next(reader)]
        columns = _header(header)
        records: list[tuple[int, dict[str, str]]] = []
        errors: list[RowError] = []
        start = reader.line_num + 1
        for values in reader:
            line, start = start, reader.line_num + 1
            if not any(value.strip() for value in values):
                continue  # a blank line, often the last one
            if len(values) != len(header):
                errors.append(RowError(line, "", "field_count",
                                       N_("This line has {found} fields; the header has "
                                          "{expected}."),
                                       {"found": len(values), "expected": len(header)}))
                continue
            records.append((line, {name: values[i] for name, i in columns.items()}))
    except csv.Error:
        raise RosterRejected([RowError(reader.line_num, "", "csv_syntax",
                                       N_("This line is not valid CSV (check the quotes)."))]
                             ) from None
    return RosterFile(_checked(records, errors), errors, _digest(data), "csv")


def parse_json(data: bytes) -> RosterFile:
    """A JSON list of objects with the CSV's column names as keys; dates as "YYYY-MM-DD" text,
    released_on left out or null when the prisoner is held."""
    try:
        body = json.loads(_decoded(data))
    except ValueError:
        raise RosterRejected([RowError(0, "", "json_syntax",
                                       N_("The body is not valid JSON."))]) from None
    if not isinstance(body, list):
        raise RosterRejected([RowError(0, "", "not_a_list",
                                       N_("The body must be a list of prisoners."))])
    records: list[tuple[int, dict[str, str]]] = []
    errors: list[RowError] = []
    for item, entry in enumerate(body, start=1):
        if not isinstance(entry, dict):
            errors.append(RowError(item, "", "not_an_object",
                                   N_("Each prisoner must be an object.")))
            continue
        errors += [RowError(item, str(key)[:40], "unknown_column",
                            N_("This is not a column of a roster."))
                   for key in entry if key not in COLUMNS]
        values = {}
        for name in COLUMNS:
            value = entry.get(name)
            if value is not None and not isinstance(value, str):
                errors.append(RowError(item, name, "not_text", N_("Must be text.")))
                value = None
            values[name] = value or ""
        records.append((item, values))
    return RosterFile(_checked(records, errors), errors, _digest(data), "json")


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise RosterRejected([RowError(line, "", "not_utf8",
                                       N_("The file must be UTF-8 text."))]) from None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _header(header: list[str]) -> dict[str, int]:
    """Column name -> position, refusing unknown, repeated and missing columns."""
    errors = [RowError(1, name[:40], "unknown_column", N_("This is not a column of a roster."))
              for name in header if name not in COLUMNS]
    errors += [RowError(1, name, "repeated_column", N_("This column appears twice."))
               for name in COLUMNS if header.count(name) > 1]
    errors += [RowError(1, name, "missing_column", N_("This column is missing."))
               for name in REQUIRED if name not in header]
    if errors:
        raise RosterRejected(errors)
    return {name: header.index(name) for name in COLUMNS if name in header}


# --- the rows ----------------------------------------------------------------------------------


def _checked(records: list[tuple[int, dict[str, str]]], errors: list[RowError]
             ) -> list[RosterRow]:
    if len(records) > MAX_ROWS:
        raise RosterRejected([RowError(0, "", "too_many_rows",
                                       N_("A roster may have at most {limit} prisoners."),
                                       {"limit": MAX_ROWS})])
    rows: list[RosterRow] = []
    first_line: dict[str, int] = {}
    for line, values in records:
        # Repeats are found on every line, even one with other faults.
        number = unicodedata.normalize("NFC", values[NUMBER].strip())
        if number in first_line:
            errors.append(RowError(line, NUMBER, "repeated_number",
                                   N_("This prisoner number is already on line {line}."),
                                   {"line": first_line[number]}))
            continue
        if number:
            first_line[number] = line
        if (row := _row(line, values, errors)) is not None:
            rows.append(row)
    return rows


def _row(line: int, values: dict[str, str], errors: list[RowError]) -> RosterRow | None:
    found = len(errors)
    number = _text(line, NUMBER, values[NUMBER], errors)
    if number and not all(char.isalnum() or char in _NUMBER_MARKS for char in number):
        errors.append(RowError(line, NUMBER, "number_form",
                               N_("Only letters, digits, '-', '/' and '.' may be used.")))
    given = _text(line, GIVEN, values[GIVEN], errors)
    family = _text(line, FAMILY, values[FAMILY], errors)
    wing = _text(line, WING, values[WING], errors)
    admitted = _day(line, ADMITTED, values[ADMITTED], errors, required=True)
    released = _day(line, RELEASED, values.get(RELEASED, ""), errors, required=False)
    if admitted and released and released < admitted:
        errors.append(RowError(line, RELEASED, "released_before_admitted",
                               N_("The release date cannot be before the admission date.")))
    if len(errors) > found or admitted is None:
        return None
    return RosterRow(line, number, given, family, wing, admitted, released)


def _text(line: int, column: str, raw: str, errors: list[RowError]) -> str:
    value = unicodedata.normalize("NFC", raw.strip())
    if not value:
        errors.append(RowError(line, column, "required", N_("This field is required.")))
    elif len(value) > LIMITS[column]:
        errors.append(RowError(line, column, "too_long",
                               N_("At most {limit} characters."), {"limit": LIMITS[column]}))
    elif any(unicodedata.category(char) in _UNSEEN for char in value):
        errors.append(RowError(line, column, "control_character",
                               N_("Contains a control or invisible character.")))
    return value


def _day(line: int, column: str, raw: str, errors: list[RowError], *, required: bool
         ) -> date | None:
    value = raw.strip()
    if not value:
        if required:
            errors.append(RowError(line, column, "required", N_("This field is required.")))
        return None
    try:
        if not _ISO_DAY.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        errors.append(RowError(line, column, "bad_date",
                               N_("Not a date: write it as YYYY-MM-DD.")))
        return None
