"""The forms of the audit pages and the hub page.

The forms accept only their own fields: a posted school, status or submitted_by is
ignored, because no field carries it.
"""

from audits.forms.audit import AuditForm
from audits.forms.errors import error_summary_links
from audits.forms.hub import HubFiltersForm, HubSharingForm
from audits.forms.start import AuditDiscardForm, AuditStartForm, first_free_period
from audits.periods import academic_year

__all__ = [
    "AuditDiscardForm",
    "AuditForm",
    "AuditStartForm",
    "HubFiltersForm",
    "HubSharingForm",
    "academic_year",
    "error_summary_links",
    "first_free_period",
]
