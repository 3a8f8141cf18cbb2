"""After a session: the mentor's report (attendance, minutes, summary, private note, action
items), the participant's feedback once, and action items ticked by either person."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from mentors import selectors
from mentors.models import ActionItem, Match, MentorNote, Session, SessionFeedback
from mentors.services.followup import (
    ActionItemRow,
    action_item_mark,
    session_feedback_give,
    session_report_save,
)
from tests.coaching.factories import sign_in
from tests.mentors.factories import make_match, make_mentor
from tests.mentors.followup_factories import make_session

pytestmark = pytest.mark.django_db

NOTE = "Sembra stanca: parlare della famiglia la prossima volta"


def _url(name, pk, language="en"):
    with translation.override(language):
        return reverse(f"mentors:{name}", args=[pk])


def _report(**fields):
    data = {
        "attendance": "held",
        "minutes_held": "50",
        "summary": "We looked at prices.",
        "note": NOTE,
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "30",
        "items-0-item": "",
        "items-0-text": "Ask three suppliers for prices",
        "items-0-owner": "participant",
        "items-0-due_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "action": "save",
    }
    data.update(fields)
    return data


@pytest.fixture
def match(site):
    return make_match(site=site)


# --- Attendance rules ----------------------------------------------------------------------


def test_the_mentor_records_a_held_session_with_minutes_summary_note_and_items(client, match):
    session = make_session(match)
    client.force_login(match.mentor.user)
    response = client.post(_url("session_report", session.pk), _report())
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == Session.Status.HELD
    assert session.minutes_held == 50
    assert session.summary == "We looked at prices."
    assert session.sequence == 1
    note = MentorNote.objects.get(session=session)
    assert note.body == NOTE and note.author == match.mentor.user
    item = ActionItem.objects.get(session=session)
    assert (item.text, item.owner, item.match) == (
        "Ask three suppliers for prices",
        "participant",
        match,
    )
    entry = ModelLogEntry.objects.get(action="mentors.session_report")
    assert entry.data == {"session": session.pk, "status": "held", "minutes_held": 50}
    assert NOTE not in str(entry.data)


def test_minutes_default_to_the_planned_length(client, match):
    session = make_session(match, minutes=45)
    client.force_login(match.mentor.user)
    response = client.get(_url("session_report", session.pk))
    assert response.status_code == 200
    assert response.context["form"]["minutes_held"].value() == 45


def test_a_double_submit_records_once(client, match):
    session = make_session(match)
    client.force_login(match.mentor.user)
    for _ in range(2):
        assert client.post(_url("session_report", session.pk), _report()).status_code == 302
    session.refresh_from_db()
    assert session.status == Session.Status.HELD and session.sequence == 1
    assert ActionItem.objects.filter(session=session).count() == 1
    assert MentorNote.objects.filter(session=session).count() == 1
    assert ModelLogEntry.objects.filter(action="mentors.session_report").count() == 1


@pytest.mark.parametrize("status", ["no_show", "late_cancelled"])
def test_no_show_and_late_cancellation_store_no_minutes(match, status):
    session = make_session(match)
    session_report_save(session=session, by=match.mentor.user, attendance=status, minutes_held=60)
    session.refresh_from_db()
    assert session.status == status and session.minutes_held is None


def test_minutes_are_required_when_held_and_kept_in_range(client, match):
    session = make_session(match)
    client.force_login(match.mentor.user)
    response = client.post(_url("session_report", session.pk), _report(minutes_held=""))
    assert response.status_code == 400
    assert "Write how many minutes the meeting lasted." in response.content.decode()
    response = client.post(_url("session_report", session.pk), _report(minutes_held="601"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "A meeting lasts from 1 to 600 minutes." in html
    # Nothing typed is lost.
    assert "We looked at prices." in html and NOTE in html and "Ask three suppliers" in html
    session.refresh_from_db()
    assert session.status == Session.Status.CONFIRMED and session.minutes_held is None
    with pytest.raises(ValidationError):
        session_report_save(session=session, by=match.mentor.user, attendance="held")


def test_attendance_only_once_the_session_has_started(client, match):
    session = make_session(match, starts_in=datetime.timedelta(hours=3))
    client.force_login(match.mentor.user)
    response = client.get(_url("session_report", session.pk))
    assert "once the meeting has started" in response.content.decode()
    assert "<form" not in response.content.decode().split("<main")[1]
    response = client.post(_url("session_report", session.pk), _report())
    assert response.status_code == 400
    assert "once the meeting has started" in response.content.decode()
    assert "We looked at prices." in response.content.decode()
    session.refresh_from_db()
    assert session.status == Session.Status.CONFIRMED


@pytest.mark.parametrize(
    ("status", "words"),
    [("requested", "never confirmed"), ("cancelled", "was cancelled")],
)
def test_attendance_only_from_a_confirmed_session(match, status, words):
    session = make_session(match, status=status)
    with pytest.raises(ValidationError, match=words):
        session_report_save(
            session=session, by=match.mentor.user, attendance="held", minutes_held=60
        )
    session.refresh_from_db()
    assert session.status == status


def test_a_recorded_attendance_is_not_changed_but_the_report_can_be_completed(client, match):
    session = make_session(match)
    session_report_save(session=session, by=match.mentor.user, attendance="no_show")
    with pytest.raises(ValidationError, match="already recorded"):
        session_report_save(
            session=session, by=match.mentor.user, attendance="held", minutes_held=60
        )
    client.force_login(match.mentor.user)
    form = client.get(_url("session_report", session.pk)).context["form"]
    assert "attendance" not in form.fields
    data = _report(summary="Did not come; we will write.")
    del data["attendance"]
    assert client.post(_url("session_report", session.pk), data).status_code == 302
    session.refresh_from_db()
    assert session.status == Session.Status.NO_SHOW
    assert session.summary == "Did not come; we will write."


# --- Who sees the report and the private note ----------------------------------------------


def _reported(match, starts_in=datetime.timedelta(hours=-2)):
    session = make_session(match, starts_in=starts_in)
    session_report_save(
        session=session,
        by=match.mentor.user,
        attendance="held",
        minutes_held=60,
        summary="Shared summary for Marco",
        note=NOTE,
    )
    return session


def test_the_summary_is_visible_to_the_participant_the_note_is_not(client, match):
    session = _reported(match)
    client.force_login(match.participant.user)
    response = client.get(_url("session_feedback", session.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Shared summary for Marco" in html
    assert NOTE not in html
    assert client.get(_url("session_report", session.pk)).status_code == 404
    assert selectors.mentor_note_of(session=session, user=match.participant.user) is None


def test_another_mentor_sees_neither_the_report_nor_the_note(client, site, match):
    session = _reported(match)
    other = make_mentor(site=site)
    client.force_login(other.user)
    assert client.get(_url("session_report", session.pk)).status_code == 404
    assert client.post(_url("session_report", session.pk), _report()).status_code == 404
    assert client.get(_url("session_feedback", session.pk)).status_code == 404
    assert selectors.mentor_note_of(session=session, user=other.user) is None
    with pytest.raises(PermissionDenied):
        session_report_save(session=session, by=other.user, attendance="held", minutes_held=5)


def test_coordinators_see_no_private_note(client, site, coordinator, match):
    session = _reported(match)
    sign_in(client, coordinator)
    assert client.get(_url("session_report", session.pk)).status_code == 404
    manage = client.get(reverse("coaching_admin:manage", args=[match.participant.pk]))
    assert manage.status_code == 200
    assert NOTE not in manage.content.decode()
    assert selectors.mentor_note_of(session=session, user=coordinator) is None
    # No permission on notes exists for anyone, so no admin view can be granted on them.
    assert not any("mentornote" in p for p in coordinator.get_all_permissions())


def test_an_ended_match_loses_the_mentors_report(client, match):
    session = _reported(match)
    Match.objects.filter(pk=match.pk).update(status=Match.Status.ENDED)
    client.force_login(match.mentor.user)
    assert client.get(_url("session_report", session.pk)).status_code == 404
    # The participant still reads their own session.
    client.force_login(match.participant.user)
    assert client.get(_url("session_feedback", session.pk)).status_code == 200


# --- Action items ----------------------------------------------------------------------------


def test_add_another_row_without_javascript_keeps_what_was_typed(client, match):
    session = make_session(match)
    client.force_login(match.mentor.user)
    response = client.post(_url("session_report", session.pk), _report(action="add_item"))
    assert response.status_code == 200
    assert len(response.context["items"].forms) == 2
    assert "Ask three suppliers for prices" in response.content.decode()
    assert not ActionItem.objects.exists()


def test_items_are_edited_and_removed_only_within_their_session(client, match):
    session = make_session(match)
    other_session = make_session(make_match(), starts_in=datetime.timedelta(hours=-5))
    foreign = ActionItem.objects.create(
        match=other_session.match, session=other_session, text="Not yours", owner="mentor"
    )
    session_report_save(
        session=session,
        by=match.mentor.user,
        attendance="held",
        minutes_held=60,
        action_items=[ActionItemRow(text="Call the bank", owner="mentor")],
    )
    item = ActionItem.objects.get(session=session)
    session_report_save(
        session=session,
        by=match.mentor.user,
        attendance="held",
        minutes_held=60,
        action_items=[
            ActionItemRow(text="Call the bank on Monday", owner="mentor", item_id=item.pk),
            ActionItemRow(text="Stolen", owner="mentor", item_id=foreign.pk),
            ActionItemRow(text="", owner="mentor", item_id=foreign.pk, remove=True),
        ],
    )
    item.refresh_from_db()
    foreign.refresh_from_db()
    assert item.text == "Call the bank on Monday"
    assert foreign.text == "Not yours"
    session_report_save(
        session=session,
        by=match.mentor.user,
        attendance="held",
        minutes_held=60,
        action_items=[ActionItemRow(text="", owner="mentor", item_id=item.pk, remove=True)],
    )
    assert not ActionItem.objects.filter(pk=item.pk).exists()


def test_an_item_due_in_the_past_or_without_text_is_refused(client, match):
    session = make_session(match)
    client.force_login(match.mentor.user)
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(_url("session_report", session.pk), _report(**{"items-0-due_on": past}))
    assert response.status_code == 400
    assert "The date cannot be in the past." in response.content.decode()
    response = client.post(
        _url("session_report", session.pk),
        _report(**{"items-0-text": "", "items-0-owner": "mentor"}),
    )
    assert response.status_code == 400
    assert "Write what is to be done, or remove the row." in response.content.decode()
    assert not ActionItem.objects.exists()
    assert Session.objects.get(pk=session.pk).status == Session.Status.CONFIRMED


def test_either_person_ticks_an_item_done_and_undone(client, site, match):
    session = make_session(match)
    item = ActionItem.objects.create(
        match=match, session=session, text="Open a bank account", owner="participant"
    )
    client.force_login(match.participant.user)
    response = client.post(_url("action_item_done", item.pk), {"done": "1"})
    assert response.status_code == 302
    assert response["Location"] == _url("session_feedback", session.pk)
    item.refresh_from_db()
    first = item.done_at
    assert first is not None
    client.post(_url("action_item_done", item.pk), {"done": "1"})  # a double click
    item.refresh_from_db()
    assert item.done_at == first
    client.force_login(match.mentor.user)
    response = client.post(
        _url("action_item_done", item.pk), {"done": "0", "next": "https://evil.example/"}
    )
    assert response["Location"] == _url("session_report", session.pk)
    item.refresh_from_db()
    assert item.done_at is None


def test_nobody_else_ticks_an_item(client, site, user, coordinator, match):
    item = ActionItem.objects.create(match=match, text="Write the plan", owner="participant")
    for person in (user, coordinator, make_mentor(site=site).user):
        sign_in(client, person)
        assert client.post(_url("action_item_done", item.pk), {"done": "1"}).status_code == 404
        with pytest.raises(PermissionDenied):
            action_item_mark(item=item, by=person, done=True)
    client.force_login(match.participant.user)
    assert client.get(_url("action_item_done", item.pk)).status_code == 405
    item.refresh_from_db()
    assert item.done_at is None


# --- Feedback --------------------------------------------------------------------------------


def test_the_participant_gives_feedback_once(client, match):
    session = _reported(match)
    client.force_login(match.participant.user)
    page = client.get(_url("session_feedback", session.pk)).content.decode()
    assert 'type="radio" name="useful" value="5"' in page
    response = client.post(_url("session_feedback", session.pk), {"useful": "4", "comment": "Good"})
    assert response.status_code == 302
    response = client.post(
        _url("session_feedback", session.pk),
        {"useful": "1", "comment": "Changed my mind"},
        follow=True,
    )
    assert "You have already said how this meeting went" in response.content.decode()
    feedback = SessionFeedback.objects.get(session=session)
    assert (feedback.useful, feedback.comment) == (4, "Good")
    again, created = session_feedback_give(session=session, by=match.participant.user, useful=2)
    assert again == feedback and not created
    assert SessionFeedback.objects.get().useful == 4


def test_feedback_only_after_a_held_session_and_only_by_the_participant(client, match):
    session = make_session(match)
    client.force_login(match.participant.user)
    response = client.post(_url("session_feedback", session.pk), {"useful": "4", "comment": "Ok"})
    assert response.status_code == 400
    assert "once your mentor has recorded it as held" in response.content.decode()
    _reported_session = _reported(match, starts_in=datetime.timedelta(days=-2))
    with pytest.raises(PermissionDenied):
        session_feedback_give(session=_reported_session, by=match.mentor.user, useful=5)
    client.force_login(match.mentor.user)
    assert client.get(_url("session_feedback", _reported_session.pk)).status_code == 404
    assert not SessionFeedback.objects.exists()


def test_feedback_out_of_range_is_refused_and_the_comment_kept(client, match):
    session = _reported(match)
    client.force_login(match.participant.user)
    response = client.post(
        _url("session_feedback", session.pk), {"useful": "9", "comment": "Kept text"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a number from 1 to 5." in html and "Kept text" in html
    assert not SessionFeedback.objects.exists()


def test_the_report_page_speaks_italian(client, match):
    session = make_session(match)
    client.force_login(match.mentor.user)
    response = client.get(_url("session_report", session.pk, language="it"))
    assert response.status_code == 200
    assert '<html lang="it"' in response.content.decode()
