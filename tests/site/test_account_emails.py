"""Account e-mails are signed with the municipality's name and its home page in the person's
language (never the host name), have a plain-text and an HTML part, and keep both through the
background task that sends them."""

from pathlib import Path

import allauth
import pytest
from django.conf import settings
from django.core import mail
from django.template.loader import get_template
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from portal_site.core.models import SiteSettings
from tests.factories import TEST_PASSWORD, UserFactory

NEW_PASSWORD = "a-new-long-passphrase-2026"
MUNICIPALITY = "Comune di Prova"


@pytest.fixture
def municipality(site):
    site_settings = SiteSettings.for_site(site)
    site_settings.municipality_name = MUNICIPALITY
    site_settings.contact_email = "sportello@comune.prova.it"
    site_settings.save()
    return site_settings


def _html(message) -> str:
    parts = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    assert len(parts) == 1, message.alternatives
    return parts[0]


def _sign_up(client, language: str, email: str = "nuova@example.org"):
    response = client.post(
        f"/{language}/account/signup/",
        {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    [message] = mail.outbox
    return message


def _assert_branded(message, *, language: str) -> None:
    for text in (message.body, _html(message)):
        assert MUNICIPALITY in text
        assert f"http://testserver/{language}/" in text
        assert "testserver!" not in text
        assert "sportello@comune.prova.it" in text
    assert "testserver" not in message.subject


@pytest.mark.django_db
def test_the_confirmation_is_branded_and_in_italian_for_an_italian_sign_up(client, municipality):
    message = _sign_up(client, "it")
    _assert_branded(message, language="it")
    assert message.subject == f"[{MUNICIPALITY}] Conferma il tuo indirizzo email"
    assert message.body.startswith("Buongiorno,")
    assert (
        f"Qualcuno, probabilmente tu, ha usato questo indirizzo e-mail per creare un account "
        f"sul sito {MUNICIPALITY}."
    ) in message.body
    assert "Per confermare il tuo indirizzo e-mail, apri questo link:" in message.body
    assert "Ciao da" not in message.body
    html = _html(message)
    assert '<html lang="it">' in html
    assert "Conferma il mio indirizzo e-mail" in html
    assert 'href="http://testserver/it/account/confirm-email/' in html


@pytest.mark.django_db
def test_the_confirmation_is_branded_and_in_english_for_an_english_sign_up(client, municipality):
    message = _sign_up(client, "en")
    _assert_branded(message, language="en")
    assert message.subject == f"[{MUNICIPALITY}] Please Confirm Your Email Address"
    assert message.body.startswith("Hello,")
    assert (
        f"Someone, probably you, used this e-mail address to create an account on the "
        f"{MUNICIPALITY} site."
    ) in message.body
    assert "Hello from" not in message.body
    html = _html(message)
    assert '<html lang="en">' in html
    assert "Confirm my e-mail address" in html
    assert 'href="http://testserver/en/account/confirm-email/' in html


@pytest.mark.django_db
def test_a_password_reset_is_in_the_persons_language_not_the_pages(client, municipality):
    UserFactory(email="amina@example.org", first_name="Amina", preferred_language="it")
    response = client.post("/en/account/password/reset/", {"email": "amina@example.org"})
    assert response.status_code == 302
    [message] = mail.outbox
    _assert_branded(message, language="it")
    assert message.body.startswith("Buongiorno Amina,")
    assert "Per scegliere una nuova password, apri questo link:" in message.body
    assert "Scegli una nuova password" in _html(message)
    assert "Choose a new password" not in _html(message)


@pytest.mark.django_db
def test_an_english_speaker_gets_the_reset_in_english_from_an_italian_page(client, municipality):
    UserFactory(email="sam@example.org", first_name="Sam", preferred_language="en")
    assert client.post("/it/account/password/reset/", {"email": "sam@example.org"})
    [message] = mail.outbox
    _assert_branded(message, language="en")
    assert message.body.startswith("Hello Sam,")
    assert "Choose a new password" in _html(message)


@pytest.mark.django_db
def test_a_security_notice_has_an_html_part_in_the_persons_language(client, municipality):
    user = UserFactory(preferred_language="it")
    client.force_login(user)
    response = client.post(
        "/it/account/password/change/",
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    [notice] = mail.outbox
    _assert_branded(notice, language="it")
    html = _html(notice)
    assert "La tua password è stata cambiata." in html
    assert "Stai ricevendo questa email perché" in html


@pytest.mark.django_db
def test_the_already_registered_e_mail_is_branded_for_its_owner(client, municipality):
    UserFactory(email="owner@example.org", preferred_language="en")
    message = _sign_up(client, "it", email="owner@example.org")
    _assert_branded(message, language="en")
    assert "You already have an account with this address." in message.body
    assert "/account/password/reset/" in _html(message)


@pytest.mark.django_db
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_worker_sends_both_parts(client, municipality):
    UserFactory(email="worker@example.org", preferred_language="it")
    assert client.post("/it/account/password/reset/", {"email": "worker@example.org"})
    assert mail.outbox == []  # queued in the database, not sent from the request

    # What the worker does with the row: the task, called with the arguments as stored (JSON).
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "portal_site.accounts.tasks.send_account_email"
    queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])

    [message] = mail.outbox
    assert message.to == ["worker@example.org"]
    assert "Per scegliere una nuova password" in message.body
    assert "Scegli una nuova password" in _html(message)


def _allauth_messages() -> list[str]:
    """Every account and MFA e-mail allauth can send, as template prefixes."""
    templates = Path(allauth.__file__).parent / "templates"
    return sorted(
        str(path.relative_to(templates)).removesuffix("_message.txt")
        for folder in ("account/email", "mfa/email")
        for path in (templates / folder).glob("*_message.txt")
        if path.name != "base_message.txt"
    )


@pytest.mark.parametrize("prefix", _allauth_messages())
def test_every_account_e_mail_has_a_branded_html_part(prefix):
    own = Path(settings.BASE_DIR) / "templates"
    template = get_template(f"{prefix}_message.html")
    assert Path(template.origin.name).is_relative_to(own), template.origin.name
