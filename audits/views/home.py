"""The home page: what a person leads and coordinates."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from audits.periods import academic_year
from audits.selectors.home import hub_audit_rows, school_rows
from audits.selectors.plans import actions_due_for
from audits.selectors.support import support_of_schools_led_by, support_waiting_for
from audits.selectors.validations import open_validations_for
from communities.models import Hub


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "school_rows": school_rows(user),
        "hub_rows": hub_audit_rows(user),
        "hubs": list(Hub.objects.seen_in_full_by(user)),
        # A superuser sees every hub in full without coordinating them: the page says so.
        "hubs_as_admin": user.is_superuser,
        "member_hubs": list(Hub.objects.of_schools_led_by(user)),
        "current_period": academic_year(),
        "validations_waiting": open_validations_for(user),
        "support_waiting": support_waiting_for(user),
        "support_open": support_of_schools_led_by(user),
        "actions_due": actions_due_for(user),
    }
    return render(request, "audits/home.html", context)
