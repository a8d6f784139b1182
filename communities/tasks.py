"""Background work of the communities app, run by the task worker (`manage.py
db_worker`, django-tasks with its database backend): the register import asked for in
the admin."""

import logging

from django.utils import timezone
from django_tasks import task

from communities.gias import GiasImportError, GiasImportResult, import_gias
from communities.models import RegisterImport

logger = logging.getLogger(__name__)


@task()
def run_register_import(import_id: int) -> str:
    """Imports the files of a RegisterImport, recording its progress and its result in
    the database as it goes, outside the import's own (short) write transaction."""
    record = RegisterImport.objects.select_related("requested_by").get(pk=import_id)
    _mark(record, status=RegisterImport.Status.READING, started_at=timezone.now(), error="")

    so_far = GiasImportResult(dry_run=record.dry_run)  # filled in as the files are read

    def progress(stage: str, rows: int, seconds: float) -> None:
        status = (
            RegisterImport.Status.WRITING if stage == "writing" else RegisterImport.Status.READING
        )
        _mark(record, status=status, rows_read=rows, result=so_far.as_json())

    try:
        with record.register.open("rb") as register:
            links = record.links.open("rb") if record.links else None
            try:
                result = import_gias(
                    register,
                    links=links,
                    dry_run=record.dry_run,
                    user=record.requested_by,
                    progress=progress,
                    result=so_far,
                )
            finally:
                if links is not None:
                    links.close()
    except GiasImportError as error:
        _mark(
            record,
            status=RegisterImport.Status.FAILED,
            error=str(error),
            finished_at=timezone.now(),
        )
        return RegisterImport.Status.FAILED
    except Exception:
        logger.exception("Register import %s failed", import_id)
        _mark(
            record,
            status=RegisterImport.Status.FAILED,
            error="The import stopped on an unexpected error: nothing was imported. "
            "The server's log has the details.",
            finished_at=timezone.now(),
        )
        raise
    _mark(
        record,
        status=RegisterImport.Status.DONE,
        rows_read=result.rows + result.link_rows,
        result=result.as_json(),
        finished_at=timezone.now(),
    )
    return RegisterImport.Status.DONE


def _mark(record: RegisterImport, **fields) -> None:
    """Saves these fields now, in their own transaction, for the progress page."""
    for name, value in fields.items():
        setattr(record, name, value)
    RegisterImport.objects.filter(pk=record.pk).update(**fields)


def enqueue_register_import(record: RegisterImport) -> None:
    """Hands a stored import to the worker (again, for a failed one)."""
    RegisterImport.objects.filter(pk=record.pk).update(
        status=RegisterImport.Status.QUEUED, rows_read=0, result=None, error="", finished_at=None
    )
    run_register_import.enqueue(record.pk)
