"""The base of every admin class with history pages (django-simple-history).

simple-history's version page ("revert") checks only that the user may view the object or
change it, and then saves whatever is posted: someone who may only view a school could
post themselves in as its leader. Here a revert needs the change permission on the object
as it is now, and an admin class can refuse reverting altogether.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """History pages for those who may view; reverting for those who may change.

    `allow_revert = False` refuses every revert and hides its button: for audits and
    ratings, where a revert would get round the rule that a submitted audit is final
    and the recorded reopen that is the one way back to draft.
    """

    allow_revert = True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and not self.has_revert_permission(request, object_id):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_revert_permission(self, request: HttpRequest, object_id: str) -> bool:
        """May this user save an earlier version over the object as it is now?"""
        if not self.allow_revert:
            return False
        current = self.get_object(request, unquote(object_id))
        if current is None:
            # The object was deleted: reverting would create it again.
            return self.has_add_permission(request) and self.has_change_permission(request)
        return self.has_change_permission(request, current)

    def revert_disabled(self, request: HttpRequest, obj=None) -> bool:
        return not self.allow_revert or super().revert_disabled(request, obj)
