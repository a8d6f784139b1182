from django.urls import path

from audits.views import audit_form, audit_steps, evidence, hub, journey, report

app_name = "audits"

urlpatterns = [
    path("schools/<int:school_id>/", journey.school_journey, name="school_journey"),
    path("schools/<int:school_id>/audits/new/", audit_form.audit_start, name="audit_start"),
    path("hubs/<slug:slug>/", hub.hub_detail, name="hub_detail"),
    path("hubs/<slug:slug>/summary/", hub.hub_summary, name="hub_summary"),
    path("hubs/<slug:slug>/sharing/", hub.hub_sharing, name="hub_sharing"),
    path("hubs/<slug:slug>/heatmap.csv", hub.hub_export_csv, name="hub_export_csv"),
    path("hubs/<slug:slug>/heatmap.xlsx", hub.hub_export_xlsx, name="hub_export_xlsx"),
    path(
        "hubs/<slug:slug>/pairings.csv", hub.hub_export_pairings_csv, name="hub_export_pairings_csv"
    ),
    path("hubs/<slug:slug>/audits/new/", audit_form.hub_audit_start, name="hub_audit_start"),
    path("audits/<int:pk>/", report.audit_report, name="audit_report"),
    path("audits/<int:pk>/edit/", audit_steps.audit_tasks, name="audit_edit"),
    path("audits/<int:pk>/edit/all/", audit_form.audit_edit_all, name="audit_edit_all"),
    path(
        "audits/<int:pk>/categories/<int:number>/",
        audit_steps.audit_category,
        name="audit_category",
    ),
    path("audits/<int:pk>/reflections/", audit_steps.audit_reflections, name="audit_reflections"),
    path("audits/<int:pk>/check/", audit_steps.audit_check, name="audit_check"),
    path("audits/<int:pk>/submitted/", audit_steps.audit_submitted, name="audit_submitted"),
    path("audits/<int:pk>/files/<int:file_id>/", evidence.evidence_file, name="evidence_file"),
    path(
        "audits/<int:pk>/<str:kind>/<int:evidence_id>/remove/",
        evidence.evidence_remove,
        name="evidence_remove",
    ),
    path("audits/<int:pk>/discard/", audit_form.audit_discard, name="audit_discard"),
]
