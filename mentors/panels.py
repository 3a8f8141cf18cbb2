"""Mentoring's panels on the participant's dashboard, collected by the host through the
"avvio_participant_dashboard_panels" hook (``coaching.views.dashboard``): coaching shows a
person's mentor without importing mentors.

- A participant on the path sees their mentor, the next session, the open action items and
  their mentoring plan.
- A mentor sees the way to their own space. The panel ``replaces_join_invitation``: to a mentor
  who is not a participant, the dashboard shows it instead of the invitation to join the path.
"""

from django.template.loader import render_to_string
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import Site

from coaching.models import Participant
from coaching.selectors import own_participant
from mentors import selectors
from mentors.models import Match, Session

DASHBOARD_HOOK = "avvio_participant_dashboard_panels"


class RequestPanel(Component):
    """A panel rendered with its request, so that its forms carry the CSRF token."""

    def __init__(self, request, **context):
        self.request = request
        self.context = context

    def get_context_data(self, parent_context=None):
        return self.context

    def render_html(self, parent_context=None):
        return render_to_string(
            self.template_name, self.get_context_data(parent_context), request=self.request
        )


class MentoringPanel(RequestPanel):
    """The participant's mentor, next session, open action items and plan."""

    order = 20
    template_name = "mentors/panels/participant.html"


class MentorSpacePanel(RequestPanel):
    """A mentor's way to their own space, with what waits for them there."""

    order = 5
    replaces_join_invitation = True
    template_name = "mentors/panels/mentor.html"


@hooks.register(DASHBOARD_HOOK)
def mentoring_panel(request):
    participant = own_participant(request.user, Site.find_for_request(request))
    if participant is None or participant.status != Participant.Status.ELIGIBLE:
        return None
    match = selectors.open_match_of(participant)
    active = match if match is not None and match.status == Match.Status.ACCEPTED else None
    next_session = None
    open_items = []
    if active is not None:
        next_session = (
            active.sessions.filter(
                status__in=(Session.Status.REQUESTED, Session.Status.CONFIRMED),
                ends_at__gte=timezone.now(),
            )
            .order_by("starts_at", "pk")
            .first()
        )
        open_items = list(active.action_items.filter(done_at__isnull=True))
    return MentoringPanel(
        request,
        participant=participant,
        match=active,
        waiting=match is not None and active is None,
        next_session=next_session,
        open_items=open_items,
        today=timezone.localdate(),
        plan=selectors.plan_progress_of([participant])[participant.pk],
    )


@hooks.register(DASHBOARD_HOOK)
def mentor_space_panel(request):
    profile = selectors.profile_of(request.user)
    if profile is None:
        return None
    return MentorSpacePanel(
        request,
        mentees=selectors.mentee_matches(request.user).count(),
        requests_waiting=profile.matches.filter(status=Match.Status.CONFIRMED).count(),
    )
