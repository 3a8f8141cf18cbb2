"""Sign-up and password reset do the same work for a registered and for an unknown address,
so their answer time does not disclose who is registered. The times themselves are measured
in bench/account_timing.py; these tests check the work."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django_tasks import default_task_backend
from django_tasks.signals import task_enqueued

from portal_site.accounts.tasks import send_account_email
from tests.factories import UserFactory

PASSWORD = "a-long-passphrase-2026"


class CountingHasher(MD5PasswordHasher):
    """A real hasher, configured in PASSWORD_HASHERS, that counts the hashes it makes."""

    algorithm = "counting_md5"
    made = 0

    def encode(self, password, salt):
        type(self).made += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.site.test_account_timing.CountingHasher"]
    CountingHasher.made = 0
    return CountingHasher


@pytest.fixture
def enqueued():
    """Every task enqueued, as django-tasks announces it."""
    results = []

    def receiver(sender, task_result, **kwargs):
        results.append(task_result)

    task_enqueued.connect(receiver)
    yield results
    task_enqueued.disconnect(receiver)


def _sign_up(client, email):
    return client.post(
        "/it/account/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )


def _reset(client, email):
    return client.post("/it/account/password/reset/", {"email": email})


@pytest.mark.django_db
def test_sign_up_with_a_registered_address_hashes_the_password_as_a_new_one(
    client, site, counting_hasher
):
    registered = UserFactory()
    counting_hasher.made = 0
    assert _sign_up(client, registered.email).status_code == 302
    assert counting_hasher.made == 1
    assert get_user_model().objects.filter(email=registered.email).count() == 1

    counting_hasher.made = 0
    assert _sign_up(client, "nuova@example.org").status_code == 302
    assert counting_hasher.made == 1
    assert (
        get_user_model().objects.get(email="nuova@example.org").password.startswith("counting_md5$")
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "registered"),
    [("sign-up", True), ("sign-up", False), ("reset", True), ("reset", False)],
)
def test_each_path_enqueues_exactly_one_e_mail_task(client, site, enqueued, action, registered):
    owner = UserFactory()
    email = owner.email if registered else "sconosciuta@example.org"
    response = (_sign_up if action == "sign-up" else _reset)(client, email)
    assert response.status_code == 302
    assert [result.task.name for result in enqueued] == [send_account_email.name]
    assert enqueued[0].kwargs["to"] == [email]
    # The test backend runs the task at once: the message the task sent is the one there is.
    assert [message.to for message in mail.outbox] == [[email]]


@pytest.mark.django_db
def test_the_e_mail_leaves_from_the_worker_not_from_the_request(client, site, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    owner = UserFactory()
    assert _sign_up(client, owner.email).status_code == 302
    assert mail.outbox == []
    [queued] = default_task_backend.results
    assert queued.task.name == send_account_email.name

    # The worker gets only text, and sends it as it was rendered in the request.
    send_account_email.call(*queued.args, **queued.kwargs)
    [message] = mail.outbox
    assert message.to == [owner.email]
    assert message.subject == "[Comune] L'account esiste già"
    assert "/it/account/password/reset/" in message.body


@pytest.mark.django_db
def test_the_already_registered_e_mail_is_in_the_owners_language(client, site):
    owner = UserFactory(preferred_language="en")
    assert _sign_up(client, owner.email).status_code == 302
    [message] = mail.outbox
    assert message.subject == "[Comune] Account Already Exists"


@pytest.mark.django_db
def test_a_reset_for_an_unknown_address_is_in_the_pages_language(client, site):
    assert client.post("/en/account/password/reset/", {"email": "nobody@example.org"})
    [message] = mail.outbox
    assert message.to == ["nobody@example.org"]
    assert message.subject == "[Comune] Unknown Account"
