from django.urls import path

from audits import views

app_name = "audits"

urlpatterns = [
    path("schools/<int:school_id>/", views.school_journey, name="school_journey"),
    path("schools/<int:school_id>/audits/new/", views.audit_start, name="audit_start"),
    path("hubs/<slug:slug>/audits/new/", views.hub_audit_start, name="hub_audit_start"),
    path("audits/<int:pk>/", views.audit_report, name="audit_report"),
    path("audits/<int:pk>/edit/", views.audit_edit, name="audit_edit"),
    path("audits/<int:pk>/discard/", views.audit_discard, name="audit_discard"),
]
