"""A school's lineage in the register: the schools it succeeded, and its successor.

A school that converts or merges gets a new URN; the register's links say which school
came before which. Which link types count is decided once, in `PREDECESSOR_LINK_TYPES`
and `SUCCESSOR_LINK_TYPES` (see `communities.models.schools`).
"""

import datetime

from communities.models import School, SchoolLink

PREDECESSOR_DEPTH = 10


class NoSingleSuccessor(Exception):
    """The register's links name no successor of a school in the database, or several."""


def predecessor_school_ids(school, *, max_depth: int = PREDECESSOR_DEPTH) -> list[int]:
    """Ids of the schools this school (a School or an id) succeeded, nearest first,
    following the register's links back up to `max_depth` generations; one query a
    generation. Both directions of a link count: A's "Predecessor" link to B, or B's
    "Successor" link to A."""
    start = school if isinstance(school, int) else school.pk
    seen, found, frontier = {start}, [], [start]
    for _ in range(max_depth):
        links = SchoolLink.objects.predecessors_of(frontier).order_by("-established_on", "pk")
        frontier = []
        for link in links.only("school_id", "linked_school_id", "link_type"):
            other = link.linked_school_id if link.is_predecessor else link.school_id
            if other is not None and other not in seen:
                seen.add(other)
                found.append(other)
                frontier.append(other)
        if not frontier:
            break
    return found


def successor_of(school: School) -> tuple[School, datetime.date | None]:
    """The one school in the database that succeeded `school`, and the link's date.
    Raises NoSingleSuccessor, saying why, when there is none or more than one."""
    found, unknown = {}, []
    for link in SchoolLink.objects.successors_of(school):
        if link.is_predecessor:  # the successor's own link back to this school
            found.setdefault(link.school_id, link.established_on)
        elif link.linked_school_id is None:
            unknown.append(link.linked_urn)
        else:
            found.setdefault(link.linked_school_id, link.established_on)
    if len(found) > 1:
        raise NoSingleSuccessor(f"{school} has {len(found)} successors")
    if not found:
        raise NoSingleSuccessor(
            f"{school} has no successor: its successor URN {', '.join(unknown)} is not in the "
            "database yet"
            if unknown
            else f"{school} has no successor: the register links name none; import the links "
            "file first"
        )
    ((successor_id, on),) = found.items()
    return School.objects.get(pk=successor_id), on
