"""One "Mentoring" entry in the admin menu for the coordinators' pages of every area."""

from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from coaching.selectors import can_manage_participants
from mentors.models import MatchingSettings


class CoordinatorMenuItem(MenuItem):
    """Shown to coordinators holding ``permission`` (the pages check it again themselves)."""

    def __init__(self, *args, permission: str | None = None, **kwargs):
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        user = request.user
        return can_manage_participants(user) and (
            self.permission is None or user.has_perm(self.permission)
        )


class CoordinatorSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return can_manage_participants(request.user) and super().is_shown(request)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    view, change = "mentors.view_match", "mentors.change_changerequest"
    items = [
        (gettext_lazy("Waiting for a mentor"), "mentors_matching:pool", "group", view),
        (gettext_lazy("Waiting for the mentor's answer"), "mentors_matching:waiting", "time", view),
        (gettext_lazy("Requests to change mentor"), "mentors_requests:index", "user", change),
        (gettext_lazy("Mentoring report"), "mentors_report", "table", None),
    ]
    weights = reverse("wagtailsettings:edit", args=["mentors", "matchingsettings"])
    menu = Menu(
        items=[
            CoordinatorMenuItem(label, reverse(url), icon_name=icon, order=10 * n, permission=perm)
            for n, (label, url, icon, perm) in enumerate(items, start=1)
        ]
        + [
            CoordinatorMenuItem(
                gettext_lazy("Matching weights"),
                weights,
                icon_name="cog",
                order=90,
                permission="mentors.change_matchingsettings",
            )
        ]
    )
    return CoordinatorSubmenu(
        gettext_lazy("Mentoring"), menu, name="mentoring", icon_name="group", order=160
    )


@hooks.register("construct_settings_menu")
def matching_weights_live_under_mentoring(request, items):
    """The weights are the coordinators' (in the Mentoring menu), not an editorial setting:
    left out of *Settings*, so coordinators see no editorial tools there."""
    items[:] = [item for item in items if getattr(item, "model", None) is not MatchingSettings]
