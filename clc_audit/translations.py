"""The translation catalogues under locale/: compiled without GNU gettext, and checked.

`python -m clc_audit.translations compile` writes each `locale/<lang>/LC_MESSAGES/*.po`
as the `.mo` file Django reads (with polib, so a fresh machine needs nothing but
Python); `make run`, `make serve` and `make test` do it. `python -m
clc_audit.translations check` fails when a catalogue has an untranslated or fuzzy
entry, or one whose placeholders differ from the English; `make lint` runs it.
"""

import re
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"
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


def main(argv: list[str]) -> int:
    if argv == ["compile"]:
        for path in compile_all():
            print(f"compiled {path.relative_to(LOCALE.parent)}")
        return 0
    if argv == ["check"]:
        found = [problem for path in catalogues() for problem in problems(path)]
        for problem in found:
            print(problem)
        print(f"{len(catalogues())} catalogue(s), {len(found)} problem(s)")
        return 1 if found else 0
    print("usage: python -m clc_audit.translations compile|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
