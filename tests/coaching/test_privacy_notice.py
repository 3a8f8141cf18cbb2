"""Privacy notices: published by superusers only, and a version people accepted never changes."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coaching.models import ConsentRecord, PrivacyNotice
from coaching.selectors import current_privacy_notice
from tests.coaching.factories import make_participant, sign_in
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_coordinators_cannot_add_change_or_delete_notices(coordinator):
    for action in ("add", "change", "delete"):
        assert not coordinator.has_perm(f"coaching.{action}_privacynotice"), action
    assert coordinator.has_perm("coaching.view_privacynotice")


def test_an_accepted_version_cannot_be_edited():
    make_participant()  # accepts the current notice at intake
    notice = current_privacy_notice()
    assert ConsentRecord.objects.filter(notice=notice).exists()
    notice.summary = "Rewritten after people agreed"
    with pytest.raises(ValidationError):
        notice.full_clean()
    with pytest.raises(ValidationError):
        notice.save()
    notice.refresh_from_db()
    assert notice.summary != "Rewritten after people agreed"

    # New text = new version.
    newer = PrivacyNotice.objects.create(version="2", summary="New", published_at=timezone.now())
    assert current_privacy_notice() == newer


def test_a_version_nobody_accepted_can_still_be_corrected():
    notice = PrivacyNotice.objects.create(version="draft", published_at=timezone.now())
    notice.summary = "Fixed a typo"
    notice.full_clean()
    notice.save()
    assert PrivacyNotice.objects.get(pk=notice.pk).summary == "Fixed a typo"


def test_the_admin_edit_form_explains_why_instead_of_saving(client):
    admin = get_user_model().objects.create_superuser(email="root@example.org", password="x")
    admin.set_password(TEST_PASSWORD)
    admin.save()
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    make_participant()
    notice = current_privacy_notice()
    sign_in(client, admin)
    url = reverse("coaching_privacy_notice:edit", args=[notice.pk])
    response = client.post(
        url,
        {
            "version": notice.version,
            "url": "",
            "summary": "Rewritten",
            "published_at": timezone.localtime(notice.published_at).strftime("%Y-%m-%d %H:%M"),
        },
    )
    assert response.status_code == 200
    assert "Add a new version" in response.content.decode() or (
        "nuova versione" in response.content.decode()
    )
    notice.refresh_from_db()
    assert notice.summary != "Rewritten"
