from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "communities"
    verbose_name = _("Communities")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save

        from communities.language import bring_back_language
        from communities.models import HubMembership
        from communities.support import end_support_of_leaving_school

        user_logged_in.connect(bring_back_language, dispatch_uid="communities.language")
        # Also registers the carrier of partnerships and support (communities.support).
        post_save.connect(
            end_support_of_leaving_school,
            sender=HubMembership,
            dispatch_uid="communities.support.leaving",
        )
