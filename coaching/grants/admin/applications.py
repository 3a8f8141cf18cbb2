"""The applicant's side of microgrants in the Wagtail admin: the log actions of
``services.applications`` beyond starting and submitting (registered in ``wagtail_hooks``), so
an application's history reads in words."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

ACTIONS = (
    ("grants.application_save", _("Save an application's draft"), _("Application draft saved")),
    ("grants.application_withdraw", _("Withdraw an application"), _("Application withdrawn")),
    ("grants.document_add", _("Upload an application document"), _("Document uploaded")),
    ("grants.document_remove", _("Remove an application document"), _("Document removed")),
    (
        "grants.endorsement_request",
        _("Ask the mentor for an endorsement"),
        _("Mentor asked for an endorsement"),
    ),
    ("grants.endorsement_give", _("Give an endorsement"), _("Mentor's endorsement given")),
)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)
