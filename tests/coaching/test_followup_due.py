"""A follow-up opens when it is due, and is answered once."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coaching import services
from coaching.models import FollowUp
from tests.coaching.factories import make_participant, sign_in

pytestmark = pytest.mark.django_db

ROME = ZoneInfo("Europe/Rome")
#: As Italian writes them (portal_site.formats): lower case.
MONTHS_IT = [
    "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
    "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
]  # fmt: skip
ANSWER = {"situation": "self_employed", "business_active": "yes", "notes": "Va bene"}


def _exited(coordinator, exit_date):
    person = make_participant(status="eligible", by=coordinator)
    services.participant_exit(participant=person, by=coordinator, exit_date=exit_date)
    return person, FollowUp.objects.get(participant=person, kind="6m")


def _opening_it(follow_up):
    """How the page writes the opening time, in Rome's time whatever the server's zone."""
    when = follow_up.due_at.astimezone(ROME)
    return f"{when.day} {MONTHS_IT[when.month - 1]} {when.year} alle {when:%H:%M} (ora italiana)"


def test_the_six_month_follow_up_cannot_be_answered_before_it_is_due(
    client, site_coordinator, settings
):
    settings.TIME_ZONE = "UTC"  # the opening time is still given in Italian time
    person, six = _exited(site_coordinator, timezone.localdate())
    assert six.due_at > timezone.now()
    client.force_login(person.user)
    url = f"/it/path/follow-up/{six.pk}/"

    page = client.get(url).content.decode()
    assert f"Questo follow-up si apre il {_opening_it(six)}." in page
    assert 'name="situation"' not in page

    response = client.post(url, ANSWER)
    assert response.status_code == 400
    assert f"Questo follow-up si apre il {_opening_it(six)}." in response.content.decode()
    six.refresh_from_db()
    assert six.completed_at is None and six.situation == ""


def test_the_rule_is_the_same_for_the_coordinator_and_opens_at_the_due_time(site_coordinator):
    _person, six = _exited(site_coordinator, datetime.date(2026, 1, 31))
    just_before = six.due_at - datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError) as refused:
        services.followup_complete(
            follow_up=six,
            by=site_coordinator,
            situation="employed",
            business_active=None,
            now=just_before,
        )
    assert refused.value.code == "not_due"
    services.followup_complete(
        follow_up=six,
        by=site_coordinator,
        situation="employed",
        business_active=None,
        now=six.due_at,
    )
    six.refresh_from_db()
    assert six.situation == "employed"


def test_a_second_answer_says_it_was_already_received_and_keeps_the_first(client, site_coordinator):
    person, six = _exited(site_coordinator, datetime.date(2026, 1, 31))
    assert six.due_at < timezone.now()
    client.force_login(person.user)
    url = f"/it/path/follow-up/{six.pk}/"
    first = client.post(url, ANSWER, follow=True)
    assert first.redirect_chain == [("/it/path/dashboard/", 302)]
    assert "Grazie per le tue risposte" in first.content.decode()
    six.refresh_from_db()
    first_answered_at = six.completed_at

    response = client.post(url, {"situation": "searching", "business_active": "none"})
    assert response.status_code == 409
    page = response.content.decode()
    answered = timezone.localtime(first_answered_at, ROME)
    assert (
        f"Abbiamo già ricevuto le risposte a questo follow-up il {answered:%d/%m/%Y}. "
        "Non è possibile cambiarle da qui." in page
    )
    assert "Grazie per le tue risposte" not in page
    six.refresh_from_db()
    assert (six.situation, six.business_active, six.notes) == ("self_employed", True, "Va bene")
    assert six.completed_at == first_answered_at
    assert six.completed_by == person.user


def test_the_coordinator_recording_it_again_is_told_too(client, site_coordinator):
    person, six = _exited(site_coordinator, datetime.date(2026, 1, 31))
    services.followup_complete(
        follow_up=six, by=person.user, situation="employed", business_active=None
    )
    with pytest.raises(ValidationError) as refused:
        services.followup_complete(
            follow_up=six, by=site_coordinator, situation="other", business_active=None
        )
    assert refused.value.code == "already_answered"
    six.refresh_from_db()
    assert (six.situation, six.completed_by) == ("employed", person.user)
    sign_in(client, site_coordinator)
    response = client.post(
        f"/it/path/follow-up/{six.pk}/", {"situation": "other", "business_active": "none"}
    )
    assert response.status_code == 409
    assert "Abbiamo già ricevuto le risposte a questo follow-up" in response.content.decode()
