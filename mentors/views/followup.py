"""After a session, on the public site.

- ``session_report``: the session's mentor (only them) records attendance and minutes, writes
  the summary the participant reads, their private note and the action items;
- ``session_feedback``: the participant reads the summary and the action items and answers
  two questions, once;
- ``action_item_done``: either person of the match ticks an item done, or undone.

Thin: who sees what is ``mentors.selectors``; every change is ``mentors.services.followup``.
Everything typed comes back on an error; the forms work without JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mentors import selectors
from mentors.forms.followup import (
    ITEMS_PREFIX,
    ActionItemFormSet,
    SessionFeedbackForm,
    SessionReportForm,
    action_items_initial,
)
from mentors.forms.profiles import with_one_more_row
from mentors.models import Match
from mentors.services import followup as services


def _report_initial(session, note) -> dict:
    return {
        "minutes_held": session.minutes_held or services.planned_minutes(session),
        "summary": session.summary,
        "note": note.body if note else "",
    }


@login_required
@require_http_methods(["GET", "POST"])
def session_report(request, pk):
    """The mentor's report of a session; the attendance once, the rest as often as needed."""
    session = selectors.session_for_mentor_or_404(request.user, pk)
    recorded = session.status if session.status in services.ATTENDANCE else None
    items = list(selectors.action_items_of_session(session))
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "save")
        data = request.POST
        if action == "add_item":
            data = with_one_more_row(data, ITEMS_PREFIX)
        form = SessionReportForm(data, recorded=recorded)
        formset = ActionItemFormSet(data, initial=action_items_initial(items), prefix=ITEMS_PREFIX)
        if action == "save":
            if form.is_valid() and formset.is_valid():
                try:
                    services.session_report_save(
                        session=session,
                        by=request.user,
                        attendance=form.cleaned_data["attendance"],
                        minutes_held=form.cleaned_data["minutes_held"],
                        summary=form.cleaned_data["summary"],
                        note=form.cleaned_data["note"],
                        action_items=formset.rows(),
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("The report of the meeting is saved."))
                    return redirect("mentors:session_report", session.pk)
            status = 400
    else:
        note = selectors.mentor_note_of(session=session, user=request.user)
        form = SessionReportForm(initial=_report_initial(session, note), recorded=recorded)
        formset = ActionItemFormSet(initial=action_items_initial(items), prefix=ITEMS_PREFIX)
    problem = services.report_problem(session, timezone.now())
    return render(
        request,
        "mentors/followup/report.html",
        {
            "session": session,
            "participant": session.participant,
            "first_name": session.participant.greeting_name,
            "recorded": recorded,
            "problem": problem if request.method == "GET" else None,
            "form": form,
            "items": formset,
            "item_list": items,
            "has_errors": status == 400
            and (form.errors or formset.total_error_count() or formset.non_form_errors()),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_feedback(request, pk):
    """The participant's page after a session: the summary, the action items, two questions."""
    session = selectors.session_for_participant_or_404(request.user, pk)
    feedback = selectors.feedback_of(session)
    form = SessionFeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if feedback is not None:
            messages.info(request, _("You have already said how this meeting went: thank you."))
            return redirect("mentors:session_feedback", session.pk)
        if form.is_valid():
            try:
                _feedback, created = services.session_feedback_give(
                    session=session,
                    by=request.user,
                    useful=form.cleaned_data["useful"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if created:
                    messages.success(request, _("Thank you for your answers."))
                else:
                    messages.info(
                        request, _("You have already said how this meeting went: thank you.")
                    )
                return redirect("mentors:session_feedback", session.pk)
        status = 400
    return render(
        request,
        "mentors/followup/feedback.html",
        {
            "session": session,
            "mentor": session.mentor,
            "items": list(selectors.action_items_of_session(session)),
            "may_tick": session.match.status == Match.Status.ACCEPTED,
            "feedback": feedback,
            "problem": services.feedback_problem(session),
            "form": form,
        },
        status=status,
    )


def _back_to(request, item) -> str:
    """Where to go after ticking: the page the form came from, else the item's session page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    is_mentor = item.match.mentor.user_id == request.user.pk
    if item.session_id:
        name = "mentors:session_report" if is_mentor else "mentors:session_feedback"
        return reverse(name, args=[item.session_id])
    return reverse("mentors:space" if is_mentor else "mentors:my_mentor")


@login_required
@require_POST
def action_item_done(request, pk):
    """Tick an action item done (``done=1``) or undone (``done=0``)."""
    item = selectors.action_item_for_person_or_404(request.user, pk)
    done = request.POST.get("done") == "1"
    services.action_item_mark(item=item, by=request.user, done=done)
    if done:
        messages.success(request, _("Done: “%(text)s”.") % {"text": item.text})
    else:
        messages.success(request, _("Not done yet: “%(text)s”.") % {"text": item.text})
    return redirect(_back_to(request, item))


urlpatterns = [
    path("sessions/<int:pk>/report/", session_report, name="session_report"),
    path("sessions/<int:pk>/feedback/", session_feedback, name="session_feedback"),
    path("actions/<int:pk>/done/", action_item_done, name="action_item_done"),
]
