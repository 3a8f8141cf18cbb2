"""Booking sessions: the free slots (windows, days away, holidays, summer time, busy time of
both people, notice), every refusal with its message, a double click stored once, and the
rules of confirming, moving and cancelling; the pages act only for the session's two people."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from freezegun import freeze_time

from mentors.availability import Slot, Window, wall_clock, window_slots
from mentors.models import AvailabilityException, Match, Session, SessionReminder
from mentors.selectors_sessions import match_free_slots
from mentors.services import matches as match_services
from mentors.services import sessions as services
from tests.factories import UserFactory
from tests.mentors.factories import make_match
from tests.mentors.session_factories import NOW, ROME, UTC, at, key, make_pair, session_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """The services' messages are read in English here (the site's default is Italian)."""
    with translation.override("en"):
        yield


HOUR = datetime.timedelta(hours=1)


def _starts(slots):
    return [slot.starts_at.astimezone(ROME).strftime("%a %d/%m %H:%M") for slot in slots]


def _refused(code, **kwargs):
    with pytest.raises(ValidationError) as refused:
        services.session_book(**kwargs)
    assert refused.value.code == code
    return refused.value.messages[0]


def _book(match, starts_at, *, by=None, mode="remote", now=NOW, **kwargs):
    return services.session_book(
        match=match,
        starts_at=starts_at,
        by=by or match.participant.user,
        mode=mode,
        key=kwargs.pop("key", None) or key(),
        now=now,
        **kwargs,
    )


# --- Slots -----------------------------------------------------------------------------------


def test_slots_keep_rome_wall_clock_across_summer_time_and_skip_holidays_and_days_away(site):
    match = make_pair()
    AvailabilityException.objects.create(
        profile=match.mentor,
        starts_on=datetime.date(2027, 4, 12),
        ends_on=datetime.date(2027, 4, 13),
    )
    slots = match_free_slots(match=match, now=NOW)
    # Monday 22 is within the 12 hours' notice; Monday 29 March is Easter Monday; Monday 12
    # April is a day away. The four weeks end on Sunday 18 April.
    assert _starts(slots) == [
        "Wed 24/03 17:00",
        "Wed 31/03 17:00",
        "Mon 05/04 10:00",
        "Mon 05/04 11:00",
        "Wed 07/04 17:00",
        "Wed 14/04 17:00",
    ]
    # The same wall-clock time is an hour earlier in UTC once summer time begins.
    assert slots[0].starts_at.astimezone(UTC).hour == 16
    assert slots[1].starts_at.astimezone(UTC).hour == 15
    assert all(slot.ends_at - slot.starts_at == HOUR for slot in slots)


def test_a_window_in_the_hour_skipped_in_spring_offers_nothing_that_night():
    sunday = datetime.date(2027, 3, 28)
    assert wall_clock(sunday, datetime.time(2, 0), ROME) == wall_clock(
        sunday, datetime.time(3, 0), ROME
    )
    slots = window_slots(
        windows=[Window(6, datetime.time(2, 0), datetime.time(3, 0))],
        first=sunday,
        last=sunday + datetime.timedelta(days=7),
        length=HOUR,
        zone=ROME,
    )
    # The next Sunday has its hour; the night of the change has none.
    assert slots == [Slot(at(2027, 4, 4, 2), at(2027, 4, 4, 3))]


def test_busy_time_of_the_mentor_and_of_the_participant_is_not_offered(site):
    match = make_pair()
    other_mentee = make_match(mentor=match.mentor)
    session_at(other_mentee, at(2027, 3, 24, 17))  # the mentor with another mentee
    previous = make_pair()
    Match.objects.filter(pk=previous.pk).update(
        participant=match.participant, status=Match.Status.ENDED
    )
    previous.refresh_from_db()
    session_at(previous, at(2027, 4, 5, 10, 30), status=Session.Status.REQUESTED)  # participant
    session_at(other_mentee, at(2027, 3, 31, 17), status=Session.Status.CANCELLED)  # not busy
    starts = _starts(match_free_slots(match=match, now=NOW))
    assert "Wed 24/03 17:00" not in starts
    assert "Mon 05/04 10:00" not in starts and "Mon 05/04 11:00" not in starts
    assert "Wed 31/03 17:00" in starts


# --- Booking ---------------------------------------------------------------------------------


def test_the_participant_books_a_free_slot_and_the_mentor_is_told(
    site, mailoutbox, django_capture_on_commit_callbacks
):
    match = make_pair()
    with django_capture_on_commit_callbacks(execute=True):
        session = _book(match, at(2027, 3, 24, 17))
    assert session.status == Session.Status.REQUESTED
    assert session.requested_by == match.participant.user
    assert session.ends_at - session.starts_at == HOUR
    assert (session.mentor, session.participant) == (match.mentor, match.participant)
    [message] = mailoutbox
    assert message.to == [match.mentor.user.email]
    assert message.subject == "Paolo asks for a mentoring session"
    assert "Wednesday 24 March 2027, 17:00 (Italian time)" in message.body
    assert f"/en/mentoring/sessions/{session.pk}/" in message.body


def test_booking_in_the_past_or_too_soon_is_refused(site):
    match = make_pair()
    past = _refused(
        "past",
        match=match,
        starts_at=NOW - HOUR,
        by=match.participant.user,
        mode="remote",
        key=key(),
        now=NOW,
    )
    assert past == "This time has already passed. Choose a time still to come."
    soon = _refused(
        "too_soon",
        match=match,
        starts_at=at(2027, 3, 22, 10),
        by=match.participant.user,
        mode="remote",
        key=key(),
        now=NOW,
    )
    assert soon == "Book at least 12 hours ahead, so your mentor can see your request."
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    "starts_at",
    [
        at(2027, 3, 24, 16),  # a Wednesday, before the window
        at(2027, 3, 24, 17, 30),  # inside the window but not one of its slots
        at(2027, 3, 29, 10),  # Easter Monday
        at(2027, 4, 26, 10),  # a Monday beyond the four weeks
    ],
)
def test_the_participant_cannot_book_outside_the_availability(site, starts_at):
    match = make_pair()
    message = _refused(
        "outside_availability",
        match=match,
        starts_at=starts_at,
        by=match.participant.user,
        mode="remote",
        key=key(),
        now=NOW,
    )
    assert message == "Your mentor is not available at this time. Choose one of the free times."
    assert not Session.objects.exists()


def test_overlapping_the_mentors_or_the_participants_sessions_is_refused(site):
    match = make_pair()
    other_mentee = make_match(mentor=match.mentor)
    session_at(other_mentee, at(2027, 3, 24, 16, 30))
    mentor_busy = _refused(
        "overlap",
        match=match,
        starts_at=at(2027, 3, 24, 17),
        by=match.participant.user,
        mode="remote",
        key=key(),
        now=NOW,
    )
    assert mentor_busy == "Your mentor already has a session at this time. Choose another time."

    # The participant is busy with someone else (a session kept from an earlier mentor).
    earlier = make_pair()
    Match.objects.filter(pk=earlier.pk).update(
        participant=match.participant, status=Match.Status.ENDED
    )
    earlier.refresh_from_db()
    session_at(earlier, at(2027, 4, 5, 11, 30), status=Session.Status.HELD)
    participant_busy = _refused(
        "overlap",
        match=match,
        starts_at=at(2027, 4, 5, 11),
        by=match.participant.user,
        mode="remote",
        key=key(),
        now=NOW,
    )
    assert participant_busy == "You already have a session at this time. Choose another time."
    # The mentor proposing a time the participant is busy hears it about their mentee.
    mentee_busy = _refused(
        "overlap",
        match=match,
        starts_at=at(2027, 4, 5, 12),
        by=match.mentor.user,
        mode="remote",
        link="https://meet.example.org/a",
        key=key(),
        now=NOW,
    )
    assert mentee_busy == "Your mentee already has a session at this time. Choose another time."
    assert Session.objects.filter(match=match).count() == 0


def test_someone_else_cannot_book_and_an_ended_match_books_nothing(site):
    match = make_pair()
    with pytest.raises(PermissionDenied) as not_yours:
        _book(match, at(2027, 3, 24, 17), by=UserFactory())
    assert str(not_yours.value) == "This is not your mentoring."
    match_services.match_end(match=match, by=match.participant.user, reason="Moving away")
    message = _refused(
        "match_not_active",
        match=match,
        starts_at=at(2027, 3, 24, 17),
        by=match.participant.user,
        mode="remote",
        key=key(),
        now=NOW,
    )
    assert message.startswith("This mentoring is not active")
    assert not Session.objects.exists()


def test_a_double_click_stores_one_session(site, mailoutbox, django_capture_on_commit_callbacks):
    match = make_pair()
    form_key = key()
    with django_capture_on_commit_callbacks(execute=True):
        first = _book(match, at(2027, 3, 24, 17), key=form_key)
        second = _book(match, at(2027, 3, 24, 17), key=form_key)
    assert first.pk == second.pk
    assert Session.objects.count() == 1
    assert len(mailoutbox) == 1


def test_the_mentor_may_propose_outside_the_windows_but_needs_a_place_or_link(site):
    match = make_pair()
    link = _refused(
        "link",
        match=match,
        starts_at=at(2027, 3, 23, 9),
        by=match.mentor.user,
        mode="remote",
        key=key(),
        now=NOW,
    )
    assert link == "Add the link to the call."
    place = _refused(
        "place",
        match=match,
        starts_at=at(2027, 3, 23, 9),
        by=match.mentor.user,
        mode="in_person",
        key=key(),
        now=NOW,
    )
    assert place == "Say where you will meet."
    # A Tuesday at 9, outside every window and within the participant's notice: fine for her.
    session = _book(
        match, at(2027, 3, 22, 9), by=match.mentor.user, mode="in_person", place="Via Roma 1"
    )
    assert (session.place, session.link, session.requested_by) == (
        "Via Roma 1",
        "",
        match.mentor.user,
    )
    assert _refused(
        "past",
        match=match,
        starts_at=at(2027, 3, 22, 5),
        by=match.mentor.user,
        mode="in_person",
        place="Via Roma 1",
        key=key(),
        now=NOW,
    )


# --- Confirming, moving, cancelling ----------------------------------------------------------


def test_the_other_side_confirms_once_and_the_mentor_adds_the_link(
    site, mailoutbox, django_capture_on_commit_callbacks
):
    match = make_pair()
    session = _book(match, at(2027, 3, 24, 17))
    with pytest.raises(ValidationError) as own:
        services.session_confirm(session=session, by=match.participant.user, now=NOW)
    assert own.value.messages == ["You asked for this session: the other person confirms it."]
    with pytest.raises(ValidationError) as no_link:
        services.session_confirm(session=session, by=match.mentor.user, now=NOW)
    assert no_link.value.code == "link"
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = services.session_confirm(
            session=session, by=match.mentor.user, link="https://meet.example.org/p", now=NOW
        )
        again = services.session_confirm(session=session, by=match.mentor.user, now=NOW)
    assert confirmed.status == again.status == Session.Status.CONFIRMED
    assert again.sequence == 1
    assert confirmed.link == "https://meet.example.org/p"
    assert sorted(SessionReminder.objects.values_list("kind", flat=True)) == ["day", "hour"]
    [message] = mailoutbox
    assert message.to == [match.participant.user.email]
    assert message.subject == "Your mentoring session is confirmed"
    [(name, content, mimetype)] = message.attachments
    assert name == "invite.ics" and mimetype.startswith("text/calendar; method=REQUEST")
    assert "SUMMARY:Mentoring with Marta" in content


def test_moving_checks_the_new_time_and_replaces_the_unsent_reminders(site):
    match = make_pair()
    session = _book(match, at(2027, 3, 24, 17))
    services.session_confirm(
        session=session, by=match.mentor.user, link="https://meet.example.org/p", now=NOW
    )
    old = set(SessionReminder.objects.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as outside:
        services.session_reschedule(
            session=session, starts_at=at(2027, 3, 25, 17), by=match.participant.user, now=NOW
        )
    assert outside.value.code == "outside_availability"
    moved = services.session_reschedule(
        session=session, starts_at=at(2027, 3, 31, 17), by=match.participant.user, now=NOW
    )
    assert moved.starts_at == at(2027, 3, 31, 17) and moved.sequence == 2
    assert moved.status == Session.Status.CONFIRMED
    reminders = SessionReminder.objects.filter(session=session)
    assert not old & set(reminders.values_list("pk", flat=True))
    assert {r.starts_at for r in reminders} == {at(2027, 3, 31, 17)}
    # The same time again is a second click: nothing more changes.
    same = services.session_reschedule(
        session=session, starts_at=at(2027, 3, 31, 17), by=match.participant.user, now=NOW
    )
    assert same.sequence == 2
    # Its own old time is not busy any more; another session's time is.
    other = make_match(mentor=match.mentor)
    session_at(other, at(2027, 4, 5, 10))
    with pytest.raises(ValidationError) as busy:
        services.session_reschedule(
            session=session, starts_at=at(2027, 4, 5, 10), by=match.participant.user, now=NOW
        )
    assert busy.value.code == "overlap"


def test_cancelling_needs_a_reason_and_is_late_only_for_the_participant_within_a_day(site):
    match = make_pair()
    early = session_at(match, at(2027, 3, 24, 17))
    late = session_at(match, at(2027, 3, 22, 17))
    by_mentor = session_at(match, at(2027, 3, 22, 19))
    with pytest.raises(ValidationError) as no_reason:
        services.session_cancel(session=early, by=match.participant.user, reason=" ", now=NOW)
    assert no_reason.value.messages == ["Say why the session is cancelled."]
    cancel = services.session_cancel
    assert (
        cancel(session=early, by=match.participant.user, reason="Ill", now=NOW).status
        == Session.Status.CANCELLED
    )
    assert (
        cancel(session=late, by=match.participant.user, reason="Ill", now=NOW).status
        == Session.Status.LATE_CANCELLED
    )
    assert (
        cancel(session=by_mentor, by=match.mentor.user, reason="Ill", now=NOW).status
        == Session.Status.CANCELLED
    )
    # A second click changes nothing; a session begun cannot be cancelled.
    again = cancel(session=late, by=match.participant.user, reason="Other", now=NOW)
    assert (again.status, again.cancel_reason, again.sequence) == (
        Session.Status.LATE_CANCELLED,
        "Ill",
        1,
    )
    begun = session_at(match, at(2027, 3, 21, 17))
    with pytest.raises(ValidationError) as started:
        cancel(session=begun, by=match.participant.user, reason="Ill", now=NOW)
    assert started.value.code == "started"
    with pytest.raises(PermissionDenied):
        cancel(session=begun, by=UserFactory(), reason="Mine", now=NOW)


# --- The pages -------------------------------------------------------------------------------


@freeze_time(NOW)
def test_the_booking_page_lists_free_times_by_day_and_books_one(client, site):
    match = make_pair()
    client.force_login(match.participant.user)
    url = f"/en/mentoring/matches/{match.pk}/book/"
    html = client.get(url).content.decode()
    assert "Wednesday 24 March" in html and "Monday 5 April" in html
    assert html.count('type="radio" name="slot"') == 8  # no day away this time
    page_key = html.split('name="key" value="')[1].split('"')[0]
    data = {"slot": "20270324T1600Z", "mode": "remote", "place": "", "key": page_key}
    response = client.post(url, data)
    session = Session.objects.get()
    assert response.status_code == 302
    assert response.url == f"/en/mentoring/sessions/{session.pk}/"
    assert client.post(url, data).url == response.url  # the double click
    assert Session.objects.count() == 1
    taken = client.post(url, {**data, "key": str(key())})
    assert taken.status_code == 400
    assert "You already have a session together at this time." in taken.content.decode()


@freeze_time(NOW)
def test_the_mentor_proposes_a_day_and_a_time(client, site):
    match = make_pair()
    client.force_login(match.mentor.user)
    url = f"/en/mentoring/matches/{match.pk}/book/"
    html = client.get(url).content.decode()
    assert 'type="date"' in html and 'type="time"' in html
    page_key = html.split('name="key" value="')[1].split('"')[0]
    response = client.post(
        url,
        {"day": "2027-03-23", "time": "09:30", "mode": "in_person", "place": "Comune, sala 2",
         "key": page_key},
    )  # fmt: skip
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.starts_at == at(2027, 3, 23, 9, 30)


def test_only_the_two_people_see_a_session_and_the_mentor_not_after_the_end(client, site):
    match = make_pair()
    session = session_at(match, at(2027, 3, 24, 17))
    url = f"/en/mentoring/sessions/{session.pk}/"
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.get(f"/en/mentoring/matches/{match.pk}/book/").status_code == 404
    assert client.post(f"{url}cancel/", {"reason": "Mine now"}).status_code == 404
    client.force_login(match.participant.user)
    html = client.get(url).content.decode()
    assert "Wednesday 24 March 2027, 17:00–18:00" in html
    session.refresh_from_db()
    assert session.status == Session.Status.CONFIRMED  # the outsider's POST changed nothing
    client.force_login(match.mentor.user)
    assert client.get(url).status_code == 200
    match_services.match_end(match=match, by=match.participant.user, reason="Done")
    assert client.get(url).status_code == 404
    client.force_login(match.participant.user)
    assert client.get(url).status_code == 200
