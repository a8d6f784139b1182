from django.urls import path

from communities.views import members, my_settings, partnerships, support

app_name = "communities"

urlpatterns = [
    path(
        "schools/<int:school_id>/partnerships/",
        partnerships.school_partnerships,
        name="school_partnerships",
    ),
    path(
        "schools/<int:school_id>/partnerships/new/",
        partnerships.school_partnership_new,
        name="school_partnership_new",
    ),
    path("hubs/<slug:slug>/partnerships/", partnerships.hub_partnerships, name="hub_partnerships"),
    path(
        "hubs/<slug:slug>/partnerships/new/",
        partnerships.hub_partnership_new,
        name="hub_partnership_new",
    ),
    path("partnerships/<int:pk>/edit/", partnerships.partnership_edit, name="partnership_edit"),
    path("partnerships/<int:pk>/end/", partnerships.partnership_end, name="partnership_end"),
    path("hubs/<slug:slug>/support/new/", support.support_new, name="support_new"),
    path("support/<int:pk>/", support.support_detail, name="support_detail"),
    path("hubs/<slug:slug>/members/", members.hub_members, name="hub_members"),
    path("hubs/<slug:slug>/members/add/", members.hub_member_add, name="hub_member_add"),
    path("memberships/<int:pk>/end/", members.membership_end, name="membership_end"),
    path(
        "hubs/<slug:slug>/schools/<int:school_id>/invite/",
        members.leader_invite,
        name="leader_invite",
    ),
    path("invitations/<str:token>/", members.invitation_accept, name="invitation_accept"),
    path("accounts/settings/", my_settings.my_settings, name="my_settings"),
]
