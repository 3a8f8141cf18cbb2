"""Business plans in Wagtail: log action labels, admin viewsets, the participant's dashboard
panel, personal data."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_log_actions(actions):
    """The plan's history (``services``): each a step the owner and the mentor see."""
    actions.register_action("plans.create", _("Start a plan"), _("Plan started"))
