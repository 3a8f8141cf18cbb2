"""Assisted enrolment by a coordinator, private consent forms, and the account hand-over."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from coaching import services
from coaching.models import AccessLog, ConsentRecord, HandoverCode, Participant
from coaching.services.handover import _hash
from tests.coaching.factories import COMPLETE_ANSWERS, assign, enrol_assisted, sign_in
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def site_coordinator_site():
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True)


def test_coordinator_enrols_a_person_without_email_and_fills_the_intake(
    client, site_coordinator, settings
):
    response = enrol_assisted(client, site_coordinator)
    assert response.status_code == 302
    person = Participant.objects.get(user__first_name="Amina")
    assert person.assisted_by == site_coordinator
    assert person.user.email.endswith(".invalid")
    assert not person.user.has_usable_password()
    record = ConsentRecord.objects.get(participant=person, kind="privacy_notice")
    assert record.method == "paper_form" and record.notice is not None
    # Stored privately: no public URL, served only through the checked view.
    with pytest.raises(ValueError):
        record.document.url  # noqa: B018
    assert not record.document.path.startswith(str(settings.MEDIA_ROOT))
    assert response["Location"] == f"/it/path/staff/{person.pk}/contact/"
    for step in ("contact", "about", "work", "education", "idea", "needs"):
        data = dict(COMPLETE_ANSWERS[step])
        if step == "work":
            data["in_education"] = "no"
        response = client.post(f"/it/path/staff/{person.pk}/{step}/", data)
        assert response.status_code == 302, (step, response.content.decode()[:2000])
    assert response["Location"] == f"/it/path/staff/{person.pk}/review/"
    client.post(f"/it/path/staff/{person.pk}/review/")
    person.refresh_from_db()
    assert person.status == "submitted"
    assert not mail.outbox  # nothing is ever sent to a placeholder address


def test_assisted_enrolment_needs_the_signed_form_or_a_declaration(client, site_coordinator):
    response = enrol_assisted(client, site_coordinator, document="", consent_method="paper_form")
    assert response.status_code == 400
    assert 'id="id_document_error"' in response.content.decode()
    response = enrol_assisted(client, site_coordinator, document="", consent_method="declaration")
    assert 'id="id_declaration_error"' in response.content.decode()
    response = enrol_assisted(
        client,
        site_coordinator,
        document="",
        consent_method="declaration",
        declaration="Spiegata a voce in francese il 3 marzo",
    )
    assert response.status_code == 302


def test_consent_form_is_served_only_to_coordinators_of_the_site(
    client, site_coordinator, user_with_role, participant
):
    enrol_assisted(client, site_coordinator)
    record = ConsentRecord.objects.exclude(document="").get()
    url = f"/it/path/staff/consent-document/{record.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 signed"
    assert AccessLog.objects.filter(action="view_consent_document").count() == 1
    other_site_coordinator = user_with_role("Coordinator", is_staff=True)
    sign_in(client, other_site_coordinator)
    assert client.get(url).status_code == 404
    sign_in(client, participant)
    assert client.get(url).status_code == 403


def _handover(site_coordinator, client, now=None):
    enrol_assisted(client, site_coordinator)
    person = Participant.objects.get(user__first_name="Amina")
    handover, code = services.handover_code_create(participant=person, by=site_coordinator, now=now)
    client.logout()
    return person, handover, code


REFUSED_IT = "Questo riferimento e questo codice non si possono usare."


def _claim(client, lookup, code, email="amina@example.org"):
    return client.post(
        "/it/path/handover/",
        {
            "lookup": lookup,
            "code": code,
            "email": email,
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
        },
    )


def test_handover_code_works_once(client, site_coordinator, django_capture_on_commit_callbacks):
    person, handover, code = _handover(site_coordinator, client)
    assert code not in handover.code_hash
    with django_capture_on_commit_callbacks(execute=True):
        response = _claim(client, handover.lookup, code)
    # A printed code proves nothing about the address typed: allauth verifies it first.
    assert response["Location"] == "/it/account/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert mail.outbox[-1].to == ["amina@example.org"]
    assert "/it/account/confirm-email/" in mail.outbox[-1].body
    person.user.refresh_from_db()
    assert person.user.email == "amina@example.org"
    assert person.user.check_password(TEST_PASSWORD)
    client.logout()
    response = _claim(client, handover.lookup, code, email="again@example.org")
    assert response.status_code == 400
    # The same answer as for an unknown reference: nothing tells which references exist.
    assert REFUSED_IT in response.content.decode()
    with pytest.raises(services.HandoverError) as refused:
        services.handover_claim(lookup=handover.lookup, code=code, email="", password="x")
    assert refused.value.reason == "used"


def test_handover_code_expires(client, site_coordinator):
    past = timezone.now() - datetime.timedelta(days=15)
    _person, handover, code = _handover(site_coordinator, client, now=past)
    response = _claim(client, handover.lookup, code)
    assert response.status_code == 400
    assert REFUSED_IT in response.content.decode()
    with pytest.raises(services.HandoverError) as refused:
        services.handover_claim(lookup=handover.lookup, code=code, email="", password="x")
    assert refused.value.reason == "expired"


def test_wrong_codes_are_refused_and_lock_after_the_limit(client, site_coordinator, settings):
    settings.COACHING_HANDOVER_MAX_ATTEMPTS = 3
    person, handover, code = _handover(site_coordinator, client)
    for _ in range(3):
        response = _claim(client, handover.lookup, "WRONGCODE1")
        assert response.status_code == 400
        # What was typed stays in the form.
        assert 'value="amina@example.org"' in response.content.decode()
    assert HandoverCode.objects.get(pk=handover.pk).failed_attempts == 3
    response = _claim(client, handover.lookup, code)
    assert response.status_code == 400
    assert REFUSED_IT in response.content.decode()
    with pytest.raises(services.HandoverError) as refused:
        services.handover_claim(lookup=handover.lookup, code=code, email="", password="x")
    assert refused.value.reason == "locked"
    person.user.refresh_from_db()
    assert not person.user.has_usable_password()


def test_invitation_email_carries_the_code_in_the_persons_language(
    client, site_coordinator, django_capture_on_commit_callbacks
):
    enrol_assisted(client, site_coordinator, language="en")
    person = Participant.objects.get(user__first_name="Amina")
    with django_capture_on_commit_callbacks(execute=True):
        _handover, code = services.handover_code_create(
            participant=person,
            by=site_coordinator,
            channel="email",
            email="amina@example.org",
            claim_url="http://testserver/en/path/handover/",
        )
    assert mail.outbox[0].to == ["amina@example.org"]
    assert mail.outbox[0].subject == "Your account on the self-employment programme"
    assert code in mail.outbox[0].body


def test_coordinator_of_another_site_cannot_enrol_here(client, user_with_role):
    other = assign(user_with_role("Coordinator", is_staff=True), site=None)
    from coaching.models import StaffSiteAssignment

    StaffSiteAssignment.objects.filter(user=other).delete()
    sign_in(client, other)
    assert client.get("/it/path/staff/enrol/").status_code == 403


def test_handover_cannot_take_over_an_account_that_has_its_own_sign_in(
    client, site_coordinator, editor
):
    """Enrolling someone else's address and redeeming a code must not set their password."""
    # Assisted enrolment refuses an address that already has an account...
    assert enrol_assisted(client, site_coordinator, email=editor.email).status_code == 400
    assert not Participant.objects.filter(user=editor).exists()
    # ...and the hand-over refuses such an account even if a record like that exists (made
    # before that rule, or by other code).
    person = services.participant_start(user=editor, site=site_coordinator_site())
    Participant.objects.filter(pk=person.pk).update(assisted_by=site_coordinator)
    person.refresh_from_db()
    with pytest.raises(ValidationError):
        services.handover_code_create(participant=person, by=site_coordinator)
    # Through the admin the same refusal is a form error, not a code.
    sign_in(client, site_coordinator)
    response = client.post(
        f"/admin/coaching/participant/{person.pk}/manage/",
        {"action": "handover", "handover-channel": "printed"},
    )
    assert response.status_code == 400
    assert not HandoverCode.objects.filter(participant=person).exists()
    # A code made before the person chose a password is refused too.
    handover = HandoverCode.objects.create(
        participant=person,
        lookup="ABCD1234",
        code_hash=_hash("CODE123456"),
        channel="printed",
        expires_at=timezone.now() + datetime.timedelta(days=1),
        created_at=timezone.now(),
    )
    client.logout()
    response = _claim(client, handover.lookup, "CODE123456", email="thief@example.org")
    assert response.status_code == 400
    editor.refresh_from_db()
    assert editor.check_password(TEST_PASSWORD) and editor.email != "thief@example.org"


def test_an_email_already_in_use_does_not_spend_the_code(client, site_coordinator, editor):
    person, handover, code = _handover(site_coordinator, client)
    response = _claim(client, handover.lookup, code, email=editor.email)
    assert response.status_code == 400
    assert 'id="id_email_error"' in response.content.decode()
    assert HandoverCode.objects.get(pk=handover.pk).used_at is None
    person.user.refresh_from_db()
    assert not person.user.has_usable_password()
    response = _claim(client, handover.lookup, code, email="amina@example.org")
    assert response["Location"] == "/it/account/confirm-email/"
    assert HandoverCode.objects.get(pk=handover.pk).used_at is not None


def test_handover_errors_are_in_the_visitors_language(client, site_coordinator):
    _person, handover, _code = _handover(site_coordinator, client)
    response = client.post(
        "/en/path/handover/",
        {
            "lookup": handover.lookup,
            "code": "WRONGCODE1",
            "email": "amina@example.org",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
        },
    )
    assert "This reference and code cannot be used." in response.content.decode()


# --- Double submission ------------------------------------------------------------------


def _form_key(client, url, name):
    import re

    html = client.get(url).content.decode()
    match = re.search(rf'name="{name}" value="([0-9a-f-]{{36}})"', html)
    assert match, html[:3000]
    return match.group(1)


def test_double_click_on_enrol_creates_one_person(client, site_coordinator):
    sign_in(client, site_coordinator)
    key = _form_key(client, "/it/path/staff/enrol/", "submission_key")
    first = enrol_assisted(client, site_coordinator, submission_key=key)
    second = enrol_assisted(client, site_coordinator, submission_key=key)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    person = Participant.objects.get(user__first_name="Amina")
    assert str(person.enrolment_key) == key
    assert ConsentRecord.objects.filter(participant=person, kind="privacy_notice").count() == 1


def test_each_enrolment_form_carries_a_new_key(client, site_coordinator):
    sign_in(client, site_coordinator)
    keys = {_form_key(client, "/it/path/staff/enrol/", "submission_key") for _ in range(2)}
    assert len(keys) == 2
    for key in keys:  # two people with the same name, enrolled on purpose: two records
        assert enrol_assisted(client, site_coordinator, submission_key=key).status_code == 302
    assert Participant.objects.filter(user__first_name="Amina").count() == 2


def test_a_refused_enrolment_keeps_its_key_for_the_corrected_submission(client, site_coordinator):
    sign_in(client, site_coordinator)
    key = _form_key(client, "/it/path/staff/enrol/", "submission_key")
    response = enrol_assisted(client, site_coordinator, submission_key=key, document="")
    assert response.status_code == 400
    assert f'value="{key}"' in response.content.decode()
    assert enrol_assisted(client, site_coordinator, submission_key=key).status_code == 302
    assert Participant.objects.filter(user__first_name="Amina").count() == 1


def test_double_click_on_send_invitation_makes_one_code(
    client, site_coordinator, django_capture_on_commit_callbacks
):
    enrol_assisted(client, site_coordinator)
    person = Participant.objects.get(user__first_name="Amina")
    sign_in(client, site_coordinator)
    url = f"/admin/coaching/participant/{person.pk}/manage/"
    key = _form_key(client, url, "handover-request_key")
    mail.outbox.clear()
    data = {
        "action": "handover",
        "handover-channel": "email",
        "handover-email": "amina@example.org",
        "handover-request_key": key,
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
        response = client.post(url, data, follow=True)
    assert "già stato creato" in response.content.decode()
    handover = HandoverCode.objects.get(participant=person)
    assert handover.expires_at > timezone.now()  # the first code was not replaced
    assert len(mail.outbox) == 1
    client.logout()
    sent_code = next(
        word.strip(".,:")
        for word in mail.outbox[0].body.split()
        if len(word.strip(".,:")) == 10 and _hash(word.strip(".,:")) == handover.code_hash
    )
    assert _claim(client, handover.lookup, sent_code)["Location"] == "/it/path/dashboard/"


def test_double_click_on_print_code_makes_one_code(client, site_coordinator):
    enrol_assisted(client, site_coordinator)
    person = Participant.objects.get(user__first_name="Amina")
    sign_in(client, site_coordinator)
    url = f"/admin/coaching/participant/{person.pk}/manage/"
    data = {
        "action": "handover",
        "handover-channel": "printed",
        "handover-request_key": _form_key(client, url, "handover-request_key"),
    }
    first = client.post(url, data)
    assert first.status_code == 200  # the print page, with the code
    second = client.post(url, data)
    assert second.status_code == 302
    assert HandoverCode.objects.filter(participant=person).count() == 1


def test_a_new_request_replaces_the_previous_code(client, site_coordinator):
    import uuid

    enrol_assisted(client, site_coordinator)
    person = Participant.objects.get(user__first_name="Amina")
    first, first_code = services.handover_code_create(
        participant=person, by=site_coordinator, request_key=uuid.uuid4()
    )
    again, no_code = services.handover_code_create(
        participant=person, by=site_coordinator, request_key=first.request_key
    )
    assert (again.pk, no_code) == (first.pk, None)
    second, second_code = services.handover_code_create(
        participant=person, by=site_coordinator, request_key=uuid.uuid4()
    )
    assert second.pk != first.pk and second_code
    first.refresh_from_db()
    assert first.expires_at <= timezone.now()  # replaced, as the form says
    client.logout()
    assert _claim(client, first.lookup, first_code).status_code == 400


def test_enrolment_refuses_an_address_that_already_has_an_account(client, site_coordinator, user):
    """No group, consent or participant is added to someone who may have joined online."""
    groups = set(user.groups.values_list("name", flat=True))
    users_before = type(user).objects.count()
    response = enrol_assisted(
        client,
        site_coordinator,
        email=user.email.upper(),
        first_name="Fatou",
        consent_method="declaration",
        document="",
        declaration="Detto a voce",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "ask them to join online" in page or "chiedi di iscriversi online" in page
    assert 'value="Fatou"' in page and "Detto a voce" in page  # what was typed stays
    assert not Participant.objects.filter(user=user).exists()
    assert not ConsentRecord.objects.exists()
    assert type(user).objects.count() == users_before
    assert set(user.groups.values_list("name", flat=True)) == groups


def test_an_unknown_reference_gets_the_same_answer_as_a_spent_code(client, site_coordinator):
    _person, handover, code = _handover(site_coordinator, client)
    assert _claim(client, handover.lookup, code).status_code == 302
    client.logout()
    spent = _claim(client, handover.lookup, code, email="again@example.org")
    unknown = _claim(client, "ZZZZ9999", code, email="again@example.org")
    assert spent.status_code == unknown.status_code == 400

    def message(response):
        page = response.content.decode()
        return page[page.index('id="id_code_error"') :].split("</p>")[0]

    assert REFUSED_IT in message(unknown)
    assert message(spent) == message(unknown)


def test_claims_are_rate_limited_per_ip_address(client, site_coordinator, settings):
    from django.core.cache import cache

    _person, handover, code = _handover(site_coordinator, client)
    client.logout()
    cache.clear()
    settings.COACHING_HANDOVER_RATE_LIMIT = (2, 600)
    settings.COACHING_HANDOVER_MAX_ATTEMPTS = 10
    for lookup in ("AAAA1111", "BBBB2222"):
        assert _claim(client, lookup, "WRONGCODE1").status_code == 400
    response = _claim(client, handover.lookup, code)
    assert response.status_code == 429
    assert 'value="amina@example.org"' in response.content.decode()  # what was typed stays
    assert HandoverCode.objects.get(pk=handover.pk).used_at is None  # not even tried
    # Another address is not held back by this one.
    other = client.post(
        "/it/path/handover/",
        {
            "lookup": handover.lookup,
            "code": code,
            "email": "amina@example.org",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
        },
        REMOTE_ADDR="192.0.2.7",
    )
    assert other.status_code == 302
