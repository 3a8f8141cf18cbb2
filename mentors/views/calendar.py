"""Sessions in people's calendars: the .ics of one session and a private feed per person.

- ``session_ics``: the invitation of a session, for its two people only.
- ``calendar``: the signed-in person's feed URL, to create or revoke.
- ``calendar_feed``: the feed itself, opened by a calendar application with the token in its
  URL and no sign-in; a revoked or unknown token answers 404. It lists the person's sessions
  as mentor and as participant, naming the other person by first name only, in the owner's
  language.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from coaching.services.notify import language_for
from mentors import ical
from mentors.models import CalendarFeed
from mentors.selectors_sessions import session_for_person_or_404, sessions_for_feed
from mentors.services.calendar import calendar_feed_create, calendar_feed_revoke

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _session_url(request, session) -> str:
    return request.build_absolute_uri(reverse("mentors:session_detail", args=[session.pk]))


@login_required
@require_GET
def session_ics(request, pk):
    session = session_for_person_or_404(request.user, pk)
    body = ical.invitation(session, user=request.user, url=_session_url(request, session))
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def calendar(request):
    """Show my feed's URL; create it or revoke it (POST ``action``)."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            calendar_feed_create(user=request.user)
            messages.success(request, _("Your calendar link is ready. Copy it below."))
        elif action == "revoke":
            if calendar_feed_revoke(user=request.user):
                messages.success(request, _("The calendar link no longer works."))
            else:
                messages.info(request, _("You had no calendar link."))
        return redirect("mentors:calendar")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    feed_url = (
        request.build_absolute_uri(reverse("mentors:calendar_feed", args=[feed.token]))
        if feed
        else ""
    )
    return render(request, "mentors/sessions/calendar.html", {"feed": feed, "feed_url": feed_url})


@require_GET
def calendar_feed(request, token):
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    user = feed.user
    now = timezone.now()
    with translation.override(language_for(user)):
        body = ical.feed(
            sessions_for_feed(user, now),
            user=user,
            url_of=lambda session: _session_url(request, session),
            now=now,
        )
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


urlpatterns = [
    path("sessions/<int:pk>/invite.ics", session_ics, name="session_ics"),
    path("calendar/", calendar, name="calendar"),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
]
