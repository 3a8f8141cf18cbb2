"""The coordinator's mentoring report: the figures on a small known data set, the minutes as
evidence (page and CSV), and the scoping: another site's coordinator sees nothing of it."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest

from coaching.models import AccessLog, Participant
from mentors.admin.report import site_report
from mentors.models import Match, MentorMembership, Session, SessionFeedback
from tests.coaching.factories import assign, make_participant, sign_in
from tests.factories import UserFactory
from tests.mentors.factories import make_match, make_mentor

pytestmark = pytest.mark.django_db

ROME = ZoneInfo("Europe/Rome")
TODAY = datetime.date(2025, 3, 1)


def _at(*args):
    return datetime.datetime(*args, tzinfo=ROME)


def _session(match, starts, minutes, status, useful=None):
    session = Session.objects.create(
        match=match,
        mentor=match.mentor,
        participant=match.participant,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        mode="in_person",
        status=status,
        minutes_held=minutes,
    )
    if useful:
        SessionFeedback.objects.create(session=session, useful=useful)
    return session


@pytest.fixture
def data(site):
    """Two active mentors (one full) and a paused one; a mentee, a proposal, two people
    waiting, one not on the path yet; sessions in January and February 2025."""
    full = make_mentor(capacity=2)
    free = make_mentor(capacity=3)
    make_mentor(status=MentorMembership.Status.PAUSED)
    named = UserFactory(first_name="Zoe", last_name="Neri")
    mentee = make_match(mentor=full, participant=make_participant(user=named, status="eligible"))
    Participant.objects.filter(pk=mentee.participant_id).update(preferred_name="=1+1")
    proposal = make_match(mentor=full, status=Match.Status.PROPOSED)
    never = make_participant(status="eligible")
    Participant.objects.filter(pk=never.pk).update(decided_at=_at(2025, 2, 1, 10))
    ended = make_match(mentor=free, status=Match.Status.ENDED)
    Participant.objects.filter(pk=ended.participant_id).update(decided_at=_at(2025, 1, 1, 10))
    Match.objects.filter(pk=ended.pk).update(ended_at=_at(2025, 2, 26, 9))
    make_participant(status="submitted")

    _session(mentee, _at(2025, 1, 10, 10), 60, Session.Status.HELD, useful=4)
    _session(mentee, _at(2025, 1, 20, 10), 30, Session.Status.HELD, useful=5)
    _session(mentee, _at(2025, 1, 25, 10), None, Session.Status.NO_SHOW)
    # 23:30 in Rome on 31 January is February in UTC: counted in January.
    _session(mentee, _at(2025, 1, 31, 23, 30), 20, Session.Status.HELD)
    _session(mentee, _at(2025, 2, 5, 10), 48, Session.Status.HELD, useful=3)
    _session(mentee, _at(2025, 2, 10, 10), None, Session.Status.CANCELLED)
    _session(mentee, _at(2025, 2, 11, 10), None, Session.Status.LATE_CANCELLED)
    _session(ended, _at(2025, 1, 15, 10), 30, Session.Status.HELD)
    _session(mentee, _at(2024, 12, 15, 10), 60, Session.Status.HELD)  # another year
    return {
        "full": full,
        "free": free,
        "mentee": mentee,
        "proposal": proposal,
        "never": never,
        "ended": ended,
    }


def test_the_figures_of_a_known_data_set(site, data):
    report = site_report(site, year=2025, today=TODAY)

    loads = {load.mentor: (load.open_matches, load.capacity, load.full) for load in report.mentors}
    assert loads == {data["full"]: (2, 2, True), data["free"]: (0, 3, False)}

    waiting = [(w.participant, w.days) for w in report.waiting]
    assert waiting == [(data["never"], 28), (data["ended"].participant, 3)]

    assert report.pending == [data["proposal"]]

    january, february = report.months
    assert (january.month, january.held, january.minutes, january.hours) == (
        datetime.date(2025, 1, 1),
        4,
        140,
        2.3,
    )
    assert (january.no_shows, january.no_show_rate) == (1, 20)
    assert (january.feedback_count, january.feedback_average) == (2, 4.5)
    assert (february.held, february.minutes, february.no_shows, february.no_show_rate) == (
        1,
        48,
        0,
        0,
    )
    total = report.total
    assert (total.held, total.minutes, total.no_shows, total.no_show_rate) == (5, 188, 1, 17)
    assert (total.feedback_count, total.feedback_average) == (3, 4.0)

    rows = [(r.participant, r.month.month, r.sessions, r.minutes) for r in report.minutes]
    expected = sorted(
        [
            (data["mentee"].participant, 1, 3, 110),
            (data["mentee"].participant, 2, 1, 48),
            (data["ended"].participant, 1, 1, 30),
        ],
        key=lambda row: (row[0].reference, row[1]),
    )
    assert rows == expected


def test_the_page_and_the_csv_for_the_sites_coordinator(client, site, data, coordinator):
    assign(coordinator, site)
    sign_in(client, coordinator)
    page = client.get("/admin/mentoring/report/?year=2025")
    assert page.status_code == 200
    text = page.content.decode()
    assert data["never"].reference in text
    assert data["proposal"].participant.reference in text

    response = client.get(f"/admin/mentoring/report/?year=2025&site={site.pk}&format=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Comune", "Riferimento", "Nome", "Mese", "Incontri tenuti", "Minuti tenuti"]
    mentee = data["mentee"].participant
    assert [site.site_name, mentee.reference, "'=1+1 (Zoe Neri)", "2025-01", "3", "110"] in rows
    assert len(rows) == 4
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORT_PARTICIPANTS)
    assert (entry.actor, entry.participant, entry.details["rows"]) == (coordinator, None, 3)


def test_another_sites_coordinator_sees_nothing_of_it(
    client, site, other_site, data, user_with_role
):
    elsewhere = assign(user_with_role("Coordinator", is_staff=True), other_site)
    sign_in(client, elsewhere)
    text = client.get("/admin/mentoring/report/?year=2025").content.decode()
    assert other_site.site_name in text
    for record in (data["never"], data["mentee"].participant, data["proposal"].participant):
        assert record.reference not in text
    assert str(data["full"]) not in text
    csv_url = f"/admin/mentoring/report/?year=2025&site={site.pk}&format=csv"
    refused = client.get(csv_url)
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")  # Wagtail's refusal
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT_PARTICIPANTS).exists()


def test_only_coordinators_see_the_menu_item_and_the_page(client, site, editor, coordinator):
    sign_in(client, editor)
    assert "/admin/mentoring/report/" not in client.get("/admin/").content.decode()
    refused = client.get("/admin/mentoring/report/")
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    assign(coordinator, site)
    sign_in(client, coordinator)
    assert "/admin/mentoring/report/" in client.get("/admin/").content.decode()
