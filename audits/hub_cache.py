"""The hub page's content, cached under keys that change with what that hub shows.

Each key holds the hub, the language, today (memberships start and end by date), what is
cached (the page for some validated filters, or the phases those are checked against)
and the hub's *fingerprint* (`hub_fingerprint`): for the hub's memberships, its member
schools and their audits (and the hub's own), the newest history id and the number of
history rows. Every save, admin edit, register import and reopening writes a history row,
and a submitted audit's ratings cannot change without one. The count matters as much as
the newest id: a transaction that took a history id before another but commits after it
leaves the newest id unchanged, and adds a row. A change to another hub leaves this hub's
fingerprint, and so its pages, alone.

The fingerprint reads every history row of the hub, so it is not read on every request:
`data_version` (one index lookup per table) says whether anything anywhere has changed
since the fingerprint was taken, and only then is it read again. On PostgreSQL the data
version includes the current snapshot (`pg_current_snapshot()`), which changes whenever a
transaction commits, so a late commit is never missed; SQLite has one writer at a time.

Who may see the page is decided before the cache is read, on every request.
"""

import functools
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language

from audits.models import Audit, ImprovementAction, Rating, Validation
from communities.models import (
    Hub,
    HubMembership,
    Partner,
    Partnership,
    PartnershipCategory,
    School,
    SupportAgreement,
)

# Whose history the hub page reads: what it shows of schools, memberships, audits,
# partners and partnerships (and the cells they feed), peer validations, agreed support
# and the member schools' improvement actions.
TRACKED = [
    ("school", School),
    ("membership", HubMembership),
    ("audit", Audit),
    ("partner", Partner),
    ("partnership", Partnership),
    ("cell", PartnershipCategory),
    ("validation", Validation),
    ("support", SupportAgreement),
    ("action", ImprovementAction),
]


def _tables() -> dict[str, str]:
    """The quoted table names the two queries read (`Model.history` builds a manager on
    every access: too dear for every request)."""
    quote = connection.ops.quote_name
    history = {name: model.history.model._meta.db_table for name, model in TRACKED}
    return {
        **{name: quote(table) for name, table in history.items()},
        "rating": quote(Rating._meta.db_table),
        "live_membership": quote(HubMembership._meta.db_table),
        "live_partnership": quote(Partnership._meta.db_table),
        "live_audit": quote(Audit._meta.db_table),
        "live_action": quote(ImprovementAction._meta.db_table),
        "user": quote(get_user_model()._meta.db_table),
    }


@functools.cache
def _data_version_sql(vendor: str) -> str:
    tables = _tables()
    columns = [f"(SELECT MAX(history_id) FROM {tables[name]})" for name, _ in TRACKED]
    columns.append(f"(SELECT MAX(id) FROM {tables['rating']})")
    if vendor == "postgresql":
        columns.append("pg_current_snapshot()::text")
    return f"SELECT {', '.join(columns)}"


def _members_sql(tables: dict[str, str]) -> str:
    """The hub's member schools, present or past (one parameter: the hub)."""
    return f"SELECT school_id FROM {tables['live_membership']} WHERE hub_id = %s"


@functools.cache
def _fingerprint_sql() -> str:
    tables = _tables()
    members = _members_sql(tables)
    of_members = f"school_id IN ({members})"
    partnerships = f"SELECT id FROM {tables['live_partnership']} WHERE {of_members}"
    partners = f"SELECT partner_id FROM {tables['partnership']} WHERE {of_members}"
    audits = f"SELECT id FROM {tables['live_audit']} WHERE {of_members}"
    parts = [
        (tables["membership"], "hub_id = %s"),
        (tables["school"], f"id IN ({members})"),
        (tables["audit"], f"{of_members} OR hub_id = %s"),
        (tables["partner"], f"id IN ({partners})"),
        (tables["partnership"], of_members),
        (tables["cell"], f"partnership_id IN ({partnerships})"),
        (tables["validation"], f"audit_id IN ({audits})"),
        (tables["support"], "hub_id = %s"),
        (tables["action"], of_members),
    ]
    return " UNION ALL ".join(
        f"SELECT MAX(history_id), COUNT(*) FROM {table} WHERE {where}" for table, where in parts
    )


@functools.cache
def _owners_sql() -> str:
    """The names the hub's actions show of their owners, users without a history."""
    tables = _tables()
    owners = (
        f"SELECT owner_id FROM {tables['live_action']} WHERE school_id IN ({_members_sql(tables)})"
    )
    return (
        f"SELECT id, username, first_name, last_name FROM {tables['user']} "
        f"WHERE id IN ({owners}) ORDER BY id"
    )


def data_version() -> tuple:
    """A token that changes whenever anything any hub page shows may have changed, read
    in one query of index lookups whatever the size of the tables: the newest history id
    of everything the page reads (TRACKED), the newest rating, and on PostgreSQL the
    current snapshot."""
    with connection.cursor() as cursor:
        cursor.execute(_data_version_sql(connection.vendor))
        return tuple(cursor.fetchone())


def hub_fingerprint(hub: Hub) -> tuple:
    """What this hub's pages show, as (newest history id, history rows) of its memberships,
    its member schools (present or past), their audits and its own, their partnerships
    and the cells those feed, their audits' peer validations, the hub's agreed support
    and its member schools' improvement actions, and the names of those actions' owners
    (users keep no history: on SQLite the data version does not see them change, on
    PostgreSQL its snapshot does). Two queries."""
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql(), [hub.pk] * _fingerprint_sql().count("%s"))
        histories = tuple(cursor.fetchall())
        cursor.execute(_owners_sql(), [hub.pk])
        owners = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
    return (*histories, owners)


class HubPageCache:
    """The cached parts of one hub's page for this request. With HUB_PAGE_CACHE_SECONDS
    at 0 nothing is cached and the version is never read; otherwise the timeout only
    bounds how long an unused entry is kept, since the keys change with the data."""

    def __init__(self, hub: Hub):
        self.hub = hub
        self.timeout = settings.HUB_PAGE_CACHE_SECONDS
        self._stamp = None

    def fingerprint(self) -> tuple:
        """The hub's fingerprint: kept in the cache beside the data version it was read
        at, and read again only when that version has moved."""
        version = data_version()
        key = f"hub-fingerprint:{self.hub.pk}"
        kept = cache.get(key)
        if kept is not None and kept[0] == version:
            return kept[1]
        fingerprint = hub_fingerprint(self.hub)
        cache.set(key, (version, fingerprint), self.timeout)
        return fingerprint

    def key(self, part: tuple) -> str:
        if self._stamp is None:
            self._stamp = (self.fingerprint(), timezone.localdate())
        digest = hashlib.sha256(repr((self._stamp, part)).encode()).hexdigest()
        return f"hub-page:{self.hub.pk}:{get_language()}:{digest}"

    def get_or_build(self, part: tuple, build: Callable[[], object]):
        """The cached value of `part` (a tuple of validated values), or `build()` cached."""
        if not self.timeout:
            return build()
        key = self.key(part)
        value = cache.get(key)
        if value is None:
            value = build()
            cache.set(key, value, self.timeout)
        return value
