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

import time
from collections.abc import Callable

from django.db import transaction

from communities.gias.reading import GiasImportError
from communities.gias.report import ChangeSection, GiasImportResult, SchoolChange
from communities.gias.writing import Writer, import_links, import_register, resolve_links

__all__ = ["ChangeSection", "GiasImportError", "GiasImportResult", "SchoolChange", "import_gias"]

Progress = Callable[[str, int, float], None]


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
    writer = Writer(dry_run=dry_run, user=user)
    with transaction.atomic():
        file_urns = import_register(register, result, writer, progress)
        if links is not None:
            import_links(links, result, writer, file_urns)
        if not dry_run:
            result.links_updated += resolve_links()
    result.seconds = time.monotonic() - started
    return result
