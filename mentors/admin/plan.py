"""The mentoring plan in the Wagtail admin: each site's coordinators keep its milestones.

A translatable snippet, scoped to the coordinator's sites (``mentors.admin.scoped``).
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from mentors.admin.scoped import SiteScopedSnippetViewSet
from mentors.models import Milestone
from mentors.services.plan import TICK_ACTION, UNTICK_ACTION


class MilestoneViewSet(SiteScopedSnippetViewSet):
    """Each site's mentoring plan; in the admin's *Mentors* group (``mentors.admin.profiles``)."""

    model = Milestone
    icon = "tasks"
    menu_label = _("Mentoring milestones")
    list_display = ["name", "stage", "site", "sort_order"]
    list_filter = ["stage"]
    form_fields = ["site", "name", "description", "stage", "sort_order"]
    ordering = ["site", "sort_order", "pk"]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    """Ticks of the mentoring plan (``mentors.services.plan``), in the participant's history."""
    actions.register_action(TICK_ACTION, _("Tick a milestone"), _("Milestone ticked"))
    actions.register_action(UNTICK_ACTION, _("Untick a milestone"), _("Milestone unticked"))
