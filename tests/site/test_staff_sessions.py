"""Staff sessions end after 30 idle minutes and 12 hours after sign-in, whatever "remember me"
said; participants keep a long session on their own phone if they ask for it."""

from datetime import timedelta

import pytest
from django.conf import settings
from freezegun import freeze_time

from portal_site.accounts.selectors import SIGNED_IN_AT
from tests.factories import TEST_PASSWORD
from tests.site.helpers_mfa import give_totp, sign_in_with_totp, totp_code

EXPIRED = (
    "La sessione è scaduta: le sessioni del personale terminano dopo un periodo senza "
    "attività e alcune ore dopo l&#x27;accesso. Accedi di nuovo."
)


@pytest.fixture
def clock():
    with freeze_time("2026-03-02 08:00:00") as frozen:
        yield frozen


def _is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _sign_in_remembered(client, person):
    """allauth's sign-in with "remember me" ticked (and the code, for people who have one)."""
    response = client.post(
        "/it/account/login/",
        {"login": person.email, "password": TEST_PASSWORD, "remember": "on"},
    )
    assert response.status_code == 302
    if response["Location"] == "/it/account/2fa/authenticate/":
        response = client.post(response["Location"], {"code": totp_code(person)})
        assert response.status_code == 302
    assert _is_signed_in(client)
    return response


def test_defaults_are_30_idle_minutes_and_12_hours():
    assert settings.AVVIO_STAFF_SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.AVVIO_STAFF_SESSION_MAX_AGE == 12 * 60 * 60


def test_staff_idle_for_31_minutes_are_signed_out(client, site, editor, clock):
    sign_in_with_totp(client, editor)
    clock.tick(timedelta(minutes=29))
    assert client.get("/admin/").status_code == 200

    clock.tick(timedelta(minutes=31))
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/it/account/login/?next=%2Fadmin%2Fpages%2F"
    assert not _is_signed_in(client)
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert EXPIRED in response.text


def test_a_session_left_for_hours_is_gone_from_the_store(client, site, editor, clock):
    sign_in_with_totp(client, editor)
    clock.tick(timedelta(hours=2))
    assert not _is_signed_in(client)  # the store no longer returns it
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/it/account/login/?next=/admin/"


def test_staff_active_every_20_minutes_are_signed_out_12_hours_after_sign_in(
    client, site, coordinator, clock
):
    sign_in_with_totp(client, coordinator)
    for minutes in range(20, 12 * 60, 20):
        clock.tick(timedelta(minutes=20))
        assert client.get("/admin/").status_code == 200, minutes

    clock.tick(timedelta(minutes=20))  # 12 hours after sign-in
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/it/account/login/?next=%2Fadmin%2F"
    assert not _is_signed_in(client)


def test_remember_me_does_not_lengthen_a_staff_session(client, site, editor, clock):
    give_totp(editor)
    response = _sign_in_remembered(client, editor)
    # Kept one idle period past its end, so that coming back then says why it ended.
    idle = settings.AVVIO_STAFF_SESSION_IDLE_TIMEOUT
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 2 * idle
    assert client.session.get_expiry_age() == 2 * idle

    clock.tick(timedelta(minutes=31))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert not _is_signed_in(client)


def test_participants_who_ask_to_be_remembered_keep_a_long_session(
    client, site, participant, clock
):
    response = _sign_in_remembered(client, participant)
    max_age = response.cookies[settings.SESSION_COOKIE_NAME]["max-age"]
    assert max_age == settings.SESSION_COOKIE_AGE
    assert max_age > 12 * 60 * 60

    clock.tick(timedelta(hours=13))
    assert client.get("/it/account/profile/").status_code == 200
    clock.tick(timedelta(days=2))
    assert client.get("/it/account/profile/").status_code == 200
    assert _is_signed_in(client)


def test_the_idle_time_is_a_setting(client, site, editor, clock, settings):
    settings.AVVIO_STAFF_SESSION_IDLE_TIMEOUT = 60
    sign_in_with_totp(client, editor)
    clock.tick(timedelta(seconds=59))
    assert client.get("/admin/").status_code == 200
    clock.tick(timedelta(seconds=61))
    assert client.get("/admin/").status_code == 302
    assert not _is_signed_in(client)


def test_the_maximum_age_is_a_setting(client, site, editor, clock, settings):
    settings.AVVIO_STAFF_SESSION_MAX_AGE = 60 * 60
    sign_in_with_totp(client, editor)
    for _minutes in (20, 40):
        clock.tick(timedelta(minutes=20))
        assert client.get("/admin/").status_code == 200
    clock.tick(timedelta(minutes=20))
    assert client.get("/admin/").status_code == 302
    assert not _is_signed_in(client)


def test_an_open_editor_is_not_activity(client, site, editor, home_page, clock):
    sign_in_with_totp(client, editor)
    for _ in range(2):
        clock.tick(timedelta(minutes=10))
        # What Wagtail's page editor sends by itself while it stays open.
        client.post(f"/admin/editing-sessions/ping/wagtailcore/page/{home_page.pk}/0/")
    clock.tick(timedelta(minutes=11))  # 31 minutes after the last thing the person did
    response = client.get("/admin/")
    assert response.status_code == 302
    assert not _is_signed_in(client)


def test_a_staff_session_from_before_the_rule_is_ended(client, site, editor):
    sign_in_with_totp(client, editor)
    session = client.session
    del session[SIGNED_IN_AT]
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/it/account/login/?next=%2Fadmin%2F"
    assert not _is_signed_in(client)
