"""A person's own settings: reminders by email and language (their Profile). Anyone
logged in, for themselves only: there is no other person's page to ask for."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from clc_audit.error_summary import error_summary_links
from communities.models import Profile


def _language_choices() -> list[tuple[str, str]]:
    return [("", _("The browser's language")), *settings.LANGUAGES]


class MySettingsForm(forms.ModelForm):
    email_reminders = forms.BooleanField(
        label=gettext_lazy("Email me reminders"),
        required=False,
        help_text=gettext_lazy(
            "Actions due, audit deadlines, peer validations waiting and, for coordinators, "
            "the weekly digest. Password reset and other messages about your account are "
            "always sent."
        ),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the pages and emails"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose one of the languages listed.")},
    )

    class Meta:
        model = Profile
        fields = ["email_reminders", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _language_choices()


@require_http_methods(["GET", "HEAD", "POST"])
def my_settings(request: HttpRequest) -> HttpResponse:
    # Saved only with the form: reading the page creates nothing.
    profile = Profile.objects.filter(user=request.user).first() or Profile(user=request.user)
    form = MySettingsForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        _use_language(request, form.cleaned_data["language"])
        messages.success(request, _("Your settings are saved."))
        return redirect("communities:my_settings")
    links = error_summary_links(form, form_anchor="settings-form")
    return render(request, "communities/my_settings.html", {"form": form, "error_links": links})


def _use_language(request: HttpRequest, language: str) -> None:
    """The chosen language from this response on, as the switcher does it."""
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = language
        request.remember_language = language
