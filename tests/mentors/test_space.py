"""The mentor's own space, the mentee page and the dashboards' mentoring panels: who sees
what (own mentees only, progress only with consent, never special-category data), the access
log, and a number of queries that does not grow with the mentees and sessions."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale

from coaching import services as coaching_services
from coaching.models import AccessLog, ConsentRecord, Participant
from mentors.models import ActionItem, Match, Milestone, MilestoneDone, Session
from resources.models import Certificate
from resources.services import lesson_mark_done
from tests.coaching.factories import make_participant
from tests.factories import UserFactory
from tests.mentors.factories import make_match, make_mentor
from tests.resources.factories import LibraryIndexPageFactory, TopicFactory, build_course

pytestmark = pytest.mark.django_db

SPACE = "/it/mentoring/"


def _session(match, days, status=Session.Status.CONFIRMED, hour=10):
    starts = timezone.now().replace(hour=hour, minute=0, second=0, microsecond=0)
    starts += datetime.timedelta(days=days)
    return Session.objects.create(
        match=match,
        mentor=match.mentor,
        participant=match.participant,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        mode="remote",
        link="https://meet.example.org/x",
        status=status,
        minutes_held=50 if status == Session.Status.HELD else None,
    )


def _mentee(mentor, name, **kwargs):
    return make_match(
        mentor=mentor,
        participant=make_participant(user=UserFactory(first_name=name), status="eligible"),
        **kwargs,
    )


def _milestones(site, count=2):
    italian = Locale.objects.get(language_code="it")
    return [
        Milestone.objects.create(site=site, locale=italian, name=f"Passo {i}", sort_order=i)
        for i in range(count)
    ]


def test_a_person_without_a_mentor_profile_is_invited_to_apply(client, user):
    client.force_login(user)
    response = client.get(SPACE)
    assert response.status_code == 200
    assert 'href="/it/mentoring/apply/"' in response.content.decode()
    client.logout()
    assert client.get(SPACE).status_code == 302


def test_the_space_shows_my_mentees_requests_sessions_and_memberships(client, site, other_site):
    mentor = make_mentor()
    first, _second = _milestones(site)
    marco = _mentee(mentor, "Marco")
    MilestoneDone.objects.create(
        participant=marco.participant, milestone_key=first.translation_key, done_at=timezone.now()
    )
    soon = _session(marco, 2)
    _session(marco, 9)
    _session(marco, -7, status=Session.Status.HELD)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ActionItem.objects.create(match=marco, text="Preventivi", owner="participant", due_on=yesterday)
    ActionItem.objects.create(
        match=marco, text="Fatto", owner="mentor", due_on=yesterday, done_at=timezone.now()
    )
    waiting = make_match(mentor=mentor, status=Match.Status.CONFIRMED)
    someone_elses = _mentee(make_mentor(), "Ignazio")
    ended = _mentee(mentor, "Elena", status=Match.Status.ENDED)

    client.force_login(mentor.user)
    text = client.get(SPACE).content.decode()
    assert f'href="/it/mentoring/mentees/{marco.participant_id}/">Marco</a>' in text
    assert marco.participant.get_stage_display() in text
    assert f'href="/it/mentoring/sessions/{soon.pk}/"' in text
    assert "1 di 2 passi completati" in text
    assert '<dt class="col-sm-5">Azioni in ritardo</dt><dd class="col-sm-7">1</dd>' in text
    assert f'href="/it/mentoring/requests/{waiting.pk}/"' in text
    # A request names no one: the mentor sees the person once they accept.
    assert waiting.participant.greeting_name not in text
    assert "Ignazio" not in text and "Elena" not in text
    assert f"/mentees/{someone_elses.participant_id}/" not in text
    assert f"/mentees/{ended.participant_id}/" not in text
    membership = mentor.memberships.get()
    assert f"{site.site_name}: Attivo" in text
    assert f'href="/it/mentoring/membership/{membership.pk}/"' in text
    assert 'href="/it/mentoring/availability/"' in text and 'href="/it/mentoring/profile/"' in text


def test_course_progress_only_with_consent(client, site):
    mentor = make_mentor()
    sharing, private = _mentee(mentor, "Marco"), _mentee(mentor, "Sara")
    coaching_services.consent_record(
        participant=private.participant,
        kind=ConsentRecord.Kind.SHARE_WITH_MENTOR,
        granted=False,
        by=private.participant.user,
    )
    for match in (sharing, private):
        Certificate.objects.create(
            user=match.participant.user,
            course_key=uuid.uuid4(),
            recipient_name="x",
            course_title="Corso",
            completed_on=timezone.localdate(),
        )
    client.force_login(mentor.user)
    text = client.get(SPACE).content.decode()
    cards = {name: text.split(f">{name}</a>")[1].split("</li>")[0] for name in ("Marco", "Sara")}
    assert "Corsi completati" in cards["Marco"]
    assert "Corsi completati" not in cards["Sara"]


def test_the_mentee_page_shows_what_was_shared_never_special_category_data(client, site, home_page):
    mentor = make_mentor()
    match = _mentee(mentor, "Marco")
    participant = match.participant
    Participant.objects.filter(pk=participant.pk).update(
        preferred_languages=["ar", "it"], meeting_modes=["remote"], availability=["0-morning"]
    )
    coaching_services.consent_record(
        participant=participant,
        kind=ConsentRecord.Kind.SPECIAL_CATEGORY,
        granted=True,
        by=participant.user,
    )
    coaching_services.special_data_save(
        participant=participant, disability="yes", minority="roma_sinti_camminanti", by=None
    )
    course = build_course(
        library=LibraryIndexPageFactory(parent=home_page), topic=TopicFactory(name="Fisco")
    )
    lesson_mark_done(user=participant.user, lesson=course.get_children().specific()[0])
    milestone = _milestones(site, 1)[0]
    _session(match, 3)
    ActionItem.objects.create(match=match, text="Chiedere i preventivi", owner="participant")

    client.force_login(mentor.user)
    response = client.get(f"/it/mentoring/mentees/{participant.pk}/")
    text = response.content.decode()
    assert "Italiano, Arabo" in text
    assert "Online" in text
    assert "Lunedì, mattina (9–13)" in text
    assert "Street food" in text  # the idea, shared
    assert "Dal lavoro nero alla partita IVA: 1 di 3 lezioni" in text
    assert "Chiedere i preventivi" in text
    assert f'value="{milestone.pk}"' in text
    assert f'href="/it/mentoring/matches/{match.pk}/messages/"' in text
    for secret in ("Sinti", "disabilit", "333 1234567", "1990"):
        assert secret.casefold() not in text.casefold(), secret
    entry = AccessLog.objects.get(participant=participant, actor=mentor.user)
    assert (entry.action, entry.details["page"]) == (AccessLog.Action.VIEW_PARTICIPANT, "mentee")

    coaching_services.consent_record(
        participant=participant,
        kind=ConsentRecord.Kind.SHARE_WITH_MENTOR,
        granted=False,
        by=participant.user,
    )
    text = client.get(f"/it/mentoring/mentees/{participant.pk}/").content.decode()
    assert "Street food" not in text
    assert "Dal lavoro nero" not in text
    assert "non ha accettato di condividere i suoi progressi" in text


def test_the_mentee_page_is_the_mentors_alone_while_the_match_lasts(client, site, user):
    match = _mentee(make_mentor(), "Marco")
    url = f"/it/mentoring/mentees/{match.participant_id}/"
    for stranger in (user, make_mentor().user, match.participant.user):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
    Match.objects.filter(pk=match.pk).update(status=Match.Status.ENDED)
    client.force_login(match.mentor.user)
    assert client.get(url).status_code == 404
    assert not AccessLog.objects.exists()


def _build(mentor, site, names):
    for name in names:
        match = _mentee(mentor, name)
        offset = len(Match.objects.filter(mentor=mentor))
        _session(match, offset, hour=8)
        _session(match, offset, hour=12)
        _session(match, -offset, status=Session.Status.HELD)
        ActionItem.objects.create(
            match=match, text="x", owner="participant", due_on=timezone.localdate().replace(day=1)
        )


def test_the_space_makes_as_many_queries_for_ten_mentees_as_for_one(
    client, site, django_assert_num_queries
):
    _milestones(site, 3)
    mentor = make_mentor(capacity=12)
    _build(mentor, site, ["Uno"])
    client.force_login(mentor.user)
    client.get(SPACE)  # warm the caches (content types, locales)
    with CaptureQueriesContext(connection) as one:
        assert client.get(SPACE).status_code == 200
    _build(mentor, site, [f"Persona{i}" for i in range(9)])
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(SPACE)
    assert response.content.decode().count('href="/it/mentoring/mentees/') == 10


# --- The dashboards ----------------------------------------------------------------------


def test_a_mentor_finds_their_space_on_the_dashboard_not_an_invitation_to_join(client, site, user):
    mentor = make_mentor()
    make_match(mentor=mentor, status=Match.Status.CONFIRMED)
    client.force_login(mentor.user)
    text = client.get("/it/path/dashboard/").content.decode()
    assert 'href="/it/mentoring/"' in text
    assert "1 richiesta aspetta la tua risposta" in text
    assert "/it/path/join/" not in text
    client.force_login(user)
    text = client.get("/it/path/dashboard/").content.decode()
    assert "/it/path/join/" in text and 'href="/it/mentoring/"' not in text


def test_the_participants_panel(client, site):
    match = _mentee(make_mentor(), "Marco")
    first, _second = _milestones(site)
    MilestoneDone.objects.create(
        participant=match.participant, milestone_key=first.translation_key, done_at=timezone.now()
    )
    ActionItem.objects.create(match=match, text="Chiedere i preventivi", owner="participant")
    client.force_login(match.participant.user)
    text = client.get("/it/path/dashboard/").content.decode()
    assert 'href="/it/mentoring/my-mentor/"' in text
    assert str(match.mentor) in text
    assert f'href="/it/mentoring/matches/{match.pk}/book/"' in text
    assert f'href="/it/mentoring/matches/{match.pk}/messages/"' in text
    assert "Chiedere i preventivi" in text
    assert "1 di 2 passi completati" in text

    session = _session(match, 2)
    text = client.get("/it/path/dashboard/").content.decode()
    assert f'href="/it/mentoring/sessions/{session.pk}/"' in text


def test_a_participant_without_a_mentor_is_told_so(client, site):
    person = make_participant(status="eligible")
    client.force_login(person.user)
    text = client.get("/it/path/dashboard/").content.decode()
    assert "Non hai ancora un mentore" in text
