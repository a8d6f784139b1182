"""Who may be asked to validate a school's audit, as the invitation form lists them: the
leaders of the other current member schools of its current hubs and the coordinators of
those hubs (`audits.models.audits.peers_of_school_q` says the same of one person), less
the school's own leaders and anyone with a live validation of the audit already."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from audits.models import Audit, Validation
from communities.models import Hub, HubMembership, School


@dataclass
class Peer:
    """A person who may be invited, and what makes them a peer ("leader of Brentside
    School", "coordinator of London West")."""

    user: object
    roles: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def label(self) -> str:
        return _("%(name)s, %(roles)s") % {"name": self.name, "roles": "; ".join(self.roles)}


def eligible_peers(audit: Audit) -> list[Peer]:
    """The people who may be invited to validate the audit: leaders by school name, then
    coordinators by hub name. Two queries (none for a hub's audit)."""
    if audit.school_id is None:
        return []
    hubs = HubMembership.objects.current().filter(school_id=audit.school_id).values("hub_id")
    members = (
        HubMembership.objects.current()
        .filter(hub_id__in=hubs)
        .exclude(school_id=audit.school_id)
        .values("school_id")
    )
    not_eligible = {
        "user_id__in": School.leaders.through.objects.filter(school_id=audit.school_id).values(
            "user_id"
        )
    }
    invited = Validation.objects.filter(audit_id=audit.pk).live().values("validator_id")
    leaders = (
        School.leaders.through.objects.filter(school_id__in=members, user__is_active=True)
        .exclude(**not_eligible)
        .exclude(user_id__in=invited)
        .select_related("user", "school")
        .order_by("school__name", "user__last_name", "user__first_name", "user__username")
    )
    coordinators = (
        Hub.coordinators.through.objects.filter(hub_id__in=hubs, user__is_active=True)
        .exclude(**not_eligible)
        .exclude(user_id__in=invited)
        .select_related("user", "hub")
        .order_by("hub__name", "user__last_name", "user__first_name", "user__username")
    )
    peers: dict[int, Peer] = {}
    for row in leaders:
        peer = peers.setdefault(row.user_id, Peer(row.user))
        peer.roles.append(_("leader of %(school)s") % {"school": row.school.name})
    for row in coordinators:
        peer = peers.setdefault(row.user_id, Peer(row.user))
        peer.roles.append(_("coordinator of %(hub)s") % {"hub": row.hub.name})
    return list(peers.values())
