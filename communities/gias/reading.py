"""Reading the register's files: decoding, CSV rows, and each value parsed and checked.

The first thing that cannot be read raises `GiasImportError` with its file, row number
(the header is row 1, as in a spreadsheet), column and reason.
"""

import codecs
import csv
import datetime
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from communities.models import PREDECESSOR_LINK_TYPES, SUCCESSOR_LINK_TYPES, School, SchoolLink

# Register column -> School field, in the order rows are compared.
REGISTER_COLUMNS = {
    "EstablishmentName": "name",
    "LA (name)": "local_authority",
    "LA (code)": "la_code",
    "EstablishmentNumber": "establishment_number",
    "PhaseOfEducation (name)": "phase",
    "TypeOfEstablishment (name)": "establishment_type",
    "EstablishmentTypeGroup (name)": "establishment_type_group",
    "Postcode": "postcode",
    "EstablishmentStatus (name)": "status",
    "OpenDate": "opened_on",
    "CloseDate": "closed_on",
    "LastChangedDate": "gias_last_changed_on",
}
FIELDS = tuple(REGISTER_COLUMNS.values())
LINK_COLUMNS = ("URN", "LinkURN", "LinkType", "LinkEstablishedDate")
STATUSES = {
    "open": School.Status.OPEN.value,
    "open, but proposed to close": School.Status.PROPOSED_TO_CLOSE.value,
    "proposed to open": School.Status.PROPOSED_TO_OPEN.value,
    "closed": School.Status.CLOSED.value,
}
DATE_FIELDS = {"opened_on", "closed_on", "gias_last_changed_on"}

_URN = re.compile(r"\d{6}")
_DATE = re.compile(r"(\d{2})-(\d{2})-(\d{4})")
# Control characters other than tab: PostgreSQL cannot store NUL, and none belongs in a
# school's details.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


class GiasImportError(Exception):
    """A file that cannot be imported, with where and why."""

    def __init__(self, reason: str, *, file: str = "register", row=None, column=None):
        self.reason, self.file, self.row, self.column = reason, file, row, column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [f"{self.file.capitalize()} file"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.reason} Nothing was imported."


@contextmanager
def _binary(source):
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            yield handle
        return
    if hasattr(source, "seek"):
        source.seek(0)
    yield source


def _decoded_lines(binary: Iterable[bytes], label: str) -> Iterator[str]:
    """Lines of a Windows-1252 file as text; a UTF-8 or UTF-16 file is refused."""
    for number, raw in enumerate(binary, start=1):
        if number == 1:
            _refuse_byte_order_mark(raw, label)
        if raw.isascii():
            yield raw.decode("ascii")
            continue
        if _is_utf8(raw):
            raise GiasImportError(
                "the file is UTF-8 encoded, but the register is published in Windows-1252. "
                "Upload the file as downloaded from GIAS, or save it as 'CSV' (not 'CSV UTF-8').",
                file=label,
                row=number,
            )
        try:
            yield raw.decode("cp1252")
        except UnicodeDecodeError as error:
            raise GiasImportError(
                f"byte {raw[error.start]:#04x} is not Windows-1252 text; is this a GIAS file?",
                file=label,
                row=number,
            ) from None


def _refuse_byte_order_mark(raw: bytes, label: str) -> None:
    if raw.startswith(codecs.BOM_UTF8):
        encoding = "UTF-8"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "UTF-16"
    else:
        return
    raise GiasImportError(
        f"the file is {encoding} encoded (it starts with a byte-order mark), but the register "
        "is published in Windows-1252. Upload the file as downloaded from GIAS.",
        file=label,
        row=1,
    )


def _is_utf8(raw: bytes) -> bool:
    # Windows-1252 text almost never forms valid multi-byte UTF-8 sequences ("à " does
    # not); UTF-8 text read as Windows-1252 would turn "à" into "Ã\xa0".
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def csv_rows(source, *, label: str, columns: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """(row number, values of `columns`) for each row; checks the header and widths."""
    columns = list(columns)
    with _binary(source) as binary:
        reader = csv.reader(_decoded_lines(binary, label))
        try:
            header = next(reader, None)
            if header is None or not any(name.strip() for name in header):
                raise GiasImportError("the file is empty.", file=label)
            positions = _positions(header, columns, label)
            yield from _records(reader, positions, len(header), label)
        except csv.Error as error:
            raise GiasImportError(
                f"the CSV cannot be read ({error}).", file=label, row=reader.line_num
            ) from None


def _positions(header: list[str], columns: list[str], label: str) -> list[int]:
    index = {name.strip(): position for position, name in enumerate(header)}
    missing = [column for column in columns if column not in index]
    if missing:
        raise GiasImportError(
            f"required column{'s' if len(missing) > 1 else ''} missing: "
            f"{', '.join(missing)}. Is this the right file?",
            file=label,
            row=1,
        )
    return [index[column] for column in columns]


def _records(reader, positions: list[int], width: int, label: str):
    number = 1
    for record in reader:
        if not record:
            continue
        number += 1
        if len(record) != width:
            raise GiasImportError(
                f"the row has {len(record)} fields but the header has {width}.",
                file=label,
                row=number,
            )
        yield number, [record[position] for position in positions]
    if number == 1:
        raise GiasImportError("the file has a header but no rows.", file=label)


# Parsing values -----------------------------------------------------------------------


def parse_urn(value: str) -> str:
    value = value.strip()
    if not _URN.fullmatch(value):
        raise ValueError(f"{value!r} is not a URN (six digits, for example 100000).")
    return value


@functools.lru_cache(maxsize=8192)
def parse_date(value: str) -> datetime.date | None:
    value = value.strip()
    if not value:
        return None
    match = _DATE.fullmatch(value)
    try:
        if match is None:
            raise ValueError
        day, month, year = (int(part) for part in match.groups())
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"{value!r} is not a date in the form dd-mm-yyyy.") from None


def _status(value: str) -> str:
    try:
        return STATUSES[value.strip().lower()]
    except KeyError:
        known = ", ".join(f"'{label}'" for label in School.Status.labels)
        raise ValueError(f"{value.strip()!r} is not a status this app knows ({known}).") from None


def _text_parser(field_name: str) -> Callable[[str], str]:
    max_length = School._meta.get_field(field_name).max_length
    required = not School._meta.get_field(field_name).blank

    def parse(value: str) -> str:
        if not value.isprintable():  # the quick test; most values pass it
            refuse_control_characters(value)
        value = value.strip()
        if required and not value:
            raise ValueError("is empty.")
        if len(value) > max_length:
            raise ValueError(f"is longer than {max_length} characters.")
        return value

    return parse


def refuse_control_characters(value: str) -> None:
    found = _CONTROL.search(value)
    if found:
        raise ValueError(
            f"contains a control character ({ord(found.group()):#04x} at character "
            f"{found.start() + 1}), which cannot be stored. Is the file damaged?"
        )


REGISTER_PARSERS = [
    parse_date if name in DATE_FIELDS else _status if name == "status" else _text_parser(name)
    for name in FIELDS
]


def parse_row(number: int, values: list[str], columns: list[str], parsers, label: str):
    parsed = []
    for column, parser, value in zip(columns, parsers, values, strict=True):
        try:
            parsed.append(parser(value))
        except ValueError as error:
            raise GiasImportError(str(error), file=label, row=number, column=column) from None
    return parsed


# The link types that decide a school's lineage, by their case-folded spelling: a file
# that writes "predecessor - Merged" still says what the register means by it.
_LINEAGE_TYPES = {t.casefold(): t for t in PREDECESSOR_LINK_TYPES | SUCCESSOR_LINK_TYPES}


def parse_link_type(value: str) -> str:
    refuse_control_characters(value)
    value = value.strip()
    if not value:
        raise ValueError("is empty.")
    if len(value) > SchoolLink._meta.get_field("link_type").max_length:
        raise ValueError("is too long for a link type.")
    return _LINEAGE_TYPES.get(value.casefold(), value)
