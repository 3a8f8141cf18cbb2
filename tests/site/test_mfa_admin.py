"""Staff reach the Wagtail admin only with a second factor; others never reach it."""

import datetime
import re
from urllib.parse import urlencode

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.urls import reverse
from freezegun import freeze_time

from coaching.models import StaffSiteAssignment
from tests.factories import TEST_PASSWORD, UserFactory
from tests.site.helpers_mfa import (
    code_for_secret,
    give_totp,
    recovery_codes,
    sign_in_with_password,
    sign_in_with_totp,
    totp_code,
)


def _is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_admin_sign_in_goes_through_allauth(client, site):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/it/account/login/?next=/admin/"

    # Wagtail's own sign-in form would skip the second factor: it is not reachable.
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/it/account/login/?next=%2Fadmin%2Fpages%2F"
    response = client.get("/django-admin/login/")
    assert response["Location"] == "/it/account/login/?next=%2Fdjango-admin%2F"
    response = client.get("/admin/login/?next=https://elsewhere.example/")
    assert response["Location"] == "/it/account/login/?next=%2Fadmin%2F"


@pytest.mark.django_db
def test_staff_without_authenticator_is_sent_to_set_it_up(client, site, editor):
    response = sign_in_with_password(client, editor, next_url="/admin/")
    assert response.status_code == 302
    assert _is_signed_in(client)

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/it/account/2fa/totp/activate/"
    response = client.get("/admin/pages/")
    assert response["Location"] == "/it/account/2fa/totp/activate/"
    # Straight after signing in, the app's QR code shows without asking for the password again.
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert 'id="authenticator_secret"' in response.text
    assert "Il personale deve usare l&#x27;autenticazione a due fattori." in response.text


# Transactional: allauth announces the new authenticator (and mails its notice) on commit,
# which in production happens inside the request, as it does here.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_activating_totp_then_opening_the_admin(client, site, editor):
    sign_in_with_password(client, editor)
    # Straight after signing in, setting up the app does not ask for the password again.
    response = client.get("/it/account/2fa/totp/activate/")
    assert response.status_code == 200
    html = response.text

    # The QR code is a data: image and the page runs no inline script (strict CSP).
    assert re.search(r'<img class="avvio-qr[^"]*" src="data:image/svg\+xml;base64,', html)
    assert "img-src 'self' data:" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    for script in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in script or 'type="application/json"' in script, script
    assert 'style="' not in html

    secret = re.search(r'id="authenticator_secret" value="([A-Z2-7]+)"', html).group(1)
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html

    # A wrong code is refused with a message next to the field.
    response = client.post("/it/account/2fa/totp/activate/", {"code": "000000"})
    if code_for_secret(secret) != "000000":
        assert response.status_code == 200
        assert 'id="id_code_error"' in response.text
        assert not Authenticator.objects.filter(user=editor).exists()

    response = client.post("/it/account/2fa/totp/activate/", {"code": code_for_secret(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/it/account/2fa/recovery-codes/"
    assert Authenticator.objects.filter(user=editor, type=Authenticator.Type.TOTP).exists()
    assert len(recovery_codes(editor)) == 10
    # allauth shows the new recovery codes as the last step of setting up.
    response = client.get("/it/account/2fa/recovery-codes/")
    assert response.status_code == 200
    assert recovery_codes(editor)[0] in response.text

    # Typing a valid code from the new app was passing the second factor: the admin opens
    # without asking for another code (one password, one set-up, done).
    assert client.get("/admin/").status_code == 200
    # A new session is asked for the code as part of signing in.
    client.logout()
    response = sign_in_with_password(client, editor, next_url="/admin/")
    assert response["Location"] == "/it/account/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_staff_sign_in_with_totp_opens_the_admin(client, site, editor):
    give_totp(editor)
    response = sign_in_with_password(client, editor, next_url="/admin/")
    # The password alone does not sign in: allauth asks for the code first.
    assert response["Location"] == "/it/account/2fa/authenticate/"
    assert not _is_signed_in(client)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.text

    response = client.post("/it/account/2fa/authenticate/", {"code": totp_code(editor)})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert _is_signed_in(client)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_the_helper_signs_in_through_the_real_flow(client, site, coordinator):
    response = sign_in_with_totp(client, coordinator)
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_wrong_totp_code_is_refused(client, site, editor):
    give_totp(editor)
    sign_in_with_password(client, editor, next_url="/admin/")
    wrong = "999999" if totp_code(editor) != "999999" else "111111"
    response = client.post("/it/account/2fa/authenticate/", {"code": wrong})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text
    assert "Codice errato." in response.text
    assert not _is_signed_in(client)


@pytest.mark.django_db
def test_a_used_totp_code_cannot_be_replayed(client, site, editor):
    sign_in_with_totp(client, editor)
    code = totp_code(editor)
    client.logout()
    sign_in_with_password(client, editor, next_url="/admin/")
    response = client.post("/it/account/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert not _is_signed_in(client)


@pytest.mark.django_db
def test_recovery_codes_work_once(client, site, editor):
    give_totp(editor)
    code = recovery_codes(editor)[0]

    sign_in_with_password(client, editor, next_url="/admin/")
    response = client.post("/it/account/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert code not in recovery_codes(editor)

    client.logout()
    sign_in_with_password(client, editor, next_url="/admin/")
    response = client.post("/it/account/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert not _is_signed_in(client)
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_superuser_needs_the_second_factor_too(client, site):
    admin = get_user_model().objects.create_superuser("root@example.org", TEST_PASSWORD)
    UserFactory(email=admin.email)  # the verified e-mail address allauth needs
    sign_in_with_password(client, admin)
    assert client.get("/admin/")["Location"] == "/it/account/2fa/totp/activate/"
    assert client.get("/django-admin/")["Location"] == "/it/account/2fa/totp/activate/"


@pytest.mark.django_db
@pytest.mark.parametrize("role_fixture", ["participant", "mentor", "user"])
def test_people_without_admin_access_never_reach_the_admin(client, site, request, role_fixture):
    person = request.getfixturevalue(role_fixture)
    sign_in_with_password(client, person)
    for path in ("/admin/", "/admin/pages/", "/django-admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/it/account/profile/"
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert "Il tuo account non può aprire l&#x27;amministrazione." in response.text


@pytest.mark.django_db
def test_staff_without_mfa_are_sent_from_their_account_page_to_set_it_up(
    client, site, finance_officer
):
    client.force_login(finance_officer)
    response = client.get("/it/account/profile/")
    assert response.status_code == 302
    assert response["Location"] == "/it/account/2fa/totp/activate/"
    response = client.get("/it/account/profile/", follow=True)
    assert "Il personale deve usare l&#x27;autenticazione a due fattori." in response.text


@pytest.mark.django_db
def test_staff_with_mfa_see_the_administration_on_their_account_page(client, site, editor):
    sign_in_with_totp(client, editor, next_url="/it/account/profile/")
    response = client.get("/it/account/profile/")
    assert response.status_code == 200
    assert 'href="/admin/"' in response.text


@pytest.mark.django_db
def test_wagtail_account_page_does_not_change_the_sign_in_address(client, site, editor):
    sign_in_with_totp(client, editor)
    response = client.get("/admin/account/")
    assert response.status_code == 200
    assert 'name="name_email-email"' not in response.text
    assert 'name="name_email-first_name"' in response.text


@pytest.mark.parametrize("path", ["/it/path/staff/enrol/", "/it/"])
def test_staff_need_the_second_factor_outside_the_admin_too(client, site, coordinator, path):
    # Password only, no authenticator yet: staff pages on the public site are guarded too.
    sign_in_with_password(client, coordinator)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/it/account/")


def test_staff_reach_their_public_pages_after_the_second_factor(client, site, coordinator):
    StaffSiteAssignment.objects.get_or_create(user=coordinator, site=site)
    sign_in_with_totp(client, coordinator, next_url="/it/path/staff/enrol/")
    assert client.get("/it/path/staff/enrol/").status_code == 200


ACCOUNT_PAGES = [
    "/it/account/profile/",
    "/it/account/email/",
    "/it/account/password/change/",
    "/it/account/2fa/",
    "/it/account/2fa/recovery-codes/",
    "/it/account/2fa/recovery-codes/generate/",
    "/it/account/2fa/totp/deactivate/",
    "/it/account/delete/",
]


def test_staff_without_an_authenticator_open_only_what_sets_it_up(client, site, coordinator):
    sign_in_with_password(client, coordinator)
    for path in ACCOUNT_PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/it/account/2fa/totp/activate/", path

    # Setting up straight after signing in shows the app's QR code; minutes later, allauth
    # first asks for the password again.
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    with freeze_time(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=6)):
        response = client.get(reverse("mfa_activate_totp"))
        assert response.status_code == 302
        assert response["Location"] == (
            "/it/account/reauthenticate/?next=%2Fit%2Faccount%2F2fa%2Ftotp%2Factivate%2F"
        )
        assert client.get("/it/account/reauthenticate/").status_code == 200
    # Signing out and the language stay open.
    assert client.get("/it/account/logout/").status_code == 200
    assert client.get("/it/jsi18n/").status_code == 200
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/en/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_staff_with_an_authenticator_open_only_the_code_page(client, site, coordinator):
    # Signed in before the authenticator was set up: this session has not passed it.
    sign_in_with_password(client, coordinator)
    give_totp(coordinator)
    for path in [*ACCOUNT_PAGES, "/it/account/reauthenticate/", "/it/account/2fa/totp/activate/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == (
            f"/it/account/2fa/reauthenticate/?{urlencode({'next': path})}"
        ), path
    assert client.get("/it/account/2fa/reauthenticate/").status_code == 200
    assert client.get("/it/account/logout/").status_code == 200

    response = client.post("/it/account/2fa/reauthenticate/", {"code": totp_code(coordinator)})
    assert response.status_code == 302
    assert client.get("/it/account/profile/").status_code == 200


def test_people_who_are_not_staff_browse_without_a_second_factor(client, site, participant):
    client.force_login(participant)
    assert client.get("/it/").status_code == 200


def _has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_a_stolen_password_does_not_reach_a_coordinators_second_factor(client, site, coordinator):
    """The attack of issue 8: the password alone, through every door, for recovery codes."""
    give_totp(coordinator)
    codes = recovery_codes(coordinator)
    credentials = {"username": coordinator.email, "password": TEST_PASSWORD}
    responses = [
        client.post("/it/_util/login/", credentials, follow=True),
        client.post("/admin/login/", credentials, follow=True),
        client.post("/django-admin/login/", credentials, follow=True),
        client.post("/it/account/login/", {"login": coordinator.email, "password": TEST_PASSWORD}),
        client.get("/it/account/2fa/recovery-codes/", follow=True),
        client.post("/it/account/reauthenticate/", {"password": TEST_PASSWORD}, follow=True),
        client.get("/it/account/2fa/recovery-codes/", follow=True),
        client.get("/it/account/2fa/recovery-codes/download/", follow=True),
        client.post("/it/account/2fa/totp/deactivate/", follow=True),
    ]
    for response in responses:
        for code in codes:
            assert code not in response.text
    assert not _is_signed_in(client)
    assert _has_totp(coordinator)
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize(
    ("role_fixture", "after_password"),
    [
        # allauth's password page sends people with a second factor to the code page...
        ("participant", "/it/account/2fa/reauthenticate/"),
        # ...and staff without it in this session are sent there before it opens.
        ("coordinator", "/it/account/2fa/reauthenticate/?next=%2Fit%2Faccount%2Freauthenticate%2F"),
    ],
)
def test_managing_the_second_factor_needs_it_not_the_password(
    client, site, request, role_fixture, after_password
):
    person = request.getfixturevalue(role_fixture)
    # A session opened with the password before the authenticator was set up (left open on
    # a shared computer, say): it has never shown the second factor.
    sign_in_with_password(client, person)
    assert _is_signed_in(client)
    give_totp(person)
    codes = recovery_codes(person)

    responses = []
    for path in (
        "/it/account/2fa/recovery-codes/",
        "/it/account/2fa/recovery-codes/generate/",
        "/it/account/2fa/totp/deactivate/",
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == (
            f"/it/account/2fa/reauthenticate/?{urlencode({'next': path})}"
        ), path
        responses.append(response)

    response = client.post("/it/account/reauthenticate/", {"password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == after_password
    responses += [
        response,
        client.get("/it/account/2fa/recovery-codes/", follow=True),
        client.post("/it/account/2fa/recovery-codes/generate/", follow=True),
        client.post("/it/account/2fa/totp/deactivate/", follow=True),
    ]
    for response in responses:
        for code in codes:
            assert code not in response.text
    assert recovery_codes(person) == codes
    assert _has_totp(person)

    # With the code from the app, the same pages open.
    response = client.post("/it/account/2fa/reauthenticate/", {"code": totp_code(person)})
    assert response.status_code == 302
    response = client.get("/it/account/2fa/recovery-codes/")
    assert response.status_code == 200
    assert codes[0] in response.text
