"""Requests to change mentor in the Wagtail admin, and the mentor panel of coaching's
"manage participant" page.

Coordinators see the open requests of their sites (``mentors.selectors.change_requests_for_staff``,
the one site rule) and handle each: mark it handled, end the current match at the same time,
and for a previous mentor asked for again, propose and confirm that mentor
(``mentors.services.requests.change_request_handle``). Coaching knows nothing of mentors: its
manage page shows whatever the hook ``avvio_participant_admin_panels`` returns, and this module
registers the panel with the person's current match there.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.components import Component

from coaching.models import AccessLog
from coaching.selectors import can_manage_participants
from coaching.services.audit import access_log_record
from mentors import selectors
from mentors.admin import posted_id
from mentors.models import Match
from mentors.services.requests import (
    LOG_CREATE,
    LOG_HANDLE,
    LOG_WITHDRAW,
    change_request_handle,
)

PERMISSION = "mentors.change_changerequest"


def _may_handle(user) -> bool:
    return can_manage_participants(user) and user.has_perm(PERMISSION)


def index(request):
    """The open requests of the coordinator's sites, the oldest first; POST handles one."""
    if not _may_handle(request.user):
        raise PermissionDenied
    requests = selectors.change_requests_for_staff(request.user)
    if request.method == "POST":
        change = requests.filter(pk=posted_id(request.POST.get("request"))).first()
        if change is None:
            messages.info(request, _("This request has already been handled or withdrawn."))
            return redirect("mentors_requests:index")
        try:
            change_request_handle(
                change_request=change,
                by=request.user,
                end_match=request.POST.get("end_match") == "on",
                propose_wanted=request.POST.get("propose_wanted") == "on",
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Request of %(reference)s handled.")
                % {"reference": change.participant.reference},
            )
        return redirect("mentors_requests:index")
    rows = list(requests)
    # The reasons people give are personal data: every read of them is in the access log.
    for change in rows:
        access_log_record(
            actor=request.user,
            participant=change.participant,
            action=AccessLog.Action.VIEW_PARTICIPANT,
            details={"page": "change_requests", "request": change.pk},
        )
    return TemplateResponse(
        request,
        "mentors/admin/change_requests.html",
        {
            "rows": rows,
            "page_title": _("Requests to change mentor"),
            "header_icon": "user",
        },
    )


admin_urls = ([path("", index, name="index")], "mentors_requests")


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("mentoring/change-requests/", include(admin_urls))]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    """The steps of a request to change mentor (``mentors.services.requests``)."""
    actions.register_action(LOG_CREATE, _("Ask to change mentor"), _("Change of mentor asked"))
    actions.register_action(
        LOG_WITHDRAW, _("Withdraw the request to change mentor"), _("Request withdrawn")
    )
    actions.register_action(
        LOG_HANDLE, _("Handle the request to change mentor"), _("Request to change mentor handled")
    )


# --- The panel on coaching's "manage participant" page ----------------------------------------


class MentorPanel(Component):
    """Who the participant's mentor is, a proposal in progress, a request waiting."""

    template_name = "mentors/admin/participant_panel.html"

    def __init__(self, participant):
        self.participant = participant

    def get_context_data(self, parent_context=None):
        participant = self.participant
        return {
            "participant": participant,
            "current": selectors.open_match_of(participant),
            "accepted": Match.Status.ACCEPTED,
            "waiting": selectors.open_change_request_of(participant),
            "past": [
                m
                for m in selectors.match_history_of(participant)
                if m.status == Match.Status.ENDED and m.accepted_at
            ],
            "requests_url": reverse("mentors_requests:index"),
        }


@hooks.register("avvio_participant_admin_panels")
def participant_admin_panel(request, participant):
    """Shown to the coordinators who may manage the participant (the manage page checks)."""
    return MentorPanel(participant)
