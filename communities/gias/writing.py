"""Writing what the register's files say: schools and links upserted in batches, each
change recorded in history; nothing on a dry run."""

import time

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from communities.gias.reading import (
    FIELDS,
    LINK_COLUMNS,
    REGISTER_COLUMNS,
    REGISTER_PARSERS,
    GiasImportError,
    csv_rows,
    parse_date,
    parse_link_type,
    parse_row,
    parse_urn,
)
from communities.gias.report import SchoolChange, field_changes
from communities.models import School, SchoolLink

BATCH_SIZE = 1000
PROGRESS_EVERY = 10_000
CHANGE_REASON = "GIAS import"


class Writer:
    """Holds creates and updates until `flush` writes them in batches, recorded in
    history: the whole file is read and checked first, and written at the end in one
    short transaction. Writes nothing on a dry run."""

    def __init__(self, *, dry_run: bool, user):
        self.dry_run, self.user = dry_run, user
        self.when = timezone.now()
        self.pending: dict[tuple, list] = {}

    def add(self, kind: str, model, obj, fields=()) -> None:
        if self.dry_run:
            return
        self.pending.setdefault((kind, model, tuple(fields)), []).append(obj)

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


def import_register(source, result, writer, progress) -> dict[str, int]:
    existing = _existing_schools()
    columns = ["URN", *REGISTER_COLUMNS]
    parsers = [parse_urn, *REGISTER_PARSERS]
    seen: dict[str, int] = {}
    started = time.monotonic()
    for number, values in csv_rows(source, label="register", columns=columns):
        urn, *parsed = parse_row(number, values, columns, parsers, "register")
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
    return seen


_NAME, _STATUS = FIELDS.index("name"), FIELDS.index("status")


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
        lambda: SchoolChange(urn, values[_NAME], field_changes(old_values, values)),
    )
    school = School(pk=pk, urn=urn, **dict(zip(FIELDS, values, strict=True)))
    for name, value in zip(_EXTRA, extra, strict=True):
        setattr(school, name, value)
    writer.add("update", School, school, FIELDS)


def read_links(source, result, progress=None) -> list[tuple]:
    """Every row of a links file, read and checked: (urn, linked urn, link type, date)."""
    seen: dict[tuple, int] = {}
    parsers = [parse_urn, parse_urn, parse_link_type, parse_date]
    rows, started = [], time.monotonic()
    for number, values in csv_rows(source, label="links", columns=LINK_COLUMNS):
        row = parse_row(number, values, list(LINK_COLUMNS), parsers, "links")
        key = tuple(row[:3])
        if key in seen:
            urn, linked_urn, link_type = key
            raise GiasImportError(
                f"the link {urn} → {link_type} {linked_urn} appears twice "
                f"(first on row {seen[key]}).",
                file="links",
                row=number,
            )
        seen[key] = number
        rows.append(tuple(row))
        result.link_rows += 1
        if progress and result.link_rows % PROGRESS_EVERY == 0:
            progress("links", result.link_rows, time.monotonic() - started)
    return rows


def write_links(rows: list[tuple], result, writer, file_urns: dict[str, int]) -> None:
    """Upserts the links read, against the schools as they are now (those this import
    adds included): a link whose school is not in the database is skipped."""
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
    for urn, linked_urn, link_type, established_on in rows:
        if urn not in urn_to_pk:
            result.links_skipped += 1
            continue
        key, found = (urn, linked_urn, link_type), (urn_to_pk.get(linked_urn), established_on)
        _upsert_link(key, urn_to_pk[urn], found, existing.get(key), result, writer)
    writer.flush()


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


def resolve_links() -> int:
    """Point links at schools that have arrived since the link was imported."""
    return SchoolLink.objects.filter(
        linked_school__isnull=True, linked_urn__in=School.objects.values("urn")
    ).update(linked_school=Subquery(School.objects.filter(urn=OuterRef("linked_urn")).values("pk")))
