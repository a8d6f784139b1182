from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from audits.instrument import AREAS, CATEGORIES, SOURCES


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the app and its database answer, 503 when the database does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_not_required
@require_safe
def help_page(request: HttpRequest) -> HttpResponse:
    """How the audit works: the grid, the stages, Virtuous, who sees what. Open to all."""
    grid = [(area, [c for c in CATEGORIES if c.area == area]) for area in AREAS]
    return render(request, "help.html", {"grid": grid, "sources": SOURCES})
