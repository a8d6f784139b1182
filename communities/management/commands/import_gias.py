"""`manage.py import_gias FILE [--links LINKS_FILE] [--dry-run]`: load or refresh schools
from England's register (GIAS). See `communities.gias`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from communities.gias import GiasImportError, import_gias


class Command(BaseCommand):
    help = (
        "Import schools from a GIAS 'all establishment data' CSV (Windows-1252): add new "
        "ones, update changed ones, mark closed ones; nothing is deleted. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the register CSV, e.g. edubasealldata20260101.csv")
        parser.add_argument(
            "--links", metavar="LINKS_FILE", help="the links CSV, for predecessors and successors"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="report what would change, listing the first schools; write nothing",
        )

    def handle(self, *args, file, links=None, dry_run=False, verbosity=1, **options):
        for path in filter(None, [file, links]):
            if not Path(path).is_file():
                raise CommandError(f"No such file: {path}")
        progress = self.show_progress if verbosity >= 1 else None
        try:
            result = import_gias(file, links=links, dry_run=dry_run, progress=progress)
        except GiasImportError as error:
            raise CommandError(str(error)) from None
        for line in [*result.summary_lines(), *result.change_lines()]:
            self.stdout.write(line)
        self.stdout.write(f"Done in {result.seconds:.1f} s.")

    def show_progress(self, stage: str, rows: int, seconds: float) -> None:
        rate = rows / seconds if seconds else 0
        self.stderr.write(f"{stage}: {rows:,} rows read ({rate:,.0f} rows/s)", style_func=None)
