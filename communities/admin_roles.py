"""Who may give someone a role in the admin: leading a school, coordinating a hub.

Giving a role is its own permission (`communities.change_school_leaders`,
`communities.change_hub_coordinators`), separate from editing the school or the hub:
without it the field is read-only. Nobody, superusers included, gives themselves a role
or takes their own away. Every change is kept in history (the models' many-to-many
history). The same care covers people's own permissions in the user admin.
"""

from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class RolesAdminMixin:
    """For a ModelAdmin with one role field (`role_field`) guarded by `role_permission`."""

    role_field = ""
    role_permission = ""

    def may_give_roles(self, request) -> bool:
        return request.user.has_perm(self.role_permission)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.may_give_roles(request):
            fields.append(self.role_field)
        return fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        role_field, user = self.role_field, request.user

        class RolesForm(form):
            def clean(self):
                data = super().clean()
                if role_field in self.fields and role_field in self.changed_data:
                    before = {u.pk for u in self.initial.get(role_field, [])}
                    after = {u.pk for u in data.get(role_field, [])}
                    if user.pk in before ^ after:
                        raise ValidationError(
                            {
                                role_field: _(
                                    "You cannot give yourself a role or take your own away: "
                                    "ask another administrator."
                                )
                            }
                        )
                return data

        return RolesForm


# What a person's access is made of: only a superuser changes it, and never their own.
ACCESS_FIELDS = ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")


class GuardedUserAdmin(UserAdmin):
    """Django's user admin, where only a superuser changes what gives access (staff
    status, superuser status, groups, permissions), and nobody changes their own."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and (not request.user.is_superuser or obj.pk == request.user.pk):
            fields.extend(ACCESS_FIELDS)
        return fields
