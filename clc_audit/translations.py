"""The translation catalogues under locale/: compiled without GNU gettext, and checked.

`python -m clc_audit.translations compile` writes each `locale/<lang>/LC_MESSAGES/*.po`
as the `.mo` file Django reads (with polib, so a fresh machine needs nothing but
Python); `make run`, `make serve` and `make test` do it. `python -m
clc_audit.translations check` fails when a catalogue has an untranslated or fuzzy
entry, or one whose placeholders differ from the English, or when the source holds a
marked string that the catalogue lacks (a fresh `makemessages` into a scratch folder,
which needs GNU gettext: CI installs it); `make lint` runs it.
"""

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import polib

PROJECT = Path(__file__).resolve().parent.parent
LOCALE = PROJECT / "locale"
# %(name)s, %s, %d and {name}: what Python fills in. A translation keeps them all.
_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}")


def catalogues() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


def compile_all() -> list[Path]:
    """Writes every catalogue's .mo beside it (fuzzy entries left out, as msgfmt does)."""
    written = []
    for po_path in catalogues():
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            written.append(mo_path)
    return written


def problems(po_path: Path) -> list[str]:
    """What is wrong with a catalogue: untranslated, fuzzy, placeholders that differ."""
    found = []
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete:
            continue
        where = f"{po_path.relative_to(LOCALE.parent)}: {entry.msgid[:60]!r}"
        if entry.fuzzy:
            found.append(f"{where} is fuzzy")
            continue
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not all(translations):
            found.append(f"{where} is not translated")
            continue
        wanted = sorted(set(_PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or ""))))
        for text in translations:
            if sorted(set(_PLACEHOLDER.findall(text))) != wanted:
                found.append(f"{where}: placeholders {wanted} differ in {text[:60]!r}")
    return found


# What makemessages reads: the apps, the project and the templates; not the tests.
COPY_IGNORED = (
    ".*",
    "locale",
    "tests",
    "bench",
    "staticfiles",
    "media",
    "docs",
    "__pycache__",
    "*.sqlite3",
)


def extracted(language: str) -> polib.POFile:
    """The catalogue a fresh `makemessages` writes for `language`, from a scratch copy of
    the source (makemessages writes into the `locale` folder above what it reads)."""
    import django
    from django.core.management import call_command
    from django.test.utils import override_settings

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clc_audit.settings")
    os.environ.setdefault("DEBUG", "true")  # reading the source needs no production secret
    django.setup()
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "source"
        shutil.copytree(PROJECT, source, ignore=shutil.ignore_patterns(*COPY_IGNORED))
        (source / "locale").mkdir()
        cwd = os.getcwd()
        os.chdir(source)
        try:
            with override_settings(LOCALE_PATHS=[source / "locale"]):
                call_command("makemessages", locale=[language], verbosity=0)
        finally:
            os.chdir(cwd)
        return polib.pofile(str(source / "locale" / language / "LC_MESSAGES" / "django.po"))


def missing(po_path: Path) -> list[str]:
    """Marked strings of the source that the catalogue lacks (or holds as obsolete)."""
    language = po_path.parent.parent.name
    known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(po_path)) if not e.obsolete}
    where = po_path.relative_to(LOCALE.parent)
    return [
        f"{where}: {entry.msgid[:60]!r} is in the source but not in the catalogue "
        f"({entry.occurrences[0][0] if entry.occurrences else '?'})"
        for entry in extracted(language)
        if (entry.msgctxt, entry.msgid) not in known
    ]


def check() -> int:
    found = [problem for path in catalogues() for problem in problems(path)]
    if shutil.which("xgettext"):
        found += [problem for path in catalogues() for problem in missing(path)]
    else:
        print("xgettext (GNU gettext) is missing: the catalogue was not compared with the source")
    for problem in found:
        print(problem)
    print(f"{len(catalogues())} catalogue(s), {len(found)} problem(s)")
    return 1 if found else 0


def main(argv: list[str]) -> int:
    if argv == ["compile"]:
        for path in compile_all():
            print(f"compiled {path.relative_to(LOCALE.parent)}")
        return 0
    if argv == ["check"]:
        return check()
    print("usage: python -m clc_audit.translations compile|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
