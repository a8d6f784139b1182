"""The French catalogue's checks (clc_audit.translations): what `make lint` refuses."""

import shutil

import polib
import pytest
from django.utils import translation

from clc_audit import translations


def _catalogue(tmp_path, *entries: polib.POEntry):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "fr_CA"}
    po.extend(entries)
    folder = tmp_path / "locale" / "fr_CA" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po.save(str(folder / "django.po"))
    return folder / "django.po"


@pytest.fixture
def locale_in(tmp_path, monkeypatch):
    monkeypatch.setattr(translations, "LOCALE", tmp_path / "locale")
    return tmp_path


def test_a_translated_catalogue_has_no_problems(locale_in):
    path = _catalogue(locale_in, polib.POEntry(msgid="Hub %(name)s", msgstr="Pôle %(name)s"))
    assert translations.problems(path) == []


@pytest.mark.parametrize(
    "entry, problem",
    [
        (polib.POEntry(msgid="Schools", msgstr=""), "is not translated"),
        (polib.POEntry(msgid="Schools", msgstr="Écoles", flags=["fuzzy"]), "is fuzzy"),
        (polib.POEntry(msgid="Hub %(name)s", msgstr="Pôle %(nom)s"), "placeholders"),
        (
            polib.POEntry(
                msgid="%(count)d school",
                msgid_plural="%(count)d schools",
                msgstr_plural={0: "%(count)d école", 1: ""},
            ),
            "is not translated",
        ),
    ],
)
def test_the_check_names_what_is_wrong(locale_in, entry, problem):
    (found,) = translations.problems(_catalogue(locale_in, entry))
    assert problem in found
    assert entry.msgid[:20] in found


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext's xgettext")
def test_a_string_of_the_source_missing_from_the_catalogue_is_found(locale_in):
    fresh = translations.extracted("fr_CA")
    assert any(e.msgid == "Isolation" for e in fresh)
    kept = [
        polib.POEntry(msgid=e.msgid, msgctxt=e.msgctxt) for e in fresh if e.msgid != "Isolation"
    ]
    found = translations.missing(_catalogue(locale_in, *kept))
    assert len(found) == 1
    assert "'Isolation' is in the source but not in the catalogue" in found[0]


def test_the_compiled_catalogue_serves_french():
    with translation.override("fr-ca"):
        assert translation.gettext("Isolation") == "Isolement"
        assert translation.get_language_bidi() is False
