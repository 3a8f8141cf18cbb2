"""Business plans in Wagtail: log action labels, admin viewsets, the participant's dashboard
panel, personal data."""

from collections import defaultdict

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.log_actions import LogFormatter
from wagtail.models import Site

from coaching.plans import admin, roles, selectors  # noqa: F401  (admin registers its hooks)
from coaching.plans.personal_data import PlansPersonalData
from coaching.plans.services.plans import plan_may_start
from coaching.selectors import own_participant


class _StepMessage(LogFormatter):
    """A history step whose message names what the entry's data holds (a version's number,
    a section's title): ``message`` with ``%(key)s`` placeholders, each missing one empty."""

    def format_message(self, log_entry):
        data = defaultdict(str, {k: v for k, v in (log_entry.data or {}).items() if v is not None})
        return str(self.message) % data


#: Review and versions (``services.review``, ``services.versions``): (action, label, message).
REVIEW_STEPS = (
    ("plans.share", _("Share with the mentor"), _("Shared with the mentor %(mentor)s")),
    ("plans.unshare", _("Stop sharing"), _("No longer shared with %(mentor)s")),
    ("plans.submit", _("Submit for review"), _("Submitted for review (version %(version)s)")),
    ("plans.withdraw", _("Withdraw the submission"), _("Submission withdrawn: a draft again")),
    ("plans.request_changes", _("Ask for changes"), _("Changes asked for")),
    ("plans.ready", _("Mark ready"), _("Marked ready")),
    ("plans.reopen", _("Reopen"), _("Reopened to change it: a draft again")),
    ("plans.comment", _("Comment"), _("Comment on “%(section)s”")),
    ("plans.comment_resolve", _("Resolve a comment"), _("Comment on “%(section)s” resolved")),
    ("plans.comment_reopen", _("Reopen a comment"), _("Comment on “%(section)s” reopened")),
    ("plans.version", _("Save a version"), _("Version %(number)s kept")),
    (
        "plans.restore",
        _("Restore a version"),
        _("Version %(from)s restored as version %(number)s (the plan before is version %(kept)s)"),
    ),
    ("plans.freeze", _("Freeze a version"), _("Version %(number)s frozen for a grant application")),
)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    """The plan's history (``services``): each a step the owner and the mentor see."""
    actions.register_action("plans.create", _("Start a plan"), _("Plan started"))
    actions.register_action("plans.finance", _("Change the figures"), _("Figures changed"))
    for action, label, message in REVIEW_STEPS:
        step = type("Step", (_StepMessage,), {"label": label, "message": message})
        actions.register_action(action)(step)


#: ``coaching.views.DASHBOARD_HOOK``, spelled out: coaching.views is not imported from here.
DASHBOARD_HOOK = "avvio_participant_dashboard_panels"


class PlansPanel(Component):
    """The participant's plans on their dashboard: each with its progress, or the way to
    start the first."""

    order = 30
    template_name = "plans/includes/editor_dashboard_panel.html"

    def __init__(self, request, **context):
        self.request = request
        self.context = context

    def render_html(self, parent_context=None):
        return render_to_string(self.template_name, self.context, request=self.request)


@hooks.register(DASHBOARD_HOOK)
def plans_panel(request):
    participant = own_participant(request.user, Site.find_for_request(request))
    plans = list(selectors.plans_of(participant)[:3])
    if not plans and not plan_may_start(participant):
        return None
    return PlansPanel(
        request,
        plans=[(plan, selectors.progress_of(plan)) for plan in plans],
        may_start=plan_may_start(participant),
    )


@hooks.register("register_avvio_roles")
def register_roles():
    """Coordinators' business-plan permissions (``coaching.plans.roles``)."""
    return roles.roles()


@hooks.register("register_personal_data")
def register_personal_data():
    """Read by coaching's personal-data registry: a person's export and erasure include their
    business plans, or the comments they wrote on others' plans as a mentor."""
    return PlansPersonalData()
