"""Pages that may read anything, cached until anything changes.

The key holds the data version of `audits.hub_cache`, which on PostgreSQL includes the
server's snapshot (`pg_current_snapshot()`): it moves whenever any transaction that wrote
commits, so a page cached under it is never older than the data. SQLite's data version
sees only the history of what the hub page reads, not every table a page may read, so
on SQLite nothing is cached this way.

The key holds the language, today and what the caller puts in `part` (the person, for a
page built for them). Who may see the page is decided before the cache is read, on every
request. A page's CSRF tokens are cached as a placeholder (`without_csrf_token`) and
filled in for each response (`with_csrf_token`), masked anew as Django does.

On a busy server every commit anywhere moves the data version, so this helps most where
pages are read more often than anything is written.
"""

import hashlib
import re
from collections.abc import Callable

from django.core.cache import caches
from django.db import connection
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from audits import hub_cache


def get_or_build(part: tuple, build: Callable[[], object], *, timeout: int):
    """The value cached for `part` (validated values) while nothing has changed, or
    `build()`, cached for `timeout` seconds (0: never cached)."""
    if not timeout or connection.vendor != "postgresql":
        return build()
    stamp = (hub_cache.data_version(), timezone.localdate(), get_language(), part)
    key = f"page:{hashlib.sha256(repr(stamp).encode()).hexdigest()}"
    pages = caches["pages"]
    value = pages.get(key)
    if value is None:
        value = build()
        pages.set(key, value, timeout)
    return value


# What `{% csrf_token %}` renders, and what stands in for its token in the cache: it
# starts with "<", which no escaped text a page shows can hold.
_CSRF_FIELD = re.compile(r'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(">)')
CSRF_PLACEHOLDER = "<csrf-token>"


def without_csrf_token(content: str) -> str:
    """The rendered page with its CSRF tokens replaced by the placeholder, to cache."""
    return _CSRF_FIELD.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", content)


def with_csrf_token(content: str, request) -> SafeString:
    """A cached page with this request's CSRF token in place of the placeholder."""
    # the page was escaped when it was rendered; a token is letters and digits
    return mark_safe(content.replace(CSRF_PLACEHOLDER, get_token(request)))
