"""Staff reach the Wagtail admin only with a second factor; others never reach it."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

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


@pytest.fixture(autouse=True)
def clear_cache():
    """allauth keeps rate-limit counters and used TOTP codes in the cache."""
    cache.clear()
    yield
    cache.clear()


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
    # allauth asks for the password again before a second factor is added.
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0].startswith("/it/account/reauthenticate/")
    assert "Il personale deve usare l&#x27;autenticazione a due fattori." in response.text


@pytest.mark.django_db
def test_activating_totp_then_opening_the_admin(client, site, editor):
    sign_in_with_password(client, editor)
    response = client.get("/it/account/2fa/totp/activate/")
    assert response.status_code == 302
    assert response["Location"] == (
        "/it/account/reauthenticate/?next=%2Fit%2Faccount%2F2fa%2Ftotp%2Factivate%2F"
    )
    response = client.post(response["Location"], {"password": TEST_PASSWORD})
    assert response["Location"] == "/it/account/2fa/totp/activate/"
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

    # This session began without the second factor: allauth asks for a code, then lets in.
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/it/account/2fa/reauthenticate/?next=%2Fadmin%2F"
    response = client.post(response["Location"], {"code": totp_code(editor)})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


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
def test_staff_without_mfa_see_a_reminder_on_their_account_page(client, site, finance_officer):
    client.force_login(finance_officer)
    response = client.get("/it/account/profile/")
    assert 'href="/it/account/2fa/totp/activate/"' in response.text
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
    StaffSiteAssignment.objects.create(user=coordinator, site=site)
    sign_in_with_totp(client, coordinator, next_url="/it/path/staff/enrol/")
    assert client.get("/it/path/staff/enrol/").status_code == 200


def test_account_pages_stay_open_to_staff_who_still_need_a_second_factor(client, site, coordinator):
    sign_in_with_password(client, coordinator)
    assert client.get("/it/account/profile/").status_code == 200
    assert client.get(reverse("mfa_activate_totp")).status_code in {200, 302}


def test_people_who_are_not_staff_browse_without_a_second_factor(client, site, participant):
    client.force_login(participant)
    assert client.get("/it/").status_code == 200
