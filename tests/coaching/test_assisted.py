"""Assisted enrolment by a coordinator, private consent forms, and the account hand-over."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coaching import services
from coaching.models import AccessLog, ConsentRecord, HandoverCode, Participant
from coaching.services.handover import _hash
from tests.coaching.factories import COMPLETE_ANSWERS, assign, sign_in
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _enrol(client, coordinator, **extra):
    client.force_login(coordinator)
    data = {
        "first_name": "Amina",
        "last_name": "Diallo",
        "email": "",
        "language": "it",
        "consent_method": "paper_form",
        "document": SimpleUploadedFile("consenso.pdf", b"%PDF-1.4 signed", "application/pdf"),
        "share_with_mentor": "on",
        **extra,
    }
    return client.post("/it/path/staff/enrol/", data)


def test_coordinator_enrols_a_person_without_email_and_fills_the_intake(
    client, site_coordinator, settings
):
    response = _enrol(client, site_coordinator)
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
    response = _enrol(client, site_coordinator, document="", consent_method="paper_form")
    assert response.status_code == 400
    assert 'id="id_document_error"' in response.content.decode()
    response = _enrol(client, site_coordinator, document="", consent_method="declaration")
    assert 'id="id_declaration_error"' in response.content.decode()
    response = _enrol(
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
    _enrol(client, site_coordinator)
    record = ConsentRecord.objects.exclude(document="").get()
    url = f"/it/path/staff/consent-document/{record.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 signed"
    assert AccessLog.objects.filter(action="view_consent_document").count() == 1
    other_site_coordinator = user_with_role("Coordinator", is_staff=True)
    client.force_login(other_site_coordinator)
    assert client.get(url).status_code == 404
    client.force_login(participant)
    assert client.get(url).status_code == 403


def _handover(site_coordinator, client, now=None):
    _enrol(client, site_coordinator)
    person = Participant.objects.get(user__first_name="Amina")
    handover, code = services.handover_code_create(participant=person, by=site_coordinator, now=now)
    client.logout()
    return person, handover, code


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


def test_handover_code_works_once(client, site_coordinator):
    person, handover, code = _handover(site_coordinator, client)
    assert code not in handover.code_hash
    response = _claim(client, handover.lookup, code)
    assert response["Location"] == "/it/path/dashboard/"
    person.user.refresh_from_db()
    assert person.user.email == "amina@example.org"
    assert person.user.check_password(TEST_PASSWORD)
    client.logout()
    response = _claim(client, handover.lookup, code, email="again@example.org")
    assert response.status_code == 400
    assert "già stato usato" in response.content.decode()


def test_handover_code_expires(client, site_coordinator):
    past = timezone.now() - datetime.timedelta(days=15)
    _person, handover, code = _handover(site_coordinator, client, now=past)
    response = _claim(client, handover.lookup, code)
    assert response.status_code == 400
    assert "scaduto" in response.content.decode()


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
    assert "Troppi tentativi" in response.content.decode()
    person.user.refresh_from_db()
    assert not person.user.has_usable_password()


def test_invitation_email_carries_the_code_in_the_persons_language(client, site_coordinator):
    _enrol(client, site_coordinator, language="en")
    person = Participant.objects.get(user__first_name="Amina")
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
    client.force_login(other)
    assert client.get("/it/path/staff/enrol/").status_code == 403


def test_handover_cannot_take_over_an_account_that_has_its_own_sign_in(
    client, site_coordinator, editor
):
    """Enrolling someone else's address and redeeming a code must not set their password."""
    _enrol(client, site_coordinator, email=editor.email)
    person = Participant.objects.get(user=editor)
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
    assert response["Location"] == "/it/path/dashboard/"


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
    assert "The reference or the code is wrong." in response.content.decode()


# --- Double submission ------------------------------------------------------------------


def _form_key(client, url, name):
    import re

    html = client.get(url).content.decode()
    match = re.search(rf'name="{name}" value="([0-9a-f-]{{36}})"', html)
    assert match, html[:3000]
    return match.group(1)


def test_double_click_on_enrol_creates_one_person(client, site_coordinator):
    client.force_login(site_coordinator)
    key = _form_key(client, "/it/path/staff/enrol/", "submission_key")
    first = _enrol(client, site_coordinator, submission_key=key)
    second = _enrol(client, site_coordinator, submission_key=key)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    person = Participant.objects.get(user__first_name="Amina")
    assert str(person.enrolment_key) == key
    assert ConsentRecord.objects.filter(participant=person, kind="privacy_notice").count() == 1


def test_each_enrolment_form_carries_a_new_key(client, site_coordinator):
    client.force_login(site_coordinator)
    keys = {_form_key(client, "/it/path/staff/enrol/", "submission_key") for _ in range(2)}
    assert len(keys) == 2
    for key in keys:  # two people with the same name, enrolled on purpose: two records
        assert _enrol(client, site_coordinator, submission_key=key).status_code == 302
    assert Participant.objects.filter(user__first_name="Amina").count() == 2


def test_a_refused_enrolment_keeps_its_key_for_the_corrected_submission(client, site_coordinator):
    client.force_login(site_coordinator)
    key = _form_key(client, "/it/path/staff/enrol/", "submission_key")
    response = _enrol(client, site_coordinator, submission_key=key, document="")
    assert response.status_code == 400
    assert f'value="{key}"' in response.content.decode()
    assert _enrol(client, site_coordinator, submission_key=key).status_code == 302
    assert Participant.objects.filter(user__first_name="Amina").count() == 1


def test_double_click_on_send_invitation_makes_one_code(client, site_coordinator):
    _enrol(client, site_coordinator)
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
    _enrol(client, site_coordinator)
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

    _enrol(client, site_coordinator)
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
