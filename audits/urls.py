from django.urls import path

from audits.views import (
    audit_form,
    audit_steps,
    evidence,
    follow_up,
    hub,
    hub_actions,
    journey,
    plans,
    report,
    validation,
)

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
    path(
        "audits/<int:pk>/validations/new/",
        validation.validation_invite,
        name="validation_invite",
    ),
    path("validations/<int:pk>/", validation.validation_tasks, name="validation_tasks"),
    path("validations/<int:pk>/answer/", validation.validation_answer, name="validation_answer"),
    path(
        "validations/<int:pk>/categories/<int:number>/",
        validation.validation_category,
        name="validation_category",
    ),
    path("validations/<int:pk>/check/", validation.validation_check, name="validation_check"),
    path(
        "validations/<int:pk>/withdraw/",
        validation.validation_withdraw,
        name="validation_withdraw",
    ),
    path(
        "hubs/<slug:slug>/partnerships.csv",
        hub.hub_export_partnerships_csv,
        name="hub_export_partnerships_csv",
    ),
    path(
        "hubs/<slug:slug>/partnerships.xlsx",
        hub.hub_export_partnerships_xlsx,
        name="hub_export_partnerships_xlsx",
    ),
    path("schools/<int:school_id>/plan/", plans.school_plan, name="school_plan"),
    path("audits/<int:pk>/actions/new/", plans.action_new, name="action_new"),
    path("actions/<int:pk>/", plans.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", plans.action_edit, name="action_edit"),
    path("hubs/<slug:slug>/follow-up/", follow_up.hub_follow_up, name="hub_follow_up"),
    path(
        "hubs/<slug:slug>/follow-up.csv",
        follow_up.hub_export_follow_up_csv,
        name="hub_export_follow_up_csv",
    ),
    path(
        "hubs/<slug:slug>/follow-up.xlsx",
        follow_up.hub_export_follow_up_xlsx,
        name="hub_export_follow_up_xlsx",
    ),
    path("hubs/<slug:slug>/deadline/", follow_up.hub_deadline, name="hub_deadline"),
    path(
        "hubs/<slug:slug>/actions.csv",
        hub_actions.hub_export_actions_csv,
        name="hub_export_actions_csv",
    ),
    path(
        "hubs/<slug:slug>/actions.xlsx",
        hub_actions.hub_export_actions_xlsx,
        name="hub_export_actions_xlsx",
    ),
]
