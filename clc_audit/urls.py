from django.contrib import admin
from django.urls import include, path

from audits.views import home
from clc_audit.views import healthz

admin.site.site_header = "CLC Audit administration"
admin.site.site_title = "CLC Audit admin"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("communities.urls")),
    path("", include("audits.urls")),
]
