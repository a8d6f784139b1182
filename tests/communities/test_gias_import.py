"""Importing schools from England's register (GIAS): reading, upserting, bad files."""

import datetime
import io

import pytest

from bench.gias_fixture import (
    REGISTER_HEADER,
    generated_links,
    generated_rows,
    link_row,
    links_bytes,
    register_bytes,
    school_row,
)
from communities import gias
from communities.gias import GiasImportError, import_gias
from communities.lineage import predecessor_school_ids
from communities.models import School, SchoolLink
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def realistic_rows() -> list[dict]:
    return [
        school_row(
            "100001",
            **{
                "EstablishmentName": "St Thomas à Becket Catholic Primary School",
                "LA (code)": "201",
                "LA (name)": "City of London",
                "EstablishmentNumber": "0042",
                "PhaseOfEducation (name)": "Primary",
                "Postcode": "EC1A 1AA",
            },
        ),
        school_row(
            "100002",
            **{
                "EstablishmentName": "Christ Church, Chelsea C of E Primary School",
                "EstablishmentStatus (name)": "Open, but proposed to close",
                "OpenDate": "",
            },
        ),
        school_row(
            "100003",
            **{
                "EstablishmentName": "St Mary’s Junior School",
                "EstablishmentStatus (name)": "Closed",
                "CloseDate": "31-08-2021",
            },
        ),
        school_row(
            "010004",
            **{
                "EstablishmentName": "École Jacques Prévert",
                "EstablishmentStatus (name)": "Proposed to open",
            },
        ),
    ]


def as_file(rows, **kwargs) -> io.BytesIO:
    return io.BytesIO(register_bytes(rows, **kwargs))


def imported(rows, **kwargs) -> gias.GiasImportResult:
    return import_gias(as_file(rows), **kwargs)


def error_for(data: bytes, **kwargs) -> GiasImportError:
    with pytest.raises(GiasImportError) as caught:
        import_gias(io.BytesIO(data), **kwargs)
    return caught.value


# A realistic file ---------------------------------------------------------------------


def test_realistic_file_imports_every_school_as_written():
    result = imported(realistic_rows())

    assert (result.rows, result.added, result.updated, result.unchanged) == (4, 4, 0, 0)
    becket = School.objects.get(urn="100001")
    assert becket.name == "St Thomas à Becket Catholic Primary School"
    assert (becket.la_code, becket.local_authority) == ("201", "City of London")
    assert becket.establishment_number == "0042"
    assert becket.phase == "Primary"
    assert becket.establishment_type == "Academy converter"
    assert becket.establishment_type_group == "Academies"
    assert becket.postcode == "EC1A 1AA"
    assert becket.opened_on == datetime.date(2011, 9, 1)
    assert becket.gias_last_changed_on == datetime.date(2024, 3, 15)
    assert becket.status == School.Status.OPEN


def test_statuses_with_commas_and_leading_zero_urns_are_read():
    imported(realistic_rows())

    chelsea = School.objects.get(urn="100002")
    assert chelsea.name == "Christ Church, Chelsea C of E Primary School"
    assert chelsea.status == School.Status.PROPOSED_TO_CLOSE
    assert chelsea.opened_on is None
    assert School.objects.get(urn="010004").status == School.Status.PROPOSED_TO_OPEN
    assert School.objects.get(urn="100003").name == "St Mary’s Junior School"


def test_closed_school_is_imported_closed_with_its_date():
    imported(realistic_rows())

    closed = School.objects.get(urn="100003")
    assert closed.status == School.Status.CLOSED
    assert closed.closed_on == datetime.date(2021, 8, 31)


def test_import_is_recorded_in_history_with_user_and_reason():
    admin = UserFactory(username="importer", is_staff=True, is_superuser=True)
    imported(realistic_rows(), user=admin)

    records = School.history.filter(urn="100001")
    assert [(r.history_type, r.history_change_reason) for r in records] == [("+", "GIAS import")]
    assert records[0].history_user == admin


def test_reimport_of_same_file_changes_nothing_and_says_so():
    imported(realistic_rows())
    history = School.history.count()

    result = imported(realistic_rows())

    assert (result.added, result.updated, result.closed, result.unchanged) == (0, 0, 0, 4)
    assert not result.changed
    assert School.history.count() == history
    assert "Nothing changed" in result.summary_lines()[-1]


def test_changed_rows_are_updated_and_newly_closed_counted_apart():
    rows = realistic_rows()
    imported(rows)
    rows[0]["EstablishmentName"] = "St Thomas à Becket RC Primary School"
    rows[1].update({"EstablishmentStatus (name)": "Closed", "CloseDate": "31-12-2025"})

    result = imported(rows)

    assert (result.added, result.updated, result.closed, result.unchanged) == (0, 1, 1, 2)
    assert School.objects.get(urn="100001").name == "St Thomas à Becket RC Primary School"
    chelsea = School.objects.get(urn="100002")
    assert (chelsea.status, chelsea.closed_on) == ("closed", datetime.date(2025, 12, 31))
    assert School.history.filter(urn="100002", history_type="~").count() == 1


def test_update_keeps_leaders_and_schools_missing_from_the_file():
    rows = realistic_rows()
    imported(rows)
    leader = UserFactory()
    School.objects.get(urn="100001").leaders.add(leader)
    typed_in = SchoolFactory(urn="200001", name="Typed in by hand")
    rows[0]["Postcode"] = "EC1A 1BB"

    imported(rows)

    assert list(School.objects.get(urn="100001").leaders.all()) == [leader]
    assert School.objects.filter(pk=typed_in.pk).exists()


def test_new_and_existing_schools_in_one_file():
    imported(realistic_rows()[:2])

    result = imported(realistic_rows())

    assert (result.added, result.unchanged) == (2, 2)
    assert School.objects.count() == 4


def test_file_from_disk_with_many_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(gias.writing, "BATCH_SIZE", 7)
    path = tmp_path / "edubasealldata20260101.csv"
    path.write_bytes(register_bytes(generated_rows(60)))

    result = import_gias(path)

    assert result.added == 60
    assert School.objects.count() == 60
    assert School.objects.filter(status="closed").count() == 4
    assert import_gias(str(path)).unchanged == 60


# All or nothing -----------------------------------------------------------------------


def test_one_bad_row_changes_nothing_and_names_the_row(monkeypatch):
    monkeypatch.setattr(gias.writing, "BATCH_SIZE", 2)
    rows = realistic_rows()
    imported(rows)
    rows[0]["EstablishmentName"] = "Renamed before the bad row"
    rows += [school_row(f"30000{n}") for n in range(5)]
    rows[6]["OpenDate"] = "31-02-2020"

    with pytest.raises(GiasImportError) as caught:
        imported(rows)

    assert (caught.value.row, caught.value.column) == (8, "OpenDate")
    assert "row 8, column OpenDate" in str(caught.value)
    assert "'31-02-2020' is not a date" in str(caught.value)
    assert "Nothing was imported" in str(caught.value)
    assert School.objects.count() == 4
    assert School.objects.get(urn="100001").name.startswith("St Thomas")


def test_dry_run_reports_changes_and_writes_nothing():
    rows = realistic_rows()
    imported(rows[:3])
    rows[0]["EstablishmentName"] = "A new name"
    rows[1]["EstablishmentStatus (name)"] = "Closed"

    result = imported(rows, dry_run=True)

    assert (result.added, result.updated, result.closed, result.unchanged) == (1, 1, 1, 1)
    assert result.summary_lines()[0] == "Dry run: nothing was written."
    assert (
        "4 rows read: 1 to add, 1 to update, 1 to mark closed, 1 unchanged."
        in result.summary_lines()[1]
    )
    assert School.objects.count() == 3
    assert School.objects.get(urn="100001").name.startswith("St Thomas")
    assert School.objects.get(urn="100002").status == School.Status.PROPOSED_TO_CLOSE


def test_dry_run_lists_what_would_change_school_by_school():
    rows = realistic_rows()
    imported(rows[:3])
    rows[0].update({"EstablishmentName": "A new name", "Postcode": ""})
    rows[1].update({"EstablishmentStatus (name)": "Closed", "CloseDate": "31-12-2025"})

    result = imported(rows, dry_run=True)

    added, updated, closed = result.change_sections()
    assert (added.heading, updated.heading, closed.heading) == (
        "To add",
        "To update",
        "To mark closed",
    )
    assert added.changes == [gias.SchoolChange("010004", "École Jacques Prévert")]
    assert updated.changes == [
        gias.SchoolChange(
            "100001",
            "A new name",
            (
                ("name", "“St Thomas à Becket Catholic Primary School”", "“A new name”"),
                ("postcode", "“EC1A 1AA”", "(blank)"),
            ),
        )
    ]
    assert closed.changes[0].field_lines() == [
        "status: “Open, but proposed to close” → “Closed”",
        "closed on: (blank) → 31-12-2025",
    ]
    assert result.change_lines() == [
        "To add:",
        "  010004 École Jacques Prévert",
        "To update:",
        "  100001 A new name: name: “St Thomas à Becket Catholic Primary School” → "
        "“A new name”; postcode: “EC1A 1AA” → (blank)",
        "To mark closed:",
        "  100002 Christ Church, Chelsea C of E Primary School: status: "
        "“Open, but proposed to close” → “Closed”; closed on: (blank) → 31-12-2025",
    ]


def test_dry_run_lists_only_the_first_few_of_each_kind(monkeypatch):
    monkeypatch.setattr(gias.report, "CHANGES_LISTED", 3)

    result = imported(list(generated_rows(50)), dry_run=True)

    (added,) = result.change_sections()
    assert added.heading == "To add (the first 3 of 50)"
    assert [change.urn for change in added.changes] == ["100000", "100001", "100002"]
    assert result.change_lines()[0] == "To add (the first 3 of 50):"


def test_real_import_and_unchanged_dry_run_list_nothing():
    assert imported(realistic_rows()).change_sections() == []
    assert imported(realistic_rows(), dry_run=True).change_lines() == []


# Bad files ----------------------------------------------------------------------------


def test_utf8_file_is_refused_with_a_clear_message():
    body = register_bytes(realistic_rows()).decode("cp1252").encode("utf-8")

    error = error_for(body)

    assert "UTF-8" in str(error)
    assert "Windows-1252" in str(error)
    assert School.objects.count() == 0


def test_utf8_file_with_byte_order_mark_is_refused():
    body = register_bytes(realistic_rows()[:1]).decode("cp1252").encode("utf-8-sig")

    error = error_for(body)

    assert error.row == 1
    assert "UTF-8" in str(error)


def test_utf8_file_with_letters_windows_1252_lacks_is_refused():
    # "Á" is C3 81 in UTF-8, and 0x81 is not a Windows-1252 character at all.
    row = school_row("100001", EstablishmentName="Ysgol Ábercorn")
    body = register_bytes([school_row("100002")]) + register_bytes([row]).split(b"\r\n", 1)[1]
    body = body.decode("cp1252").encode("utf-8")

    assert "UTF-8" in str(error_for(body))


def test_empty_file_is_refused():
    assert "the file is empty" in str(error_for(b""))
    assert "the file is empty" in str(error_for(b"\r\n"))


def test_header_without_rows_is_refused():
    assert "no rows" in str(error_for(register_bytes([])))


def test_missing_required_column_is_named():
    header = [name for name in REGISTER_HEADER if name != "EstablishmentStatus (name)"]
    rows = [{k: v for k, v in school_row("100001").items() if k in header}]

    error = error_for(register_bytes(rows, header=header))

    assert "required column missing: EstablishmentStatus (name)" in str(error)


def test_links_file_given_as_register_is_refused():
    error = error_for(links_bytes([link_row("100001", "100002", "Successor")]))

    assert "required columns missing" in str(error)
    assert "EstablishmentName" in str(error)


def test_duplicate_urns_name_both_rows():
    rows = [school_row("100001"), school_row("100002"), school_row("100001")]

    error = error_for(register_bytes(rows))

    assert (error.row, error.column) == (4, "URN")
    assert "URN 100001 appears twice (first on row 2)" in str(error)
    assert School.objects.count() == 0


@pytest.mark.parametrize("value", ["2020-09-01", "1/9/2020", "31-02-2020", "soon"])
def test_unreadable_date_names_row_and_column(value):
    rows = [school_row("100001"), school_row("100002", CloseDate=value)]

    error = error_for(register_bytes(rows))

    assert (error.row, error.column) == (3, "CloseDate")
    assert f"{value!r} is not a date in the form dd-mm-yyyy" in str(error)


@pytest.mark.parametrize("value", ["12345", "1234567", "ABC123", ""])
def test_urn_that_is_not_six_digits_is_refused(value):
    error = error_for(register_bytes([school_row(value)]))

    assert (error.row, error.column) == (2, "URN")
    assert "is not a URN" in str(error)


def test_unknown_status_is_refused():
    error = error_for(
        register_bytes([school_row("100001", **{"EstablishmentStatus (name)": "Ajar"})])
    )

    assert error.column == "EstablishmentStatus (name)"
    assert "'Ajar' is not a status" in str(error)


def test_empty_name_and_overlong_values_are_refused():
    assert "is empty" in str(
        error_for(register_bytes([school_row("100001", EstablishmentName="")]))
    )
    error = error_for(register_bytes([school_row("100001", Postcode="X" * 11)]))
    assert (error.column, error.reason) == ("Postcode", "is longer than 10 characters.")


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("EstablishmentName", "Nul\x00 School", "0x00"),
        ("EstablishmentName", "Bell\x07 School", "0x07"),
        ("EstablishmentName", "Two\nlines", "0x0a"),
        ("Postcode", "TW5\x1b0AA", "0x1b"),
        ("LA (name)", "Houns\x7flow", "0x7f"),
    ],
)
def test_control_characters_in_text_are_refused(column, value, code):
    rows = [school_row("100001"), school_row("100002", **{column: value})]

    error = error_for(register_bytes(rows))

    assert (error.row, error.column) == (3, column)
    assert f"contains a control character ({code} at character" in error.reason
    assert "Nothing was imported" in str(error)
    assert School.objects.count() == 0


def test_control_character_refused_even_where_an_update_would_follow():
    imported([school_row("100001")])

    error = error_for(register_bytes([school_row("100001", EstablishmentName="New\x00")]))

    assert (error.row, error.column) == (2, "EstablishmentName")
    assert School.objects.get().name == "School 100001"


def test_row_with_missing_fields_is_refused():
    body = register_bytes([school_row("100001")]) + b'"100002","201"\r\n'

    error = error_for(body)

    assert error.row == 3
    assert "fields but the header has" in str(error)


# Links and predecessors ---------------------------------------------------------------


def link_file(*rows) -> io.BytesIO:
    return io.BytesIO(links_bytes(rows))


def test_links_are_kept_and_resolved_to_schools():
    rows = realistic_rows()
    links = link_file(
        link_row("100003", "100001", "Successor", "01-09-2021"),
        link_row("100001", "100003", "Predecessor", "01-09-2021"),
        link_row("100001", "999999", "Predecessor - merged", ""),
        link_row("555555", "100001", "Successor", "01-09-2021"),
    )

    result = import_gias(as_file(rows), links=links)

    assert (result.link_rows, result.links_added, result.links_skipped) == (4, 3, 1)
    old, new = School.objects.get(urn="100003"), School.objects.get(urn="100001")
    link = SchoolLink.objects.get(school=old)
    assert (link.linked_school, link.link_type) == (new, "Successor")
    assert link.established_on == datetime.date(2021, 9, 1)
    merged = SchoolLink.objects.get(linked_urn="999999")
    assert (merged.linked_school, merged.established_on) == (None, None)


# Every link type the register publishes in links_edubasealldata*.csv.
PUBLISHED_LINK_TYPES = [
    "Predecessor",
    "Predecessor - merged",
    "Predecessor - amalgamated",
    "Predecessor - Split School",
    "Successor",
    "Successor - merged",
    "Successor - amalgamated",
    "Successor - Split School",
    "Result of Amalgamation",
    "Merged - expansion in school capacity and changer in age range",
    "Merged - change in age range",
    "Merged - expansion of school capacity",
    "Expansion",
    "Sixth Form Centre Link",
    "Sixth Form Centre School",
    "Children's Centre Link",
    "Closure",
    "Other",
]


def test_every_published_link_type_imports_with_or_without_a_date():
    """The register's links file as published: all its link types, the longest of 62
    characters, and about a quarter of the rows without a date."""
    schools = [school_row(f"2000{n:02d}") for n in range(len(PUBLISHED_LINK_TYPES) + 1)]
    links = [
        link_row("200000", f"2000{n:02d}", link_type, "" if n % 4 == 0 else "01-09-2019")
        for n, link_type in enumerate(PUBLISHED_LINK_TYPES, start=1)
    ]

    result = import_gias(as_file(schools), links=link_file(*links))

    assert result.links_added == len(PUBLISHED_LINK_TYPES) == 18
    stored = dict(SchoolLink.objects.values_list("link_type", "established_on"))
    assert set(stored) == set(PUBLISHED_LINK_TYPES)
    assert sum(1 for day in stored.values() if day is None) == 4
    assert max(map(len, stored)) == 62


def test_the_register_is_read_at_its_published_width_of_138_columns():
    assert len(REGISTER_HEADER) == 138
    result = imported(realistic_rows())
    assert result.added == 4
    assert School.objects.get(urn="100001").local_authority == "City of London"


def test_links_reimport_is_a_no_op_and_later_schools_resolve():
    links = links_bytes([link_row("100001", "999999", "Predecessor")])
    import_gias(as_file(realistic_rows()), links=io.BytesIO(links))

    again = import_gias(as_file(realistic_rows()), links=io.BytesIO(links))
    assert (again.links_added, again.links_updated, again.links_unchanged) == (0, 0, 1)
    assert "Nothing changed" in again.summary_lines()[-1]

    later = imported([*realistic_rows(), school_row("999999")])
    assert SchoolLink.objects.get().linked_school == School.objects.get(urn="999999")
    assert later.links_updated == 1


def test_bad_links_row_changes_nothing():
    links = link_file(link_row("100001", "100003", "Predecessor"), link_row("100001", "12", "X"))

    with pytest.raises(GiasImportError) as caught:
        import_gias(as_file(realistic_rows()), links=links)

    assert str(caught.value).startswith("Links file, row 3, column LinkURN")
    assert School.objects.count() == 0
    assert SchoolLink.objects.count() == 0


def test_control_character_in_a_link_type_is_refused():
    links = link_file(link_row("100001", "100003", "Predecessor\x00"))

    with pytest.raises(GiasImportError) as caught:
        import_gias(as_file(realistic_rows()), links=links)

    assert (caught.value.file, caught.value.row, caught.value.column) == ("links", 2, "LinkType")
    assert "control character (0x00" in str(caught.value)
    assert (School.objects.count(), SchoolLink.objects.count()) == (0, 0)


def test_dry_run_with_links_writes_nothing():
    links = link_file(link_row("100001", "100003", "Predecessor"))

    result = import_gias(as_file(realistic_rows()), links=links, dry_run=True)

    assert (result.added, result.links_added) == (4, 1)
    assert (School.objects.count(), SchoolLink.objects.count()) == (0, 0)


def test_generated_links_import_for_every_closed_school():
    rows = list(generated_rows(64))
    result = import_gias(
        io.BytesIO(register_bytes(rows)), links=io.BytesIO(links_bytes(generated_links(64)))
    )

    assert result.links_added == 2 * School.objects.filter(status="closed").count()
    assert not SchoolLink.objects.filter(linked_school__isnull=True).exists()


def test_predecessor_ids_follow_links_in_both_directions_nearest_first():
    rows = [school_row(urn) for urn in ("100001", "100002", "100003", "100004")]
    links = link_file(
        # 100003 succeeded 100002 (said from 100003's side) ...
        link_row("100003", "100002", "Predecessor", "01-09-2020"),
        # ... which succeeded 100001 (said from 100001's side only).
        link_row("100001", "100002", "Successor - merged", "01-09-2015"),
        link_row("100004", "100003", "Predecessor", "01-09-2025"),
    )
    import_gias(io.BytesIO(register_bytes(rows)), links=links)
    ids = {s.urn: s.pk for s in School.objects.all()}

    assert predecessor_school_ids(School.objects.get(urn="100003")) == [
        ids["100002"],
        ids["100001"],
    ]
    assert predecessor_school_ids(ids["100002"]) == [ids["100001"]]
    assert predecessor_school_ids(ids["100001"]) == []
    assert predecessor_school_ids(ids["100003"], max_depth=1) == [ids["100002"]]


def test_predecessor_ids_stop_on_a_cycle():
    rows = [school_row("100001"), school_row("100002")]
    links = link_file(
        link_row("100001", "100002", "Predecessor"), link_row("100002", "100001", "Predecessor")
    )
    import_gias(io.BytesIO(register_bytes(rows)), links=links)
    first, second = (School.objects.get(urn=u).pk for u in ("100001", "100002"))

    assert predecessor_school_ids(first) == [second]
