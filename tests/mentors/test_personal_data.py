"""Mentoring in the personal-data registry: a participant's and a mentor's export, and their
erasure; erasing a participant through coaching's normal flow removes their messages and the
mentor's notes about them."""

import datetime
import json
import os

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from coaching import services as coaching_services
from coaching.models import AccessLog
from coaching.personal_data import (
    personal_data_erase,
    personal_data_erasure_plan,
    personal_data_export,
)
from mentors.models import (
    ActionItem,
    AvailabilityWindow,
    Match,
    MatchEvent,
    MentorMembership,
    MentorNote,
    MentorProfile,
    Message,
    Session,
    SessionFeedback,
)
from mentors.services.followup import ActionItemRow, session_report_save
from mentors.services.messages import message_send
from tests.coaching.factories import make_participant
from tests.mentors.factories import make_match
from tests.mentors.followup_factories import make_session

pytestmark = pytest.mark.django_db

NOTE = "Nota privata: preoccupato per i debiti"


@pytest.fixture
def history(site, coordinator):
    """A participant with a mentor, a held session with its report and feedback, an action
    item and messages both ways."""
    match = make_match(site=site)
    Match.objects.filter(pk=match.pk).update(terms=[{"code": "language", "value": "ar"}])
    MatchEvent.objects.filter(match=match).update(reason="Parla arabo")
    session = make_session(match)
    session_report_save(
        session=session,
        by=match.mentor.user,
        attendance="held",
        minutes_held=55,
        summary="Abbiamo parlato del forno",
        note=NOTE,
        action_items=[ActionItemRow(text="Chiedere tre preventivi", owner="participant")],
    )
    SessionFeedback.objects.create(session=session, useful=4, comment="Molto utile, grazie")
    message_send(match=match, by=match.participant.user, body="Messaggio della partecipante")
    message_send(match=match, by=match.mentor.user, body="Risposta del mentore")
    return {"match": match, "session": session, "participant": match.participant}


def _sections(client, user):
    client.force_login(user)
    data = json.loads(client.get("/en/path/my-data/").content)
    return {s["title"]: s for s in data["sections"] if s["provider"] == "mentors"}


def test_the_participants_export_has_every_mentoring_section(client, history):
    person = history["participant"]
    sections = _sections(client, person.user)
    assert set(sections) == {
        "Your mentors",
        "Mentoring sessions",
        "Action items",
        "Your feedback on the sessions",
        "Messages with your mentors",
    }
    by_key = list(sections.values())
    mentors, sessions, items, feedback, messages = by_key
    assert mentors["data"][0]["mentor"] == str(history["match"].mentor)
    assert mentors["data"][0]["status"] == "accepted"
    assert sessions["data"][0]["minutes_held"] == 55
    assert sessions["data"][0]["summary"] == "Abbiamo parlato del forno"
    assert items["data"][0]["text"] == "Chiedere tre preventivi"
    assert feedback["data"][0] == {
        **feedback["data"][0],
        "useful": 4,
        "comment": "Molto utile, grazie",
    }
    assert [(m["from"], m["body"]) for m in messages["data"]] == [
        ("you", "Messaggio della partecipante"),
        ("mentor", "Risposta del mentore"),
    ]
    # The mentor's private note is the mentor's: not in the participant's export.
    assert NOTE not in json.dumps(list(sections.values()))


def test_the_mentors_export_has_profile_hours_memberships_and_notes(client, history):
    mentor = history["match"].mentor
    MentorProfile.objects.filter(pk=mentor.pk).update(bio="Panettiere da vent'anni")
    AvailabilityWindow.objects.create(
        profile=mentor, weekday=1, starts=datetime.time(15), ends=datetime.time(18)
    )
    # A mentor who is not a participant has no "my data" page of coaching's: the registry.
    sections = [
        s.as_json()
        for s in personal_data_export(user=mentor.user, by=mentor.user)
        if s.provider == "mentors"
    ]
    assert len(sections) == 5
    profile, hours, memberships, notes, sent = sections
    assert profile["data"]["bio"] == "Panettiere da vent'anni"
    assert hours["data"]["weekly"] == [{"weekday": 1, "from": "15:00", "to": "18:00"}]
    assert memberships["data"][0]["status"] == "approved"
    assert notes["data"][0]["note"] == NOTE
    assert [m["body"] for m in sent["data"]] == ["Risposta del mentore"]
    # A mentor is not a participant: no participant sections of their own.
    assert "Messaggio della partecipante" not in json.dumps(profile)


def test_erasing_a_participant_through_coachings_flow_removes_messages_and_notes(
    coordinator, history
):
    person, session, match = history["participant"], history["session"], history["match"]
    other = make_match(site=person.site)  # someone else's mentoring stays whole
    message_send(match=other, by=other.participant.user, body="Non toccare")

    coaching_services.participant_erase(participant=person, by=coordinator, reason="Richiesta")

    assert not Message.objects.filter(match=match).exists()
    assert not MentorNote.objects.filter(session=session).exists()
    assert not ActionItem.objects.filter(match=match).exists()
    assert SessionFeedback.objects.get(session=session).comment == ""
    assert SessionFeedback.objects.get(session=session).useful == 4
    session.refresh_from_db()
    assert (session.status, session.minutes_held, session.summary, session.link) == (
        Session.Status.HELD,
        55,
        "",
        "",
    )
    assert session.starts_at is not None
    match.refresh_from_db()
    assert match.terms == [] and match.end_reason == ""
    assert not MatchEvent.objects.filter(match=match).exclude(reason="").exists()
    assert Message.objects.filter(match=other, body="Non toccare").exists()
    log = AccessLog.objects.get(participant=person, action="erase_participant")
    outcomes = [o for o in log.details["erasure"] if o["provider"] == "mentors"]
    assert {o["action"] for o in outcomes} == {"deleted", "anonymised", "kept"}
    kept = next(o for o in outcomes if o["action"] == "kept")
    assert "ESF+" in kept["why"]


def test_the_erasure_plan_says_what_will_happen_before(history):
    plan = personal_data_erasure_plan(user=history["participant"].user)
    mine = [p for p in plan if p.provider == "mentors"]
    assert [p.action for p in mine] == ["deleted", "anonymised", "kept"]
    mentor_plan = [
        p
        for p in personal_data_erasure_plan(user=history["match"].mentor.user)
        if p.provider == "mentors"
    ]
    assert [p.action for p in mentor_plan] == ["deleted", "anonymised", "kept"]


def test_erasing_a_mentor(history, private_storage_root, django_capture_on_commit_callbacks):
    mentor = history["match"].mentor
    mentor.photo.save("face.jpg", ContentFile(b"jpeg"), save=False)
    mentor.bio, mentor.organisation, mentor.photo_alt = "Bio", "Forno Rossi srl", "Il mio volto"
    mentor.save()
    path = mentor.photo.path
    AvailabilityWindow.objects.create(
        profile=mentor, weekday=2, starts=datetime.time(9), ends=datetime.time(12)
    )
    MentorMembership.objects.filter(profile=mentor).update(motivation="Voglio aiutare")

    with django_capture_on_commit_callbacks(execute=True):
        personal_data_erase(
            user=mentor.user, by=None, reason="Richiesta del mentore", now=timezone.now()
        )

    mentor.refresh_from_db()
    assert (mentor.bio, mentor.organisation, mentor.photo.name, mentor.photo_alt) == (
        "",
        "",
        "",
        "",
    )
    assert not os.path.exists(path)
    assert not AvailabilityWindow.objects.filter(profile=mentor).exists()
    assert not MentorNote.objects.filter(author=mentor.user).exists()
    assert not Message.objects.filter(sender=mentor.user).exists()
    # The participant's own words stay theirs; the history stays, without the mentor's texts.
    assert Message.objects.filter(body="Messaggio della partecipante").exists()
    # They mentor no more: the membership ends, the mentee goes back to the pool.
    membership = MentorMembership.objects.get(profile=mentor)
    assert membership.status == "ended" and membership.motivation == ""
    assert Match.objects.get(mentor=mentor).status == Match.Status.ENDED
    assert Session.objects.get(pk=history["session"].pk).minutes_held == 55


def test_erasing_one_of_two_participations_erases_that_ones_mentoring_only(
    other_site, coordinator, history
):
    person, match = history["participant"], history["match"]
    elsewhere = make_participant(user=person.user, site=other_site, status="eligible")
    there = make_match(participant=elsewhere, site=other_site)
    message_send(match=there, by=person.user, body="Messaggio ad Altrove")

    promised = coaching_services.participant_erasure_plan(participant=person)
    assert [p.action for p in promised if p.provider == "mentors"] == [
        "deleted",
        "anonymised",
        "kept",
    ]

    coaching_services.participant_erase(participant=person, by=coordinator, reason="Uscita")

    assert not Message.objects.filter(match=match).exists()
    assert not ActionItem.objects.filter(match=match).exists()
    # The other municipality's mentoring is the person's still.
    assert Message.objects.filter(match=there, body="Messaggio ad Altrove").exists()
    person.user.refresh_from_db()
    assert person.user.is_active
