"""The people's side of a match on the public site.

- ``match_respond``: the mentor reads a confirmed match offered to them (what the person agrees
  to share, and why the match was proposed) and accepts or declines it;
- ``my_mentor``: the participant sees their mentor, the state of a proposal and their past
  mentors, and asks to change mentor, asks for a previous one again, or withdraws the request;
- ``match_end``: either person of an accepted match ends it, with a reason.

Thin: who sees what is ``mentors.selectors``; every change is ``mentors.services``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from wagtail.models import Site

from coaching.models import AccessLog
from coaching.models.preferences import preference_labels
from coaching.selectors import own_participant
from coaching.services.audit import access_log_record
from mentors import selectors
from mentors.forms.matches import AskAgainForm, ChangeRequestForm, MatchAnswerForm, MatchEndForm
from mentors.models import Match
from mentors.services import matches as match_services
from mentors.services.matching import reasons
from mentors.services.requests import change_request_create, change_request_withdraw

# --- The mentor's answer ---------------------------------------------------------------------


@login_required
def match_respond(request, pk):
    """A confirmed match offered to the signed-in mentor. Without the person's consent to share
    with their mentor, only their first name and how and when they can meet are shown; never
    special-category data. Each view is in the access log."""
    match = selectors.offer_for_mentor_or_404(request.user, pk)
    if match.status != Match.Status.CONFIRMED:
        # Answered already (a second click, an old link): nothing to show or to do.
        messages.info(request, _("You have already answered this request."))
        return redirect("mentors:space")
    participant = match.participant
    form = MatchAnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == MatchAnswerForm.ACCEPT:
                    match_services.match_accept(match=match, by=request.user)
                    messages.success(
                        request,
                        _("Thank you: %(name)s is now your mentee.")
                        % {"name": participant.greeting_name},
                    )
                    return redirect("mentors:mentee", participant.pk)
                match_services.match_decline(
                    match=match, by=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(
                    request, _("Thank you for answering: the coordinator will find another mentor.")
                )
                return redirect("mentors:space")
            except ValidationError as error:
                form.add_error(None, error)
        status = 400
    access_log_record(
        actor=request.user,
        participant=participant,
        action=AccessLog.Action.VIEW_PARTICIPANT,
        details={"page": "match_respond", "match": match.pk},
    )
    return render(
        request,
        "mentors/matches/respond.html",
        {
            "match": match,
            "first_name": participant.greeting_name,
            "participant": participant,
            "shared": match.shared_with_mentor,
            "languages": preference_labels("preferred_languages", participant.preferred_languages),
            "meeting_modes": preference_labels("meeting_modes", participant.meeting_modes),
            "availability": preference_labels("availability", participant.availability),
            "reasons": reasons(match.terms),
            "form": form,
        },
        status=status,
    )


# --- The participant's mentor ----------------------------------------------------------------


def _own_participant_or_404(request):
    participant = own_participant(request.user, Site.find_for_request(request))
    if participant is None:
        raise Http404
    return participant


def _my_mentor_post(request, participant, action, forms, waiting) -> bool:
    """Apply the form ``action``; True when it worked (the page is then shown again fresh)."""
    if action == "withdraw":
        if waiting is None:
            messages.info(request, _("You have no request waiting."))
            return True
        try:
            change_request_withdraw(change_request=waiting, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return True
        messages.success(request, _("Your request is withdrawn."))
        return True
    form = forms.get(action)
    if form is None or not form.is_valid():
        return False
    try:
        change_request_create(
            participant=participant,
            by=request.user,
            reason=form.cleaned_data["reason"],
            wanted_mentor=form.cleaned_data.get("wanted_mentor"),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    messages.success(
        request, _("Your request has been sent. A coordinator of the programme will contact you.")
    )
    return True


@login_required
def my_mentor(request):
    """The participant's mentor, the state of a proposal, their past mentors, and the
    requests they may make (one at a time)."""
    participant = _own_participant_or_404(request)
    action = request.POST.get("action") if request.method == "POST" else None
    previous = selectors.previous_mentors_of(participant)
    forms = {
        "change": ChangeRequestForm(request.POST if action == "change" else None, prefix="change"),
        "again": AskAgainForm(
            request.POST if action == "again" else None, prefix="again", mentors=previous
        ),
    }
    status = 200
    if action:
        waiting = selectors.open_change_request_of(participant)
        if _my_mentor_post(request, participant, action, forms, waiting):
            return redirect("mentors:my_mentor")
        status = 400
    current = selectors.open_match_of(participant)
    mentor = current.mentor if current and current.status == Match.Status.ACCEPTED else None
    return render(
        request,
        "mentors/matches/my_mentor.html",
        {
            "participant": participant,
            "current": current,
            "mentor": mentor,
            "mentor_languages": preference_labels(
                "preferred_languages", getattr(mentor, "languages", ())
            ),
            "mentor_modes": preference_labels(
                "meeting_modes", getattr(mentor, "meeting_modes", ())
            ),
            # Past mentors: matches they had (accepted, then ended); a mentor's no is the
            # coordinator's to handle, not part of the person's history of mentors.
            "history": [
                m
                for m in selectors.match_history_of(participant)
                if not m.is_open and m.accepted_at
            ],
            "waiting": selectors.open_change_request_of(participant),
            "previous": list(previous),
            "forms": forms,
        },
        status=status,
    )


# --- Ending a match ----------------------------------------------------------------------------


def _after_end(request, match):
    if match.participant.user_id == request.user.pk:
        return redirect("mentors:my_mentor")
    return redirect("mentors:space")


@login_required
def match_end(request, pk):
    """The mentor or the participant of an accepted match ends it, with a reason."""
    match = selectors.match_to_end_or_404(request.user, pk)
    if match.status == Match.Status.ENDED:
        messages.info(request, _("This mentoring has already ended."))
        return _after_end(request, match)
    form = MatchEndForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                match_services.match_end(
                    match=match, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The mentoring has ended."))
                return _after_end(request, match)
        status = 400
    is_mentor = match.mentor.user_id == request.user.pk
    return render(
        request,
        "mentors/matches/end.html",
        {
            "match": match,
            "other": match.participant.greeting_name if is_mentor else str(match.mentor),
            "form": form,
        },
        status=status,
    )


urlpatterns = [
    path("requests/<int:pk>/", match_respond, name="match_respond"),
    path("my-mentor/", my_mentor, name="my_mentor"),
    path("matches/<int:pk>/end/", match_end, name="match_end"),
]
