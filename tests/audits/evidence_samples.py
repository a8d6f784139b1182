"""Small files of each kind an evidence upload may be, made in memory: real enough for
the checks (a PDF's header, an Office file's parts, a macro project), tiny for the tests."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><script>alert(document.cookie)</script>"
LEGACY_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32


def office(marker: str = "word/", *, macros: bool = False) -> bytes:
    """A minimal Office Open XML package: its content types and one part under `marker`,
    with a macro project when `macros`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{marker}document.xml", "<document/>")
        if macros:
            archive.writestr(f"{marker}vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


def opendocument(mimetype: str = "application/vnd.oasis.opendocument.text", *, basic=False):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
        if basic:
            archive.writestr("Basic/Standard/Module1.xml", "<script:module/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def damaged_opendocument(damage: str) -> bytes:
    """An OpenDocument file whose `mimetype` entry cannot be read as stored: "encrypted"
    (its flag says so), "method" (a compression no reader knows), "corrupt" (its deflated
    bytes garbled) or "bomb" (small, but it inflates to megabytes)."""
    mimetype = b"application/vnd.oasis.opendocument.text"
    if damage == "bomb":
        mimetype += b" " * 4_000_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    data = bytearray(buffer.getvalue())
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    if damage == "encrypted":
        data[local + 6] |= 1
        data[central + 8] |= 1
    elif damage == "method":
        data[local + 8 : local + 10] = data[central + 10 : central + 12] = (99).to_bytes(
            2, "little"
        )
    elif damage == "corrupt":
        start = local + 30 + len("mimetype")
        data[start : start + 8] = b"\xff" * 8
    return bytes(data)
