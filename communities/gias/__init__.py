"""Import schools from England's register, Get Information About Schools (GIAS).

The register's "all establishment data" download is a Windows-1252 CSV of about 50,000
rows with a header row, quoted fields and `dd-mm-yyyy` dates; its companion links file
says which establishment succeeded which. `import_gias` upserts schools by URN (adds new
ones, updates changed ones, deletes nothing) and keeps the links. It is all or nothing:
the first row that cannot be read stops the import with its row number, column and
reason, and nothing is written: both files are read and checked in full first (reporting
progress as they go, outside any transaction), then written in one short transaction. A
dry run writes nothing, and lists the first few establishments it would add, update
(with what changes) or mark closed.

Row numbers count the header as row 1, as a spreadsheet does.
"""

import time
from collections.abc import Callable

from django.db import transaction

from communities.gias.reading import GiasImportError
from communities.gias.report import ChangeSection, GiasImportResult, SchoolChange
from communities.gias.writing import Writer, import_register, read_links, resolve_links, write_links

__all__ = ["ChangeSection", "GiasImportError", "GiasImportResult", "SchoolChange", "import_gias"]

Progress = Callable[[str, int, float], None]


def import_gias(
    register,
    *,
    links=None,
    dry_run: bool = False,
    user=None,
    progress: Progress | None = None,
    result: GiasImportResult | None = None,
) -> GiasImportResult:
    """Upsert schools from a register file and, optionally, links from a links file.

    `register` and `links` are paths or binary file objects (such as an upload). Raises
    `GiasImportError` for the first thing it cannot read; then nothing is written.
    `result`, when given, is filled in as the files are read, for `progress` to show."""
    started = time.monotonic()
    result = result or GiasImportResult(dry_run=dry_run)
    writer = Writer(dry_run=dry_run, user=user)
    file_urns = import_register(register, result, writer, progress)
    link_rows = read_links(links, result, progress) if links is not None else None
    if progress:
        progress("writing", result.rows + result.link_rows, time.monotonic() - started)
    with transaction.atomic():
        writer.flush()
        if link_rows is not None:
            write_links(link_rows, result, writer, file_urns)
        if not dry_run:
            result.links_updated += resolve_links()
    result.seconds = time.monotonic() - started
    return result
