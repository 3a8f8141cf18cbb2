"""The library's admin: the topic taxonomy as a snippet, and a panel for the participant's
dashboard (collected by the host through the "avvio_participant_dashboard_panels" hook)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from resources import roles, selectors
from resources.models import Topic
from resources.personal_data import LearningPersonalData


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Library topics")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "slug", "business_plan_section", "locale"]
    list_filter = ["locale", "business_plan_section"]
    search_fields = ["name"]


register_snippet(TopicViewSet)


class CoursesInProgressPanel(Component):
    """The participant's courses in progress, each with a "resume" link."""

    order = 30
    template_name = "resources/includes/dashboard_panel.html"

    def __init__(self, courses):
        self.courses = courses

    def get_context_data(self, parent_context=None):
        request = (parent_context or {}).get("request")
        return {"courses": self.courses, "request": request}


@hooks.register("avvio_participant_dashboard_panels")
def courses_in_progress_panel(request):
    if not request.user.is_authenticated:
        return None
    return CoursesInProgressPanel(selectors.courses_in_progress(request.user))


@hooks.register("register_avvio_roles")
def register_roles():
    """The editors' rights on the library's models (``resources.roles``)."""
    return roles.roles()


@hooks.register("register_personal_data")
def register_personal_data():
    """Read by the host's personal-data registry (in this project ``coaching.personal_data``):
    a person's export and erasure include the library's records."""
    return LearningPersonalData()
