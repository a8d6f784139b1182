"""The files and links of an audit's evidence: a file is served to whoever may read the
audit, always as a download; removing one is for whoever may change the draft."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from audits import services
from audits.models import EvidenceFile, EvidenceLink, get_audit_for
from audits.services import AuditConflict, AuditDiscarded


@require_safe
def evidence_file(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    """A file, to whoever may read its audit: always as a download (never shown in the
    page's origin), its type as stored when it was checked, never sniffed."""
    audit = get_audit_for(request.user, pk)
    evidence = get_object_or_404(EvidenceFile.objects.of_audit(audit), pk=file_id)
    response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type)
    response["Content-Disposition"] = content_disposition_header(True, evidence.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
def evidence_remove(request: HttpRequest, pk: int, kind: str, evidence_id: int) -> HttpResponse:
    """Removes a file or a link from a draft's category, for whoever may change it."""
    audit = get_audit_for(request.user, pk, write=True)
    model = {"files": EvidenceFile, "links": EvidenceLink}.get(kind)
    if model is None:
        raise Http404
    evidence = get_object_or_404(
        model.objects.of_audit(audit).select_related("rating"), pk=evidence_id
    )
    try:
        services.evidence_remove(audit=audit, evidence=evidence, by=request.user)
    except (AuditConflict, AuditDiscarded):
        return redirect("audits:audit_report", pk=pk)
    messages.success(request, _("%(name)s is removed.") % {"name": str(evidence)})
    url = reverse("audits:audit_category", args=[pk, evidence.rating.category])
    return redirect(url + ("?return=check" if request.POST.get("return") == "check" else ""))
