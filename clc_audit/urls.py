from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from audits.views.home import home
from clc_audit.views import healthz, help_page
from communities.language import switch_language

admin.site.site_header = "CLC Audit administration"
admin.site.site_title = "CLC Audit admin"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("language/", switch_language, name="switch_language"),
    path("help/", help_page, name="help"),
    path("admin/", admin.site.urls),
    # Django's auth views without password reset: resetting needs outgoing email, which an
    # admin replaces by setting a new password in the admin.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("audits.urls")),
    path("", include("communities.urls")),
]

handler400 = "clc_audit.errors.bad_request"
handler403 = "clc_audit.errors.permission_denied"
handler404 = "clc_audit.errors.page_not_found"
handler500 = "clc_audit.errors.server_error"
