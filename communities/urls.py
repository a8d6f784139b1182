from django.urls import path

from communities import views

app_name = "communities"

urlpatterns = [
    path("hubs/<slug:slug>/", views.hub_detail, name="hub_detail"),
    path("hubs/<slug:slug>/summary/", views.hub_summary, name="hub_summary"),
    path("hubs/<slug:slug>/heatmap.csv", views.hub_export_csv, name="hub_export_csv"),
    path("hubs/<slug:slug>/heatmap.xlsx", views.hub_export_xlsx, name="hub_export_xlsx"),
    path(
        "hubs/<slug:slug>/pairings.csv",
        views.hub_export_pairings_csv,
        name="hub_export_pairings_csv",
    ),
]
