"""Import schools from England's register, Get Information About Schools (GIAS).

The register's "all establishment data" download is a Windows-1252 CSV of about 50,000
rows with a header row, quoted fields and `dd-mm-yyyy` dates; its companion links file
says which establishment succeeded which. `import_gias` upserts schools by URN (adds new
ones, updates changed ones, deletes nothing) and keeps the links. It is all or nothing:
the first row that cannot be read stops the import with its row number, column and
reason, and the transaction writes nothing. A dry run writes nothing either, and lists
the first few establishments it would add, update (with what changes) or mark closed.

Row numbers count the header as row 1, as a spreadsheet does.
"""

import codecs
import csv
import datetime
import functools
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from communities.models import HubMembership, School, SchoolLink

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
BATCH_SIZE = 1000
PROGRESS_EVERY = 10_000
CHANGE_REASON = "GIAS import"
PREDECESSOR_DEPTH = 10
CHANGES_LISTED = 20

_URN = re.compile(r"\d{6}")
_DATE = re.compile(r"(\d{2})-(\d{2})-(\d{4})")
# Control characters other than tab: PostgreSQL cannot store NUL, and none belongs in a
# school's details.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")

Progress = Callable[[str, int, float], None]


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


@dataclass(frozen=True)
class SchoolChange:
    """An establishment a dry run would add, update or mark closed; for an update, the
    fields that would change as (label, from, to) text."""

    urn: str
    name: str
    fields: tuple[tuple[str, str, str], ...] = ()

    def field_lines(self) -> list[str]:
        return [f"{label}: {old} → {new}" for label, old, new in self.fields]

    def line(self) -> str:
        text = f"{self.urn} {self.name}"
        return f"{text}: {'; '.join(self.field_lines())}" if self.fields else text


@dataclass(frozen=True)
class ChangeSection:
    """The establishments listed under one heading ("To add", say), at most
    CHANGES_LISTED of `total`."""

    heading: str
    changes: list[SchoolChange]
    total: int


@dataclass
class GiasImportResult:
    dry_run: bool = False
    rows: int = 0
    added: int = 0
    updated: int = 0
    closed: int = 0
    unchanged: int = 0
    link_rows: int = 0
    links_added: int = 0
    links_updated: int = 0
    links_unchanged: int = 0
    links_skipped: int = 0
    seconds: float = 0.0
    # On a dry run, the first CHANGES_LISTED establishments of each kind of change.
    listed: dict[str, list[SchoolChange]] = field(
        default_factory=lambda: {"added": [], "updated": [], "closed": []}
    )

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.closed)

    @property
    def links_changed(self) -> bool:
        return bool(self.links_added or self.links_updated)

    def summary_lines(self) -> list[str]:
        done = (
            ["to add", "to update", "to mark closed"]
            if self.dry_run
            else ["added", "updated", "marked closed"]
        )
        lines = ["Dry run: nothing was written."] if self.dry_run else []
        lines.append(
            f"Schools: {_rows(self.rows)} read: {self.added:,} {done[0]}, "
            f"{self.updated:,} {done[1]}, {self.closed:,} {done[2]}, "
            f"{self.unchanged:,} unchanged."
        )
        if self.link_rows:
            lines.append(
                f"Links: {_rows(self.link_rows)} read: {self.links_added:,} {done[0]}, "
                f"{self.links_updated:,} {done[1]}, {self.links_unchanged:,} unchanged, "
                f"{self.links_skipped:,} skipped (their school is not in the database)."
            )
        if not self.changed and not self.links_changed:
            lines.append("Nothing changed: the database already matches this file.")
        return lines

    def list_change(self, kind: str, change: Callable[[], SchoolChange]) -> None:
        """On a dry run, keep `change()` (built only if kept) under `kind`, up to
        CHANGES_LISTED of each kind."""
        if self.dry_run and len(self.listed[kind]) < CHANGES_LISTED:
            self.listed[kind].append(change())

    def change_sections(self) -> list[ChangeSection]:
        """What a dry run would change, establishment by establishment, kind by kind."""
        kinds = [
            ("added", "To add", self.added),
            ("updated", "To update", self.updated),
            ("closed", "To mark closed", self.closed),
        ]
        return [
            ChangeSection(
                _listed_heading(heading, len(self.listed[kind]), total), self.listed[kind], total
            )
            for kind, heading, total in kinds
            if self.listed[kind]
        ]

    def change_lines(self) -> list[str]:
        """`change_sections` as text: each heading, then an indented line a school."""
        lines = []
        for section in self.change_sections():
            lines.append(f"{section.heading}:")
            lines.extend(f"  {change.line()}" for change in section.changes)
        return lines


def _listed_heading(heading: str, shown: int, total: int) -> str:
    return heading if shown == total else f"{heading} (the first {shown} of {total:,})"


def _rows(count: int) -> str:
    return f"{count:,} row{'' if count == 1 else 's'}"


def import_gias(
    register,
    *,
    links=None,
    dry_run: bool = False,
    user=None,
    progress: Progress | None = None,
) -> GiasImportResult:
    """Upsert schools from a register file and, optionally, links from a links file.

    `register` and `links` are paths or binary file objects (such as an upload). Raises
    `GiasImportError` for the first thing it cannot read; then nothing is written."""
    started = time.monotonic()
    result = GiasImportResult(dry_run=dry_run)
    writer = _Writer(dry_run=dry_run, user=user)
    with transaction.atomic():
        file_urns = _import_register(register, result, writer, progress)
        if links is not None:
            _import_links(links, result, writer, file_urns)
        if not dry_run:
            result.links_updated += _resolve_links()
    result.seconds = time.monotonic() - started
    return result


# Reading files ------------------------------------------------------------------------


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


def _csv_rows(source, *, label: str, columns: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
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


def _urn(value: str) -> str:
    value = value.strip()
    if not _URN.fullmatch(value):
        raise ValueError(f"{value!r} is not a URN (six digits, for example 100000).")
    return value


@functools.lru_cache(maxsize=8192)
def _date(value: str) -> datetime.date | None:
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
            _refuse_control_characters(value)
        value = value.strip()
        if required and not value:
            raise ValueError("is empty.")
        if len(value) > max_length:
            raise ValueError(f"is longer than {max_length} characters.")
        return value

    return parse


def _refuse_control_characters(value: str) -> None:
    found = _CONTROL.search(value)
    if found:
        raise ValueError(
            f"contains a control character ({ord(found.group()):#04x} at character "
            f"{found.start() + 1}), which cannot be stored. Is the file damaged?"
        )


_PARSERS = [
    _date if name in DATE_FIELDS else _status if name == "status" else _text_parser(name)
    for name in FIELDS
]


def _parse_row(number: int, values: list[str], columns: list[str], parsers, label: str):
    parsed = []
    for column, parser, value in zip(columns, parsers, values, strict=True):
        try:
            parsed.append(parser(value))
        except ValueError as error:
            raise GiasImportError(str(error), file=label, row=number, column=column) from None
    return parsed


# Writing ------------------------------------------------------------------------------


class _Writer:
    """Batches creates and updates, recorded in history; writes nothing on a dry run."""

    def __init__(self, *, dry_run: bool, user):
        self.dry_run, self.user = dry_run, user
        self.when = timezone.now()
        self.pending: dict[tuple, list] = {}

    def add(self, kind: str, model, obj, fields=()) -> None:
        if self.dry_run:
            return
        batch = self.pending.setdefault((kind, model, tuple(fields)), [])
        batch.append(obj)
        if len(batch) >= BATCH_SIZE:
            self.flush(kind, model, tuple(fields))

    def flush(self, kind=None, model=None, fields=None) -> None:
        keys = [(kind, model, fields)] if kind else list(self.pending)
        for key in keys:
            objs = self.pending.pop(key, [])
            if objs:
                self._write(*key, objs)

    def _write(self, kind: str, model, fields: tuple, objs: list) -> None:
        history = {
            "default_user": self.user,
            "default_change_reason": CHANGE_REASON,
            "default_date": self.when,
        }
        if model is SchoolLink:
            if kind == "create":
                SchoolLink.objects.bulk_create(objs, batch_size=BATCH_SIZE)
            else:
                SchoolLink.objects.bulk_update(objs, fields, batch_size=BATCH_SIZE)
        elif kind == "create":
            bulk_create_with_history(objs, School, batch_size=BATCH_SIZE, **history)
        else:
            bulk_update_with_history(objs, School, fields, batch_size=BATCH_SIZE, **history)


_EXTRA = [
    f.attname for f in School._meta.concrete_fields if f.attname not in {"id", "urn", *FIELDS}
]


def _existing_schools() -> dict[str, tuple]:
    """{urn: (pk, values of FIELDS, values of any other column)} in one query."""
    rows = (
        School.objects.filter(urn__isnull=False)
        .order_by()
        .values_list("urn", "pk", *FIELDS, *_EXTRA)
        .iterator(chunk_size=5000)
    )
    split = 2 + len(FIELDS)
    return {row[0]: (row[1], row[2:split], row[split:]) for row in rows}


def _import_register(source, result, writer, progress) -> dict[str, int]:
    existing = _existing_schools()
    columns = ["URN", *REGISTER_COLUMNS]
    parsers = [_urn, *_PARSERS]
    seen: dict[str, int] = {}
    started = time.monotonic()
    for number, values in _csv_rows(source, label="register", columns=columns):
        urn, *parsed = _parse_row(number, values, columns, parsers, "register")
        if urn in seen:
            raise GiasImportError(
                f"URN {urn} appears twice (first on row {seen[urn]}); each establishment "
                "must appear once.",
                row=number,
                column="URN",
            )
        seen[urn] = number
        _upsert_school(urn, tuple(parsed), existing.get(urn), result, writer)
        result.rows += 1
        if progress and result.rows % PROGRESS_EVERY == 0:
            progress("register", result.rows, time.monotonic() - started)
    writer.flush()
    return seen


_NAME, _STATUS = FIELDS.index("name"), FIELDS.index("status")
_STATUS_LABELS = dict(School.Status.choices)


@functools.cache
def _labels() -> tuple[str, ...]:
    """The fields' verbose names, read when first needed (not at import, when translations
    and the app registry may not be ready)."""
    return tuple(str(School._meta.get_field(name).verbose_name) for name in FIELDS)


def _field_changes(old_values: tuple, values: tuple) -> tuple[tuple[str, str, str], ...]:
    """(label, from, to) for each field whose value differs, as text."""
    return tuple(
        (label, _shown(name, old), _shown(name, new))
        for name, label, old, new in zip(FIELDS, _labels(), old_values, values, strict=True)
        if old != new
    )


def _shown(name: str, value) -> str:
    """A value as the register writes it: dates dd-mm-yyyy, statuses by their label."""
    if value is None or value == "":
        return "(blank)"
    if name in DATE_FIELDS:
        return value.strftime("%d-%m-%Y")
    return f"“{_STATUS_LABELS.get(value, value) if name == 'status' else value}”"


def _upsert_school(urn: str, values: tuple, current, result, writer) -> None:
    if current is None:
        result.added += 1
        result.list_change("added", lambda: SchoolChange(urn, values[_NAME]))
        writer.add("create", School, School(urn=urn, **dict(zip(FIELDS, values, strict=True))))
        return
    pk, old_values, extra = current
    if old_values == values:
        result.unchanged += 1
        return
    closing = values[_STATUS] == School.Status.CLOSED and (
        old_values[_STATUS] != School.Status.CLOSED
    )
    if closing:
        result.closed += 1
    else:
        result.updated += 1
    result.list_change(
        "closed" if closing else "updated",
        lambda: SchoolChange(urn, values[_NAME], _field_changes(old_values, values)),
    )
    school = School(pk=pk, urn=urn, **dict(zip(FIELDS, values, strict=True)))
    for name, value in zip(_EXTRA, extra, strict=True):
        setattr(school, name, value)
    writer.add("update", School, school, FIELDS)


def _import_links(source, result, writer, file_urns: dict[str, int]) -> None:
    urn_to_pk = dict(School.objects.filter(urn__isnull=False).order_by().values_list("urn", "pk"))
    if writer.dry_run:
        for urn in file_urns:
            urn_to_pk.setdefault(urn, None)
    existing = {
        (urn, linked_urn, link_type): (pk, linked_id, established_on)
        for pk, urn, linked_urn, link_type, linked_id, established_on in (
            SchoolLink.objects.order_by().values_list(
                "pk", "school__urn", "linked_urn", "link_type", "linked_school_id", "established_on"
            )
        )
    }
    seen: dict[tuple, int] = {}
    parsers = [_urn, _urn, _link_type, _date]
    for number, values in _csv_rows(source, label="links", columns=LINK_COLUMNS):
        urn, linked_urn, link_type, established_on = _parse_row(
            number, values, list(LINK_COLUMNS), parsers, "links"
        )
        key = (urn, linked_urn, link_type)
        if key in seen:
            raise GiasImportError(
                f"the link {urn} → {link_type} {linked_urn} appears twice "
                f"(first on row {seen[key]}).",
                file="links",
                row=number,
            )
        seen[key] = number
        result.link_rows += 1
        if urn not in urn_to_pk:
            result.links_skipped += 1
            continue
        found = (urn_to_pk.get(linked_urn), established_on)
        _upsert_link(key, urn_to_pk[urn], found, existing.get(key), result, writer)
    writer.flush()


def _link_type(value: str) -> str:
    _refuse_control_characters(value)
    value = value.strip()
    if not value:
        raise ValueError("is empty.")
    if len(value) > SchoolLink._meta.get_field("link_type").max_length:
        raise ValueError("is too long for a link type.")
    return value


def _upsert_link(key, school_pk, found, current, result, writer) -> None:
    _, linked_urn, link_type = key
    linked_pk, established_on = found
    link = SchoolLink(
        school_id=school_pk,
        linked_urn=linked_urn,
        linked_school_id=linked_pk,
        link_type=link_type,
        established_on=established_on,
    )
    if current is None:
        result.links_added += 1
        writer.add("create", SchoolLink, link)
    elif current[1:] == found:
        result.links_unchanged += 1
    else:
        result.links_updated += 1
        link.pk = current[0]
        writer.add("update", SchoolLink, link, ("linked_school", "established_on"))


def _resolve_links() -> int:
    """Point links at schools that have arrived since the link was imported."""
    return SchoolLink.objects.filter(
        linked_school__isnull=True, linked_urn__in=School.objects.values("urn")
    ).update(linked_school=Subquery(School.objects.filter(urn=OuterRef("linked_urn")).values("pk")))


# Predecessors and successors ----------------------------------------------------------


def _is_predecessor(link_type: str) -> bool:
    return link_type.lower().startswith("predecessor")


def _is_successor(link_type: str) -> bool:
    return link_type.lower().startswith("successor")


def predecessor_school_ids(school, *, max_depth: int = PREDECESSOR_DEPTH) -> list[int]:
    """Ids of the schools this school (a School or an id) succeeded, nearest first,
    following the register's links back up to `max_depth` generations; one query a
    generation. Both directions of a link count: A's "Predecessor" link to B, or B's
    "Successor" link to A."""
    start = school if isinstance(school, int) else school.pk
    seen, found, frontier = {start}, [], [start]
    for _ in range(max_depth):
        links = SchoolLink.objects.filter(
            Q(school_id__in=frontier, link_type__istartswith="predecessor")
            | Q(linked_school_id__in=frontier, link_type__istartswith="successor")
        ).values_list("school_id", "linked_school_id", "link_type")
        frontier = []
        for school_id, linked_id, link_type in links.order_by("-established_on", "pk"):
            other = linked_id if _is_predecessor(link_type) else school_id
            if other is not None and other not in seen:
                seen.add(other)
                found.append(other)
                frontier.append(other)
        if not frontier:
            break
    return found


class CarryOverError(Exception):
    """Memberships that cannot be carried to a successor, and why."""


@dataclass
class CarryOver:
    school: School
    successor: School
    on: datetime.date
    moved: list = field(default_factory=list)
    already_member: list = field(default_factory=list)

    def message(self) -> str:
        hubs = ", ".join(m.hub.name for m in self.moved) or "none"
        text = (
            f"{self.school}: memberships ended on {self.on:%d %B %Y} and carried to "
            f"{self.successor} ({hubs})."
        )
        if self.already_member:
            text += f" Already a member, left as it was: {', '.join(self.already_member)}."
        return text


def successor_of(school: School) -> tuple[School, datetime.date | None]:
    """The one school in the database that succeeded `school`, and the link's date."""
    links = SchoolLink.objects.filter(
        Q(school=school, link_type__istartswith="successor")
        | Q(linked_school=school, link_type__istartswith="predecessor")
    ).values_list("school_id", "linked_school_id", "linked_urn", "link_type", "established_on")
    found, unknown = {}, []
    for school_id, linked_id, linked_urn, link_type, established_on in links:
        if not _is_successor(link_type):
            found.setdefault(school_id, established_on)
        elif linked_id is None:
            unknown.append(linked_urn)
        else:
            found.setdefault(linked_id, established_on)
    if len(found) > 1:
        raise CarryOverError(f"{school} has {len(found)} successors; move its memberships by hand.")
    if not found:
        hint = (
            f"its successor URN {', '.join(unknown)} is not in the database yet"
            if unknown
            else "the register links name no successor; import the links file first"
        )
        raise CarryOverError(f"{school} has no successor to carry memberships to: {hint}.")
    ((successor_id, on),) = found.items()
    return School.objects.get(pk=successor_id), on


def school_carry_memberships(*, school: School, today: datetime.date | None = None) -> CarryOver:
    """End a closed school's current hub memberships on its successor link's date (or
    today) and open the same memberships, with the same role, for its successor.
    Atomic, and recorded in history. A lead school's hub gets the successor as lead."""
    if school.status != School.Status.CLOSED:
        raise CarryOverError(f"{school} is not closed; only a closed school's memberships move.")
    successor, on = successor_of(school)
    if successor.status == School.Status.CLOSED:
        raise CarryOverError(f"{school}'s successor {successor} is closed too.")
    today = today or timezone.localdate()
    carry = CarryOver(school=school, successor=successor, on=on or today)
    with transaction.atomic():
        memberships = list(
            HubMembership.objects.current(today)
            .select_for_update()
            .filter(school=school)
            .select_related("hub")
        )
        if not memberships:
            raise CarryOverError(f"{school} has no current hub memberships.")
        for membership in memberships:
            _carry(membership, carry)
    return carry


def _carry(membership: HubMembership, carry: CarryOver) -> None:
    hub, left_on = membership.hub, max(carry.on, membership.joined_on)
    membership.left_on = left_on
    membership.save(update_fields=["left_on"])
    if HubMembership.objects.filter(hub=hub, school=carry.successor, left_on__isnull=True).exists():
        carry.already_member.append(hub.name)
    else:
        HubMembership.objects.create(
            hub=hub, school=carry.successor, role=membership.role, joined_on=left_on
        )
        carry.moved.append(membership)
    if hub.lead_school_id == carry.school.pk:
        hub.lead_school = carry.successor
        hub.save(update_fields=["lead_school"])
