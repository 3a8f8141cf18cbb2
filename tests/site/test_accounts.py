"""Accounts: sign-up with e-mail verification, sign-in, password reset, rate limits, the
account page, and the accessibility of the sign-in and sign-up pages."""

import re
import time

import pytest
from allauth.account import app_settings as account_settings
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail, signing

from tests.factories import TEST_PASSWORD, UserFactory

NEW_PASSWORD = "a-new-long-passphrase-2026"


def _link_in(message, pattern: str) -> str:
    match = re.search(rf"https?://[^/\s]+({pattern})", message.body)
    assert match, message.body
    return match.group(1)


def _is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Sign-up and e-mail verification ----------------------------------------------------


@pytest.mark.django_db
def test_sign_up_verify_then_sign_in(client, site):
    response = client.get("/it/account/signup/")
    assert response.status_code == 200
    assert 'autocomplete="email"' in response.text
    assert 'autocomplete="new-password"' in response.text

    response = client.post(
        "/it/account/signup/",
        {
            "email": "Nuova.Persona@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/it/account/confirm-email/"
    assert not _is_signed_in(client)
    user = get_user_model().objects.get(email="nuova.persona@example.org")
    assert user.preferred_language == "it"

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nuova.persona@example.org"]
    assert message.subject == "[Comune] Conferma il tuo indirizzo email"
    confirm_path = _link_in(message, r"/it/account/confirm-email/[^/\s]+/")

    # Before following the link, signing in is refused: allauth shows the "verify your
    # e-mail" page instead of signing the person in.
    response = client.post(
        "/it/account/login/", {"login": "nuova.persona@example.org", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/it/account/confirm-email/"
    assert not _is_signed_in(client)
    response = client.get(response["Location"])
    assert "Verifica il tuo indirizzo email" in response.text

    # The link shows a confirmation button (no change on a GET, which mail scanners send).
    response = client.get(confirm_path)
    assert response.status_code == 200
    assert not EmailAddress.objects.get(user=user).verified
    response = client.post(confirm_path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    response = client.post(
        "/it/account/login/", {"login": "nuova.persona@example.org", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert _is_signed_in(client)


@pytest.mark.django_db
def test_sign_up_in_english_sends_the_e_mail_in_english(client, site):
    response = client.post(
        "/en/account/signup/",
        {"email": "someone@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(email="someone@example.org").preferred_language == "en"
    _link_in(mail.outbox[0], r"/en/account/confirm-email/[^/\s]+/")
    assert mail.outbox[0].subject == "[Comune] Please Confirm Your Email Address"


@pytest.mark.django_db
def test_wrong_confirmation_link_gives_a_translated_message(client, site):
    response = client.get("/it/account/confirm-email/not-a-real-key/")
    assert response.status_code == 200
    assert "Questo link di conferma email è scaduto o non è valido" in response.text

    response = client.get("/en/account/confirm-email/not-a-real-key/")
    assert "This email confirmation link expired or is invalid" in response.text


class _SignerFromTheDayBefore(signing.TimestampSigner):
    """Signs as if it were `days` days ago: a confirmation link sent back then."""

    days = 0

    def timestamp(self):
        return signing.b62_encode(int(time.time()) - self.days * 24 * 60 * 60)


@pytest.mark.django_db
def test_expired_confirmation_link_gives_a_translated_message(client, site):
    user = UserFactory(verified_email=False)
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True)
    signer = _SignerFromTheDayBefore(salt=account_settings.SALT)
    signer.days = account_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS + 1
    old_key = signer.sign_object(address.pk, compress=False)
    fresh_key = signing.dumps(obj=address.pk, salt=account_settings.SALT)

    response = client.get(f"/it/account/confirm-email/{old_key}/")
    assert "Questo link di conferma email è scaduto o non è valido" in response.text
    assert client.post(f"/it/account/confirm-email/{old_key}/").status_code == 404
    address.refresh_from_db()
    assert not address.verified

    # The same address with a fresh link: the expiry, not the key format, refused it.
    client.post(f"/it/account/confirm-email/{fresh_key}/")
    address.refresh_from_db()
    assert address.verified


@pytest.mark.django_db
def test_sign_up_with_bad_data_keeps_what_was_typed_and_shows_errors(client, site):
    response = client.post(
        "/it/account/signup/",
        {"email": "typed.person@example.org", "password1": "short", "password2": "short"},
    )
    assert response.status_code == 200
    html = response.text
    assert 'value="typed.person@example.org"' in html
    assert "Questa password è troppo corta. Deve contenere almeno 10 caratteri." in html
    # The error is tied to the field for screen readers and listed at the top of the form.
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_password1_helptext id_password1_error"' in html
    assert 'id="id_password1_error"' in html
    assert 'href="#id_password1"' in html
    assert get_user_model().objects.filter(email="typed.person@example.org").count() == 0

    response = client.post(
        "/it/account/signup/",
        {"email": "not-an-address", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert 'value="not-an-address"' in response.text
    assert "Inserisci un indirizzo email valido." in response.text


@pytest.mark.django_db
def test_sign_up_errors_in_english(client, site):
    response = client.post(
        "/en/account/signup/",
        {"email": "typed@example.org", "password1": NEW_PASSWORD, "password2": "different-one"},
    )
    assert response.status_code == 200
    assert 'value="typed@example.org"' in response.text
    assert "You must type the same password each time." in response.text
    assert '<html lang="en"' in response.text


@pytest.mark.django_db
def test_sign_up_with_an_address_already_used_creates_no_second_account(client, site, user):
    response = client.post(
        "/it/account/signup/",
        {"email": user.email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    # With enumeration prevention the form does not say the address is taken; the owner
    # receives an e-mail instead.
    assert response.status_code == 302
    assert get_user_model().objects.filter(email=user.email).count() == 1
    assert mail.outbox[0].to == [user.email]


# --- Signing in ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_in_with_wrong_password_keeps_the_address_and_explains(client, site, user):
    response = client.post("/it/account/login/", {"login": user.email, "password": "wrong"})
    assert response.status_code == 200
    assert f'value="{user.email}"' in response.text
    assert "L&#x27;indirizzo email e/o la password che hai usato non sono corretti." in (
        response.text
    )
    assert not _is_signed_in(client)


@pytest.mark.django_db
def test_sign_in_page_labels_and_autocomplete(client, site):
    html = client.get("/it/account/login/").text
    assert '<label for="id_login" class="active">' in html
    assert '<label for="id_password" class="active">' in html
    assert 'autocomplete="email"' in html
    assert 'autocomplete="current-password"' in html
    assert "placeholder=" not in html
    assert html.count("<h1") == 1


# --- Password reset -------------------------------------------------------------------------


@pytest.mark.django_db
def test_password_reset_end_to_end(client, site, user):
    response = client.post("/it/account/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    reset_path = _link_in(mail.outbox[0], r"/it/account/password/reset/key/[^/\s]+/")

    # allauth moves the key out of the address into the session before showing the form.
    response = client.get(reset_path, follow=True)
    assert response.status_code == 200
    form_path = response.redirect_chain[-1][0]
    response = client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/it/account/password/reset/key/done/"

    client.logout()
    response = client.post("/it/account/login/", {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert not _is_signed_in(client)
    response = client.post("/it/account/login/", {"login": user.email, "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert _is_signed_in(client)


@pytest.mark.django_db
def test_password_reset_link_used_twice_is_refused(client, site, user):
    client.post("/it/account/password/reset/", {"email": user.email})
    reset_path = _link_in(mail.outbox[0], r"/it/account/password/reset/key/[^/\s]+/")
    form_path = client.get(reset_path, follow=True).redirect_chain[-1][0]
    client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()

    response = client.get(reset_path, follow=True)
    assert "Token non valido" in response.text
    assert "Il link di reimpostazione della password non è valido" in response.text


# --- Rate limits ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_in_is_refused_after_too_many_failed_attempts(client, site, user, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/5m/key"}
    for _attempt in range(3):
        response = client.post("/it/account/login/", {"login": user.email, "password": "wrong"})
        assert "non sono corretti" in response.text

    # Even the right password is refused now, with a message that says why.
    response = client.post("/it/account/login/", {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "Troppi tentativi di accesso. Riprova più tardi." in response.text
    assert not _is_signed_in(client)

    # Another person's account is not locked by it.
    other = UserFactory()
    response = client.post("/it/account/login/", {"login": other.email, "password": TEST_PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_too_many_sign_in_requests_get_a_translated_page(client, site, user, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    for _attempt in range(2):
        client.post("/it/account/login/", {"login": user.email, "password": "wrong"})
    response = client.post("/it/account/login/", {"login": user.email, "password": "wrong"})
    assert response.status_code == 429
    assert "Troppi tentativi" in response.text
    assert '<main id="main-content"' in response.text


# --- The account page ----------------------------------------------------------------------


@pytest.mark.django_db
def test_account_page_needs_sign_in(client, site):
    response = client.get("/it/account/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/it/account/login/?next=")


@pytest.mark.django_db
def test_account_page_shows_only_the_signed_in_person(client, site):
    me = UserFactory(first_name="Giulia", last_name="Bianchi", email="giulia@example.org")
    UserFactory(first_name="Other", last_name="Stranger", email="stranger@example.org")
    client.force_login(me)
    response = client.get("/it/account/profile/")
    assert response.status_code == 200
    assert "giulia@example.org" in response.text
    assert 'value="Giulia"' in response.text
    assert "stranger@example.org" not in response.text
    assert "Stranger" not in response.text
    # Links to allauth's e-mail, password and two-factor pages.
    assert 'href="/it/account/email/"' in response.text
    assert 'href="/it/account/password/change/"' in response.text
    assert 'href="/it/account/2fa/"' in response.text


@pytest.mark.django_db
def test_account_page_changes_name_and_language(client, site, user):
    client.force_login(user)
    response = client.post(
        "/it/account/profile/",
        {"first_name": "Amina", "last_name": "Diallo", "preferred_language": "en"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/account/profile/"
    assert response.cookies["django_language"].value == "en"
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.preferred_language) == ("Amina", "Diallo", "en")

    response = client.get(response["Location"])
    assert "Your details have been saved." in response.text
    assert 'value="Amina"' in response.text
    # Each language is named in its own words.
    assert '<option value="en" selected>English</option>' in response.text
    assert '<option value="it">Italiano</option>' in response.text


@pytest.mark.django_db
def test_account_page_refuses_an_unknown_language_and_keeps_the_typing(client, site, user):
    client.force_login(user)
    response = client.post(
        "/it/account/profile/",
        {"first_name": "Amina", "last_name": "Diallo", "preferred_language": "xx"},
    )
    assert response.status_code == 400
    assert 'value="Amina"' in response.text
    assert 'id="id_preferred_language_error"' in response.text
    user.refresh_from_db()
    assert user.first_name != "Amina"


@pytest.mark.django_db
def test_delete_request_needs_the_confirmation_box(client, site, user):
    client.force_login(user)
    response = client.post("/it/account/delete/", {})
    assert response.status_code == 400
    assert "Spunta la casella per confermare la richiesta." in response.text
    assert 'id="id_confirm_error"' in response.text
    assert "<h1" in response.text and "Il tuo account" in response.text
    user.refresh_from_db()
    assert user.deletion_requested_at is None


@pytest.mark.django_db
def test_delete_request_is_recorded_once(client, site, user):
    client.force_login(user)
    response = client.post("/it/account/delete/", {"confirm": "on"})
    assert response.status_code == 302
    user.refresh_from_db()
    first = user.deletion_requested_at
    assert first is not None

    response = client.post("/it/account/delete/", {"confirm": "on"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.deletion_requested_at == first

    response = client.get("/it/account/profile/")
    assert "Hai chiesto di cancellare il tuo account" in response.text
    assert 'name="confirm"' not in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/it/account/email/",
        "/it/account/password/change/",
        "/it/account/2fa/",
        "/it/account/logout/",
    ],
)
def test_allauth_account_pages_use_the_site_layout(client, site, user, path):
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    html = response.text
    assert '<nav class="avvio-account-nav"' in html
    assert 'class="it-header-wrapper"' in html
    assert html.count("<h1") == 1
    # Nothing from allauth's bare default layout.
    assert "Menu:" not in html


# --- In a browser ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("page_name", ["signup", "login"])
def test_sign_in_and_sign_up_pages_pass_axe(live_server, page, axe, language, page_name):
    page.goto(f"{live_server.url}/{language}/account/{page_name}/")
    assert page.locator("h1").count() == 1
    axe(page)

    # With errors shown, too.
    page.locator("button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback, .alert-danger").count() >= 1
    axe(page)


@pytest.mark.browser
def test_keyboard_only_sign_in(live_server, page):
    person = UserFactory(email="keyboard@example.org")
    page.goto(f"{live_server.url}/it/account/login/")
    for _press in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_login":
            break
    else:
        pytest.fail("The e-mail field cannot be reached with the Tab key.")
    page.keyboard.type(person.email)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    # Signing in leads to the person's dashboard, in the language of the sign-in page.
    page.wait_for_url(re.compile(r"/it/path/dashboard/$"))
    assert page.locator(".it-header-slim-wrapper").get_by_text(str(person)).count() == 1


def _browser_sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/it/account/login/")
    page.get_by_label("Email").fill(email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.browser
def test_account_pages_pass_axe_and_the_qr_code_loads_under_the_csp(live_server, page, axe):
    person = UserFactory(email="staff.person@example.org", is_staff=True)
    _browser_sign_in(page, live_server.url, person.email)

    for path in ("/it/account/profile/", "/it/account/2fa/", "/it/account/password/change/"):
        page.goto(f"{live_server.url}{path}")
        axe(page)

    # The page where allauth asks for the password again (later than straight after sign-in).
    page.goto(f"{live_server.url}/it/account/reauthenticate/")
    assert page.locator("#id_password").is_visible()
    axe(page)

    # Setting up the authenticator app straight after signing in: the QR code at once.
    page.goto(f"{live_server.url}/it/account/2fa/totp/activate/")
    page.wait_for_url(re.compile(r"/it/account/2fa/totp/activate/$"))
    qr_code = page.locator("img.avvio-qr")
    assert qr_code.evaluate("image => image.complete && image.naturalWidth > 0")
    axe(page)


@pytest.mark.django_db
def test_account_deletion_request_reaches_the_coordinators_erasure_queue(client, site, coordinator):
    from coaching.models import Participant
    from tests.coaching.factories import assign, make_participant, sign_in

    assign(coordinator, site)
    person = make_participant(status="submitted")
    bystander = make_participant(status="submitted")
    client.force_login(person.user)
    assert client.post("/it/account/delete/", {"confirm": "on"}).status_code == 302
    first = Participant.objects.get(pk=person.pk).erasure_requested_at
    assert first is not None
    client.post("/it/account/delete/", {"confirm": "on"})  # idempotent
    assert Participant.objects.get(pk=person.pk).erasure_requested_at == first
    assert Participant.objects.get(pk=bystander.pk).erasure_requested_at is None

    sign_in(client, coordinator)
    queue = client.get("/admin/coaching_participant/?erasure_requested=true").text
    assert person.reference in queue and bystander.reference not in queue
    manage = client.get(f"/admin/coaching/participant/{person.pk}/manage/").text
    assert "Cancellazione richiesta" in manage
