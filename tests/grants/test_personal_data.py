"""Microgrants in the personal-data registry: an applicant's export holds their applications
and nobody else's; erasure deletes the drafts with their files and keeps what the ESF+ audit
relies on, saying why; a participation erased in one municipality leaves the other's."""

import pytest
from django.core.files.base import ContentFile
from django.utils import translation

from coaching.grants.models import ApplicationDocument, GrantApplication
from coaching.models import private_storage
from coaching.personal_data import (
    KEPT,
    personal_data_erase,
    personal_data_erasure_plan,
    personal_data_export,
)
from tests.grants.factories import make_application, make_award, make_call

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def _grant_sections(user):
    with translation.override("en"):
        return [
            section
            for section in personal_data_export(user=user, by=user)
            if section.title.startswith("Grant application")
        ]


def test_the_export_holds_the_applicants_own_applications_and_award(site):
    award = make_award(call=make_call())
    other = make_application(call=make_call(slug="altro-bando"), submitted=True)
    owner = award.application.participant.user

    sections = _grant_sections(owner)

    assert [s.data["reference"] for s in sections] == [award.application.reference]
    assert sections[0].data["award"]["amount"] == str(award.amount)
    assert [t["number"] for t in sections[0].data["award"]["tranches"]] == [1, 2]
    assert other.reference not in str(sections)


def test_erasure_deletes_drafts_and_their_files_and_keeps_submitted_with_the_reason(site):
    draft = make_application(call=make_call())
    participant = draft.participant
    document = ApplicationDocument.objects.create(
        application=draft,
        file=ContentFile(PDF, name="id.pdf"),
        original_name="id.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    stored = document.file.name
    submitted = make_application(
        call=make_call(slug="secondo"), participant=participant, submitted=True
    )
    user = participant.user

    with translation.override("en"):
        plan = personal_data_erasure_plan(user=user)
    kept = [o for o in plan if o.action == KEPT and "grant applications" in o.what]
    assert kept and "ESF+" in kept[0].why

    personal_data_erase(user=user, by=user, reason="asked")

    assert not GrantApplication.objects.filter(pk=draft.pk).exists()
    assert not private_storage.exists(stored)
    assert GrantApplication.objects.filter(pk=submitted.pk).exists()
