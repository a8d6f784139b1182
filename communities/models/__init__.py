"""Schools, hubs, memberships, partners and partnerships, and who leads or coordinates.

Communities are always in flux: memberships and partnerships end with a date, they are
never deleted to model a change, and nothing that has history can be deleted (PROTECT).

Who may see what is decided here, once per object type: `get_school_for` and
`get_hub_for` raise 404 for what a person may not see; each scope ("the members of the
hubs I coordinate", "the hubs of the schools I lead") is one queryset method.
"""

from communities.models.hubs import Hub, HubAccess, HubDeadline, HubMembership, get_hub_for
from communities.models.imports import RegisterImport
from communities.models.invitations import LeaderInvitation
from communities.models.messages import SentMessage
from communities.models.partners import (
    CATEGORY_NUMBER_CHOICES,
    LEARNING_PHASE_CHOICES,
    Partner,
    Partnership,
    PartnershipCategory,
    get_partnership_for,
)
from communities.models.people import Profile
from communities.models.schools import (
    PREDECESSOR_LINK_TYPES,
    SUCCESSOR_LINK_TYPES,
    School,
    SchoolLink,
    get_school_for,
    urn_validator,
)
from communities.models.support import SupportAgreement, get_support_for

__all__ = [
    "CATEGORY_NUMBER_CHOICES",
    "LEARNING_PHASE_CHOICES",
    "PREDECESSOR_LINK_TYPES",
    "SUCCESSOR_LINK_TYPES",
    "Hub",
    "HubAccess",
    "HubDeadline",
    "HubMembership",
    "LeaderInvitation",
    "Partner",
    "Partnership",
    "PartnershipCategory",
    "Profile",
    "RegisterImport",
    "School",
    "SchoolLink",
    "SentMessage",
    "SupportAgreement",
    "get_hub_for",
    "get_partnership_for",
    "get_school_for",
    "get_support_for",
    "urn_validator",
]
