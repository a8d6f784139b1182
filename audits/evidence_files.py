"""Which files may be attached as evidence, told by their content, not only their name.

Allowed: PDF; PNG, JPEG, GIF and WebP images; Word, Excel and PowerPoint files
(.docx, .xlsx, .pptx) and OpenDocument files (.odt, .ods, .odp). Refused: anything else,
SVG and HTML (they can hold scripts), macro-enabled Office files (.docm, .xlsm, .pptm,
and any Office file holding a macro project) and the older binary Office formats (.doc,
.xls, .ppt, which may hold macros unseen: save them in the newer format). The limit is
settings.EVIDENCE_FILE_MAX_BYTES (10 MB by default).
"""

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    extensions: tuple[str, ...]
    content_type: str
    magic: tuple[bytes, ...] = ()  # how the file starts; () for the zip-based kinds
    zip_marker: str = ""  # for a zip-based kind: the part that says what it is


KINDS = (
    Kind((".pdf",), "application/pdf", (b"%PDF-",)),
    Kind((".png",), "image/png", (b"\x89PNG\r\n\x1a\n",)),
    Kind((".jpg", ".jpeg"), "image/jpeg", (b"\xff\xd8\xff",)),
    Kind((".gif",), "image/gif", (b"GIF87a", b"GIF89a")),
    Kind((".webp",), "image/webp", (b"RIFF",)),
    Kind(
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        zip_marker="word/",
    ),
    Kind(
        (".xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        zip_marker="xl/",
    ),
    Kind(
        (".pptx",),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        zip_marker="ppt/",
    ),
    Kind((".odt",), "application/vnd.oasis.opendocument.text", zip_marker="mimetype"),
    Kind((".ods",), "application/vnd.oasis.opendocument.spreadsheet", zip_marker="mimetype"),
    Kind((".odp",), "application/vnd.oasis.opendocument.presentation", zip_marker="mimetype"),
)
_BY_EXTENSION = {ext: kind for kind in KINDS for ext in kind.extensions}
ALLOWED_EXTENSIONS = tuple(_BY_EXTENSION)
_ODF_TYPES = {
    ".odt": b"application/vnd.oasis.opendocument.text",
    ".ods": b"application/vnd.oasis.opendocument.spreadsheet",
    ".odp": b"application/vnd.oasis.opendocument.presentation",
}
NAME_MAX = 200


def allowed_list() -> str:
    return "PDF, PNG, JPEG, GIF, WebP, DOCX, XLSX, PPTX, ODT, ODS, ODP"


def limit_in_megabytes() -> str:
    """The size limit of a file, as people read it: "10"."""
    return number_format(settings.EVIDENCE_FILE_MAX_BYTES / (1024 * 1024), decimal_pos=0)


def checked_kind(upload) -> Kind:
    """The kind of an uploaded file, or ValidationError saying what is wrong with it (its
    size, its name or what it holds)."""
    if upload.size > settings.EVIDENCE_FILE_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(size)s MB: attach a smaller file.")
            % {"name": upload.name, "size": limit_in_megabytes()},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": upload.name}, code="empty")
    extension = PurePath(upload.name).suffix.lower()
    kind = _BY_EXTENSION.get(extension)
    if kind is None:
        raise ValidationError(
            _("%(name)s is not a file that can be attached. Attach one of: %(kinds)s.")
            % {"name": upload.name, "kinds": allowed_list()},
            code="type",
        )
    if not _holds(upload, kind, extension):
        raise ValidationError(
            _(
                "%(name)s does not hold what its name says, or holds macros: attach the "
                "file as saved from its program (without macros)."
            )
            % {"name": upload.name},
            code="content",
        )
    return kind


def _holds(upload, kind: Kind, extension: str) -> bool:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if kind.magic:
        ok = any(head.startswith(magic) for magic in kind.magic)
        return ok and (extension != ".webp" or head[8:12] == b"WEBP")
    return _zip_holds(upload, kind, extension)


def _zip_holds(upload, kind: Kind, extension: str) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if extension in _ODF_TYPES:
                return _odf_mimetype(archive) == _ODF_TYPES[extension] and not any(
                    name.lower().startswith(("basic/", "scripts/")) for name in names
                )
            has_macros = any(name.lower().endswith("vbaproject.bin") for name in names)
            return (
                "[Content_Types].xml" in names
                and any(name.startswith(kind.zip_marker) for name in names)
                and not has_macros
            )
    except _BROKEN_ZIP:
        return False
    finally:
        upload.seek(0)


# What a damaged, encrypted or oddly compressed archive raises when read.
_BROKEN_ZIP = (
    zipfile.BadZipFile,
    KeyError,
    OSError,
    EOFError,
    RuntimeError,
    NotImplementedError,
    ValueError,
    zlib.error,
)
_MIMETYPE_MAX = 100


def _odf_mimetype(archive: zipfile.ZipFile) -> bytes:
    """An OpenDocument file's declared type, read no further than a type can be long (a
    small archive may say its first entry inflates to gigabytes)."""
    if archive.getinfo("mimetype").file_size > _MIMETYPE_MAX:
        return b""
    with archive.open("mimetype") as entry:
        return entry.read(_MIMETYPE_MAX).strip()


def display_name(name: str) -> str:
    """The name a file is shown and downloaded with: its own, without any folder, cut to
    NAME_MAX characters (keeping the extension)."""
    path = PurePath(name.replace("\\", "/")).name or "file"
    if len(path) <= NAME_MAX:
        return path
    suffix = PurePath(path).suffix[:10]
    return path[: NAME_MAX - len(suffix)] + suffix
