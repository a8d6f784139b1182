"""What an import did, or on a dry run would do: counts, and the first establishments of
each kind of change with the fields that change, as text for the command and the admin."""

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from communities.gias.reading import DATE_FIELDS, FIELDS
from communities.models import School

CHANGES_LISTED = 20


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

    def as_json(self) -> dict:
        """The result as JSON-ready data, to keep (`from_json` reads it back)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "GiasImportResult":
        listed = {
            kind: [
                SchoolChange(c["urn"], c["name"], tuple(map(tuple, c["fields"]))) for c in changes
            ]
            for kind, changes in data.get("listed", {}).items()
        }
        counts = {f.name: data[f.name] for f in dataclasses.fields(cls) if f.name in data}
        return cls(**(counts | {"listed": listed}))

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


_STATUS_LABELS = dict(School.Status.choices)


@functools.cache
def _labels() -> tuple[str, ...]:
    """The fields' verbose names, read when first needed (not at import, when translations
    and the app registry may not be ready)."""
    return tuple(str(School._meta.get_field(name).verbose_name) for name in FIELDS)


def field_changes(old_values: tuple, values: tuple) -> tuple[tuple[str, str, str], ...]:
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
