"""The hub page's content, cached under keys that change with what that hub shows.

Each key holds the hub, the language, today (memberships start and end by date), what
is cached (the page for some validated filters, or the phases the filters are checked
against) and a version of the hub's data read in one query (`hub_page_version`): for the
hub's memberships, its member schools and their audits (and the hub's own), the newest
history id and the number of history rows. Every save, admin edit, register import and
reopening writes a history row, and a submitted audit's ratings cannot change without
one. The count matters as much as the newest id: a transaction that took a history id
before another but commits after it leaves the newest id unchanged, and adds a row. A
change to another hub leaves this hub's keys alone.

Who may see the page is decided before the cache is read, on every request.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language

from audits.models import Audit
from communities.models import Hub, HubMembership, School


def _newest_and_count(table: str, where: str) -> str:
    newest = f"(SELECT MAX(history_id) FROM {table} WHERE {where})"
    return f"{newest}, (SELECT COUNT(*) FROM {table} WHERE {where})"


def hub_page_version(hub: Hub) -> tuple:
    """A token that changes whenever anything this hub's page shows may have changed. One
    query of six index lookups, whatever the size of the tables."""
    quote = connection.ops.quote_name
    members = f"SELECT school_id FROM {quote(HubMembership._meta.db_table)} WHERE hub_id = %s"
    audits = f"(school_id IN ({members}) OR hub_id = %s)"
    parts = [
        _newest_and_count(quote(HubMembership.history.model._meta.db_table), "hub_id = %s"),
        _newest_and_count(quote(School.history.model._meta.db_table), f"id IN ({members})"),
        _newest_and_count(quote(Audit.history.model._meta.db_table), audits),
    ]
    params = [hub.pk] * 8
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        return tuple(cursor.fetchone())


class HubPageCache:
    """The cached parts of one hub's page for this request. With HUB_PAGE_CACHE_SECONDS
    at 0 nothing is cached and the version is never read; otherwise the timeout only
    bounds how long an unused entry is kept, since the keys change with the data."""

    def __init__(self, hub: Hub):
        self.hub = hub
        self.timeout = settings.HUB_PAGE_CACHE_SECONDS
        self._stamp = None

    def key(self, part: tuple) -> str:
        if self._stamp is None:
            self._stamp = (hub_page_version(self.hub), timezone.localdate())
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
