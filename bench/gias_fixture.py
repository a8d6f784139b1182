"""Register-shaped GIAS files for tests and the benchmark.

`school_row()` and `register_bytes()` build small files for tests; `write_register()` and
`write_links()` stream a full-size pair (50,000 rows) to disk. Everything is written as
the register is published: Windows-1252, a header row, every field quoted, `dd-mm-yyyy`
dates, codes as text with their leading zeros, and many columns the import ignores.
"""

import csv
import io
import random
from collections.abc import Iterable, Iterator
from pathlib import Path

ENCODING = "cp1252"

# The columns of the real "all establishment data" file, as published: the dozen the
# import reads among the many it does not (138 in all, the published width).
REGISTER_HEADER = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (code)",
    "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (code)",
    "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (code)",
    "EstablishmentStatus (name)",
    "ReasonEstablishmentOpened (code)",
    "ReasonEstablishmentOpened (name)",
    "OpenDate",
    "ReasonEstablishmentClosed (code)",
    "ReasonEstablishmentClosed (name)",
    "CloseDate",
    "PhaseOfEducation (code)",
    "PhaseOfEducation (name)",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "Boarders (code)",
    "Boarders (name)",
    "NurseryProvision (name)",
    "OfficialSixthForm (code)",
    "OfficialSixthForm (name)",
    "Gender (code)",
    "Gender (name)",
    "ReligiousCharacter (code)",
    "ReligiousCharacter (name)",
    "ReligiousEthos (name)",
    "Diocese (code)",
    "Diocese (name)",
    "AdmissionsPolicy (code)",
    "AdmissionsPolicy (name)",
    "SchoolCapacity",
    "SpecialClasses (code)",
    "SpecialClasses (name)",
    "CensusDate",
    "NumberOfPupils",
    "NumberOfBoys",
    "NumberOfGirls",
    "PercentageFSM",
    "TrustSchoolFlag (code)",
    "TrustSchoolFlag (name)",
    "Trusts (code)",
    "Trusts (name)",
    "SchoolSponsorFlag (name)",
    "SchoolSponsors (name)",
    "FederationFlag (name)",
    "Federations (code)",
    "Federations (name)",
    "UKPRN",
    "FEHEIdentifier",
    "FurtherEducationType (name)",
    "OfstedLastInsp",
    "OfstedSpecialMeasures (code)",
    "OfstedSpecialMeasures (name)",
    "LastChangedDate",
    "Street",
    "Locality",
    "Address3",
    "Town",
    "County (name)",
    "Postcode",
    "SchoolWebsite",
    "TelephoneNum",
    "HeadTitle (name)",
    "HeadFirstName",
    "HeadLastName",
    "HeadPreferredJobTitle",
    "GOR (code)",
    "GOR (name)",
    "DistrictAdministrative (code)",
    "DistrictAdministrative (name)",
    "AdministrativeWard (code)",
    "AdministrativeWard (name)",
    "ParliamentaryConstituency (code)",
    "ParliamentaryConstituency (name)",
    "UrbanRural (code)",
    "UrbanRural (name)",
    "Easting",
    "Northing",
    "MSOA (name)",
    "LSOA (name)",
    "Country (name)",
    "UPRN",
    "SiteName",
    "HeadHonours",
    "PropsName",
    "InspectorateName (name)",
    "InspectorateReport",
    "DateOfLastInspectionVisit",
    "NextInspectionVisit",
    "TeenMoth (name)",
    "TeenMothPlaces",
    "CCF (name)",
    "SENPRU (name)",
    "EBD (name)",
    "PlacesPRU",
    "FTProv (name)",
    "EdByOther (name)",
    "Section41Approved (name)",
    "SEN1 (name)",
    "SEN2 (name)",
    "SEN3 (name)",
    "SEN4 (name)",
    "SEN5 (name)",
    "SEN6 (name)",
    "SEN7 (name)",
    "SEN8 (name)",
    "SEN9 (name)",
    "SEN10 (name)",
    "SEN11 (name)",
    "SEN12 (name)",
    "SEN13 (name)",
    "TypeOfResourcedProvision (name)",
    "ResourcedProvisionOnRoll",
    "ResourcedProvisionCapacity",
    "SenUnitOnRoll",
    "SenUnitCapacity",
    "BSOInspectorateName (name)",
    "CHNumber",
    "MSOA (code)",
    "LSOA (code)",
    "FSM",
    "AccreditationExpiryDate",
    "QABName (code)",
    "QABName (name)",
    "EstablishmentAccredited (code)",
    "EstablishmentAccredited (name)",
    "QABReport",
    "PreviousLA (code)",
    "PreviousLA (name)",
    "PreviousEstablishmentNumber",
    "OfstedRating (name)",
    "RSCRegion (name)",
    "Country (code)",
]
LINKS_HEADER = ["URN", "LinkURN", "LinkName", "LinkType", "LinkEstablishedDate"]

STATUS_CODES = {
    "Open": "1",
    "Closed": "2",
    "Open, but proposed to close": "3",
    "Proposed to open": "4",
}
LOCAL_AUTHORITIES = [
    ("201", "City of London"),
    ("202", "Camden"),
    ("313", "Hounslow"),
    ("873", "Cambridgeshire"),
    ("919", "Hertfordshire"),
    ("330", "Birmingham"),
]
PHASES = [("2", "Primary"), ("4", "Secondary"), ("7", "Special"), ("0", "Not applicable")]
TYPES = [
    ("01", "Community school", "4", "Local authority maintained schools"),
    ("28", "Academy sponsor led", "10", "Academies"),
    ("34", "Academy converter", "10", "Academies"),
    ("03", "Voluntary aided school", "4", "Local authority maintained schools"),
]
NAMES = [
    "St Thomas à Becket Catholic Primary School",
    "Christ Church, Chelsea C of E Primary School",
    "St Mary’s Church of England Junior School",
    "Lampton School",
    "Torriano School",
    "École Française de Londres Jacques Prévert",
    "Our Lady of Lourdes Catholic Primary, Hanwell",
    "Thomas Gray Primary – Stoke Poges",
    "Pöppelmann Academy",
]


def school_row(urn: str, **overrides: str) -> dict[str, str]:
    """One register row with realistic values; `overrides` by column name."""
    row = dict.fromkeys(REGISTER_HEADER, "")
    row.update(
        {
            "URN": urn,
            "LA (code)": "313",
            "LA (name)": "Hounslow",
            "EstablishmentNumber": "0042",
            "EstablishmentName": f"School {urn}",
            "TypeOfEstablishment (code)": "34",
            "TypeOfEstablishment (name)": "Academy converter",
            "EstablishmentTypeGroup (code)": "10",
            "EstablishmentTypeGroup (name)": "Academies",
            "EstablishmentStatus (code)": "1",
            "EstablishmentStatus (name)": "Open",
            "OpenDate": "01-09-2011",
            "PhaseOfEducation (code)": "4",
            "PhaseOfEducation (name)": "Secondary",
            "LastChangedDate": "15-03-2024",
            "Town": "Hounslow",
            "Postcode": "TW5 0AA",
            "Country (name)": "United Kingdom",
        }
    )
    row.update(overrides)
    return row


def link_row(urn: str, link_urn: str, link_type: str, date: str = "01-09-2015") -> dict:
    return {
        "URN": urn,
        "LinkURN": link_urn,
        "LinkName": f"School {link_urn}",
        "LinkType": link_type,
        "LinkEstablishedDate": date,
    }


def _write(handle, header: list[str], rows: Iterable[dict]) -> None:
    writer = csv.DictWriter(handle, fieldnames=header, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)


def register_bytes(rows: Iterable[dict], *, header: list[str] | None = None) -> bytes:
    handle = io.StringIO(newline="")
    _write(handle, header or REGISTER_HEADER, rows)
    return handle.getvalue().encode(ENCODING)


def links_bytes(rows: Iterable[dict]) -> bytes:
    handle = io.StringIO(newline="")
    _write(handle, LINKS_HEADER, rows)
    return handle.getvalue().encode(ENCODING)


# Full-size files ----------------------------------------------------------------------

FIRST_URN = 100000


def _date(rng: random.Random, first_year: int, last_year: int) -> str:
    return f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-{rng.randint(first_year, last_year)}"


def generated_rows(count: int, *, seed: int = 6) -> Iterator[dict]:
    """`count` register rows: about one in eight closed (the odd ones of each 16 among
    the first half), a few proposed to close or to open, accented names, quoted commas."""
    rng = random.Random(seed)
    for index in range(count):
        urn = f"{FIRST_URN + index:06d}"
        la_code, la_name = LOCAL_AUTHORITIES[index % len(LOCAL_AUTHORITIES)]
        phase_code, phase = PHASES[index % len(PHASES)]
        type_code, type_name, group_code, group = TYPES[index % len(TYPES)]
        status = _status_for(index, count)
        yield school_row(
            urn,
            **{
                "LA (code)": la_code,
                "LA (name)": la_name,
                "EstablishmentNumber": f"{index % 8000:04d}",
                "EstablishmentName": f"{NAMES[index % len(NAMES)]} {index}",
                "TypeOfEstablishment (code)": type_code,
                "TypeOfEstablishment (name)": type_name,
                "EstablishmentTypeGroup (code)": group_code,
                "EstablishmentTypeGroup (name)": group,
                "EstablishmentStatus (code)": STATUS_CODES[status],
                "EstablishmentStatus (name)": status,
                "OpenDate": _date(rng, 1960, 2020),
                "CloseDate": _date(rng, 2021, 2025) if status == "Closed" else "",
                "PhaseOfEducation (code)": phase_code,
                "PhaseOfEducation (name)": phase,
                "LastChangedDate": _date(rng, 2022, 2025),
                "NumberOfPupils": str(rng.randint(30, 1800)),
                "SchoolCapacity": str(rng.randint(60, 2000)),
                "Street": f"{rng.randint(1, 300)} High Street",
                "Town": la_name,
                "Postcode": f"TW{index % 20} {index % 10}AB",
                "TelephoneNum": f"020{rng.randint(10000000, 99999999)}",
                "HeadFirstName": "Anne-Marie",
                "HeadLastName": "O’Brien",
                "Easting": str(rng.randint(100000, 600000)),
                "Northing": str(rng.randint(100000, 600000)),
            },
        )


def _status_for(index: int, count: int) -> str:
    if index < count // 2 and index % 16 in (1, 3):
        return "Closed"
    if index % 97 == 0:
        return "Open, but proposed to close"
    if index % 101 == 0:
        return "Proposed to open"
    return "Open"


def generated_links(count: int) -> Iterator[dict]:
    """Both directions of a successor link for every closed school of `generated_rows`:
    the school at index i (closed) was succeeded by the one at i + count // 2."""
    for index in range(count // 2):
        if _status_for(index, count) != "Closed":
            continue
        old, new = f"{FIRST_URN + index:06d}", f"{FIRST_URN + index + count // 2:06d}"
        yield link_row(old, new, "Successor", "01-09-2021")
        yield link_row(new, old, "Predecessor", "01-09-2021")


def write_register(path: Path, count: int, *, seed: int = 6) -> None:
    with open(path, "w", encoding=ENCODING, newline="") as handle:
        _write(handle, REGISTER_HEADER, generated_rows(count, seed=seed))


def write_links(path: Path, count: int) -> None:
    with open(path, "w", encoding=ENCODING, newline="") as handle:
        _write(handle, LINKS_HEADER, generated_links(count))
