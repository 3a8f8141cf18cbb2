"""allauth tells people by e-mail when their password or second factor changes.

Whoever changed it, the owner of the account reads it: a stolen password used to remove
their authenticator is then noticed. The notices are in the person's own language.
"""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from tests.factories import TEST_PASSWORD, UserFactory
from tests.site.helpers_mfa import code_for_secret, give_totp, sign_in_with_totp, totp_code

NEW_PASSWORD = "a-new-and-long-passphrase"


@pytest.fixture
def italian(db):
    return UserFactory(preferred_language="it")


def _change_password(client, language: str):
    return client.post(
        f"/{language}/account/password/change/",
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def test_a_password_change_is_notified(client, site, italian):
    client.force_login(italian)
    mail.outbox.clear()
    response = _change_password(client, "it")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == [italian.email]
    assert notice.subject == "[Comune] Password cambiata"
    assert "La tua password è stata cambiata." in notice.body


def test_the_notice_is_in_the_persons_language_not_the_pages(client, site, italian):
    client.force_login(italian)
    mail.outbox.clear()
    _change_password(client, "en")
    assert [notice.subject for notice in mail.outbox] == ["[Comune] Password cambiata"]
    assert "Stai ricevendo questa email perché" in mail.outbox[0].body


# Transactional: allauth sends this notice when the activation is committed, which in
# production happens inside the request, as it does here.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_activating_an_authenticator_is_notified(client, site, italian):
    client.force_login(italian)
    client.post("/it/account/reauthenticate/", {"password": TEST_PASSWORD})
    html = client.get("/it/account/2fa/totp/activate/").text
    secret = re.search(r'id="authenticator_secret" value="([A-Z2-7]+)"', html).group(1)
    mail.outbox.clear()
    response = client.post("/it/account/2fa/totp/activate/", {"code": code_for_secret(secret)})
    assert response.status_code == 302
    assert [notice.subject for notice in mail.outbox] == [
        "[Comune] Applicazione di autenticazione attivata"
    ]
    assert mail.outbox[0].to == [italian.email]


def test_deactivating_an_authenticator_is_notified(client, site, italian):
    give_totp(italian)
    sign_in_with_totp(client, italian, next_url="/it/account/2fa/")
    cache.clear()  # the code of the sign-in is used again in this 30-second window
    response = client.post("/it/account/2fa/reauthenticate/", {"code": totp_code(italian)})
    assert response.status_code == 302
    mail.outbox.clear()
    response = client.post("/it/account/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert [notice.subject for notice in mail.outbox] == [
        "[Comune] Applicazione di autenticazione disattivata"
    ]
    assert mail.outbox[0].to == [italian.email]
    assert "Applicazione di autenticazione disattivata." in mail.outbox[0].body
