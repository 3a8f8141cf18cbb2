"""The mentor's own space on the public site, the mentee page, and ticking the plan.

Thin: who sees what is ``mentors.selectors`` (a mentor sees a participant only through an
accepted match, and their progress only while they consent to share it); ticking is
``mentors.services.plan``. The space reads everything for all mentees at once, so its number
of queries does not grow with the number of mentees or sessions.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coaching.models import AccessLog, Participant
from coaching.models.preferences import preference_labels
from coaching.services.audit import access_log_record
from mentors import selectors
from mentors.models import ActionItem, Match, Milestone, Session
from mentors.services.plan import milestone_tick as plan_tick
from mentors.services.plan import milestone_untick as plan_untick
from resources.selectors import course_progress_for_user, courses_completed_counts

#: The sessions still to come: asked for or confirmed, not yet over.
UPCOMING = (Session.Status.REQUESTED, Session.Status.CONFIRMED)


def _upcoming_sessions(mentor, now):
    return (
        Session.objects.filter(
            mentor=mentor,
            match__status=Match.Status.ACCEPTED,
            status__in=UPCOMING,
            ends_at__gte=now,
        )
        .select_related("participant__user")
        .order_by("starts_at", "pk")
    )


def _overdue_counts(match_ids, today) -> dict[int, int]:
    rows = (
        ActionItem.objects.filter(match_id__in=match_ids, done_at__isnull=True, due_on__lt=today)
        .values("match_id")
        .annotate(count=Count("pk"))
    )
    return {row["match_id"]: row["count"] for row in rows}


@login_required
def space(request):
    """My mentees, the requests waiting for me, my sessions to come, my memberships."""
    profile = selectors.profile_of(request.user)
    if profile is None:
        return render(request, "mentors/space/invitation.html")
    now = timezone.now()
    matches = list(selectors.mentee_matches(request.user).order_by("accepted_at", "pk"))
    participants = [match.participant for match in matches]
    shared = selectors.shared_with_mentor_of([p.pk for p in participants])
    plans = selectors.plan_progress_of(participants)
    upcoming = list(_upcoming_sessions(profile, now))
    overdue = _overdue_counts([m.pk for m in matches], timezone.localdate(now))
    # Course progress only of those who agree now to share it with their mentor.
    courses = courses_completed_counts([p.user_id for p in participants if shared[p.pk]])
    next_session = {}
    for session in upcoming:
        next_session.setdefault(session.match_id, session)
    mentees = [
        {
            "match": match,
            "participant": match.participant,
            "next_session": next_session.get(match.pk),
            "overdue": overdue.get(match.pk, 0),
            "plan": plans[match.participant_id],
            "shared": shared[match.participant_id],
            "courses_completed": courses.get(match.participant.user_id),
        }
        for match in matches
    ]
    requests_waiting = list(
        Match.objects.filter(mentor=profile, status=Match.Status.CONFIRMED)
        .select_related("participant__site")
        .order_by("created_at", "pk")
    )
    memberships = list(profile.memberships.select_related("site").order_by("site__site_name"))
    return render(
        request,
        "mentors/space/space.html",
        {
            "profile": profile,
            "mentees": mentees,
            "requests_waiting": requests_waiting,
            "upcoming": upcoming,
            "memberships": memberships,
        },
    )


@login_required
def mentee(request, pk):
    """One mentee, as their mentor may see them: never special-category data; their idea
    and course progress only while they agree to share them. Every view is in the access log."""
    match = selectors.mentee_for_mentor_or_404(request.user, pk)
    participant = match.participant
    access_log_record(
        actor=request.user,
        participant=participant,
        action=AccessLog.Action.VIEW_PARTICIPANT,
        details={"page": "mentee", "match": match.pk},
    )
    now = timezone.now()
    sessions = list(match.sessions.order_by("-starts_at", "-pk"))
    to_come = [s for s in reversed(sessions) if s.status in UPCOMING and s.ends_at >= now]
    shared = match.shared_with_mentor
    return render(
        request,
        "mentors/space/mentee.html",
        {
            "match": match,
            "participant": participant,
            "shared": shared,
            "languages": preference_labels("preferred_languages", participant.preferred_languages),
            "meeting_modes": preference_labels("meeting_modes", participant.meeting_modes),
            "availability": preference_labels("availability", participant.availability),
            "upcoming": to_come,
            "past": [s for s in sessions if s not in to_come],
            "action_items": list(match.action_items.all()),
            "today": timezone.localdate(now),
            "plan": selectors.plan_progress_of([participant])[participant.pk],
            "courses": course_progress_for_user(participant.user) if shared else [],
        },
    )


def _back(request, participant):
    if participant.user_id == request.user.pk:
        return redirect("coaching:dashboard")
    return redirect("mentors:mentee", participant.pk)


@login_required
@require_POST
def milestone_tick(request, participant_pk):
    """Tick a milestone of the plan (``action=tick``) or take the tick back (``untick``)."""
    participant = Participant.objects.filter(pk=participant_pk).select_related("user").first()
    if participant is None or not selectors.may_tick_milestones(request.user, participant):
        raise Http404
    key = request.POST.get("milestone", "")
    milestone = (
        Milestone.objects.filter(pk=key, site_id=participant.site_id).first()
        if key.isdigit()
        else None
    )
    if milestone is None:
        messages.error(request, _("Choose a step of the plan."))
        return _back(request, participant)
    action = request.POST.get("action")
    try:
        if action == "untick":
            plan_untick(participant=participant, milestone=milestone, by=request.user)
            messages.success(request, _("“%(step)s” is no longer ticked.") % {"step": milestone})
        else:
            plan_tick(participant=participant, milestone=milestone, by=request.user)
            messages.success(request, _("“%(step)s” is ticked as done.") % {"step": milestone})
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, participant)


urlpatterns = [
    path("", space, name="space"),
    path("mentees/<int:pk>/", mentee, name="mentee"),
    path("plan/<int:participant_pk>/tick/", milestone_tick, name="milestone_tick"),
]
