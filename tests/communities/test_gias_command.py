"""`manage.py import_gias FILE [--links LINKS_FILE] [--dry-run]`."""

import io

import pytest
from django.core.management import CommandError, call_command

from bench.gias_fixture import generated_rows, link_row, links_bytes, register_bytes, school_row
from communities.gias import writing
from communities.models import School, SchoolLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(tmp_path):
    path = tmp_path / "edubasealldata20260101.csv"
    path.write_bytes(register_bytes(generated_rows(12)))
    return path


@pytest.fixture
def links(tmp_path):
    path = tmp_path / "links_edubasealldata20260101.csv"
    path.write_bytes(links_bytes([link_row("100001", "100007", "Successor")]))
    return path


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_gias", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_and_ends_with_the_counts(register, links):
    out, _ = run(register, "--links", links)

    assert "Schools: 12 rows read: 12 added, 0 updated, 0 marked closed, 0 unchanged." in out
    assert "Links: 1 row read: 1 added" in out
    assert School.objects.count() == 12
    assert SchoolLink.objects.get().linked_school.urn == "100007"


def test_command_second_run_says_nothing_changed(register, links):
    run(register, "--links", links)

    out, _ = run(register, "--links", links)

    assert "12 unchanged" in out
    assert "Nothing changed: the database already matches this file." in out


def test_command_dry_run_writes_nothing(register):
    out, _ = run(register, "--dry-run")

    assert out.startswith("Dry run: nothing was written.")
    assert "12 to add" in out
    assert not School.objects.exists()


def test_command_dry_run_lists_the_schools_that_would_change(register, monkeypatch):
    run(register)
    changed = register.with_name("changed.csv")
    rows = list(generated_rows(12))
    rows[0]["EstablishmentName"] = "Renamed School"
    changed.write_bytes(register_bytes([*rows, school_row("200001", EstablishmentName="New")]))

    out, _ = run(changed, "--dry-run")

    lines = out.splitlines()
    assert lines[lines.index("To add:") + 1] == "  200001 New"
    assert lines[lines.index("To update:") + 1].startswith("  100000 Renamed School: name: “")
    assert "→ “Renamed School”" in out


def test_command_shows_progress_on_long_imports(register, monkeypatch):
    monkeypatch.setattr(writing, "PROGRESS_EVERY", 5)

    _, err = run(register)

    assert "register: 5 rows read (" in err
    assert "register: 10 rows read (" in err
    assert "rows/s)" in err


def test_command_bad_file_is_a_command_error_naming_the_row(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(register_bytes([school_row("100001"), school_row("100001")]))

    with pytest.raises(CommandError, match=r"Register file, row 3, column URN: URN 100001"):
        run(path)
    assert not School.objects.exists()


def test_command_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(tmp_path / "nowhere.csv")


def test_command_error_has_no_traceback(tmp_path, capsys):
    from django.core.management import ManagementUtility

    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    utility = ManagementUtility(["manage.py", "import_gias", str(path), "--skip-checks"])

    with pytest.raises(SystemExit) as exited:
        utility.execute()

    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "CommandError: Register file: the file is empty. Nothing was imported." in err
    assert "Traceback" not in err
