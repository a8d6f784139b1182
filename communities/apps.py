from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "communities"
    verbose_name = _("Communities")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from communities.language import bring_back_language

        user_logged_in.connect(bring_back_language, dispatch_uid="communities.language")
