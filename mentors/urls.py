"""Mentoring on the public site: each views module keeps its own ``urlpatterns``."""

from mentors.views import calendar, followup, matches, messages, profiles, sessions, space

app_name = "mentors"

urlpatterns = [
    *space.urlpatterns,
    *profiles.urlpatterns,
    *matches.urlpatterns,
    *sessions.urlpatterns,
    *followup.urlpatterns,
    *messages.urlpatterns,
    *calendar.urlpatterns,
]
