from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from audits.views.home import home
from clc_audit import password_reset
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
    # Django's auth views; password reset goes through clc_audit.password_reset (the
    # email is sent by the worker; rate limits per address and per client).
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
    path("accounts/password_reset/", password_reset.password_reset, name="password_reset"),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        password_reset.ConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", include("audits.urls")),
    path("", include("communities.urls")),
]

handler400 = "clc_audit.errors.bad_request"
handler403 = "clc_audit.errors.permission_denied"
handler404 = "clc_audit.errors.page_not_found"
handler500 = "clc_audit.errors.server_error"
