"""The library's admin: the topic taxonomy and the search synonyms as snippets, and a panel for
the participant's dashboard (collected by the host through the "avvio_participant_dashboard_panels"
hook)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from resources import roles, selectors
from resources.models import SearchSynonym, Topic
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
    # The database search backend cannot search one field on SQLite (FTS5 has no "name"
    # column: every search failed there); the few topics are searched in the database.
    search_backend_name = None


register_snippet(TopicViewSet)


class SearchSynonymViewSet(SnippetViewSet):
    model = SearchSynonym
    icon = "search"
    menu_label = _("Search synonyms")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["__str__", "note"]
    search_fields = ["terms"]


register_snippet(SearchSynonymViewSet)


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


class EditorialPanel(Component):
    """The editor's admin home: pages waiting for approval and drafts not yet sent."""

    name = "resources_editorial"
    order = 10
    template_name = "resources/admin/editorial_panel.html"
    #: Rows each list shows; the page explorer has the rest.
    rows = 10

    def get_context_data(self, parent_context=None):
        user = parent_context["request"].user
        in_moderation = list(selectors.pages_in_moderation(user).specific()[: self.rows])
        states = selectors.moderation_states(in_moderation)
        return {
            "in_moderation": [(page, states.get(page.pk)) for page in in_moderation],
            "drafts": list(selectors.drafts_to_send(user).specific()[: self.rows]),
        }


@hooks.register("construct_homepage_panels")
def editorial_panel(request, panels):
    """Editors land on their work in progress. It lists every page they may change in
    moderation, so Wagtail's narrower "your pages in a workflow" panel goes."""
    if not selectors.may_edit_pages(request.user):
        return
    panels[:] = [
        p for p in panels if getattr(p, "name", "") != "user_objects_in_workflow_moderation"
    ]
    panels.append(EditorialPanel())


@hooks.register("register_avvio_roles")
def register_roles():
    """The editors' rights on the library's models (``resources.roles``)."""
    return roles.roles()


@hooks.register("register_personal_data")
def register_personal_data():
    """Read by the host's personal-data registry (in this project ``coaching.personal_data``):
    a person's export and erasure include the library's records."""
    return LearningPersonalData()
