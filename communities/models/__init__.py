"""Schools, hubs, memberships, partners and partnerships, and who leads or coordinates.

Communities are always in flux: memberships and partnerships end with a date, they are
never deleted to model a change, and nothing that has history can be deleted (PROTECT).

Who may see what is decided here, once per object type: `get_school_for` and
`get_hub_for` raise 404 for what a person may not see; each scope ("the members of the
hubs I coordinate", "the hubs of the schools I lead") is one queryset method.
"""

from communities.models.hubs import Hub, HubAccess, HubMembership, get_hub_for
from communities.models.imports import RegisterImport
from communities.models.partners import LEARNING_PHASE_CHOICES, Partner, Partnership
from communities.models.people import Profile
from communities.models.schools import (
    PREDECESSOR_LINK_TYPES,
    SUCCESSOR_LINK_TYPES,
    School,
    SchoolLink,
    get_school_for,
    urn_validator,
)

__all__ = [
    "LEARNING_PHASE_CHOICES",
    "PREDECESSOR_LINK_TYPES",
    "SUCCESSOR_LINK_TYPES",
    "Hub",
    "HubAccess",
    "HubMembership",
    "Partner",
    "Partnership",
    "Profile",
    "RegisterImport",
    "School",
    "SchoolLink",
    "get_hub_for",
    "get_school_for",
    "urn_validator",
]
