"""An application's documents: a PDF, JPG or PNG (by its content, whatever its name) up to the
size limit is kept in private storage; anything else is refused in words with nothing stored.
Downloads are attachments the browser does not sniff, for the applicant, the site's
coordinators once submitted and assigned evaluators only, each one in the access log. A
document is removed while the application is a draft."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from wagtail.log_actions import registry as log_registry

from coaching.grants.models import ApplicationDocument, Assignment, GrantApplication
from coaching.models import AccessLog
from tests.coaching.factories import make_participant, sign_in
from tests.grants.factories import make_application, make_call, make_staff

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
NOT_A_DOCUMENT = (
    "The file's content is not a PDF, JPG or PNG, whatever its name says. "
    "Save or scan the document as one of those and upload that file."
)


def _client(user, **defaults) -> Client:
    client = Client(**defaults)
    sign_in(client, user)
    return client


def _files(root: Path) -> list[Path]:
    private = root / "private"
    return [path for path in private.rglob("*") if path.is_file()] if private.exists() else []


@pytest.fixture
def call(site):
    return make_call(site=site, documents=(("Documento d'identità", True), ("Preventivo", False)))


@pytest.fixture
def draft(call):
    return make_application(call=call)


@pytest.fixture
def requirement(call):
    return call.required_documents.get(name="Documento d'identità")


def _upload_url(application, requirement):
    return f"/it/grants/applications/{application.pk}/documents/{requirement.pk}/upload/"


def _upload(client, application, requirement, name, content, kind="application/pdf"):
    return client.post(
        _upload_url(application, requirement),
        {f"document-{requirement.pk}-file": SimpleUploadedFile(name, content, kind)},
    )


def _it(text) -> str:
    with translation.override("it"):
        return escape(gettext(text))


def test_a_pdf_is_kept_privately_and_logged(draft, requirement, private_storage_root):
    client = _client(draft.participant.user)
    response = _upload(client, draft, requirement, "carta identità.pdf", PDF)
    assert response.status_code == 302
    document = ApplicationDocument.objects.get(application=draft)
    assert (document.requirement, document.original_name) == (requirement, "carta identità.pdf")
    assert (document.content_type, document.size) == ("application/pdf", len(PDF))
    assert document.uploaded_by == draft.participant.user
    files = _files(private_storage_root)
    assert len(files) == 1 and files[0].read_bytes() == PDF
    assert files[0].suffix == ".pdf" and "identit" not in files[0].name
    with pytest.raises(ValueError):
        _ = document.file.url  # private storage: no public address
    assert "grants.document_add" in log_registry.get_logs_for_instance(draft).values_list(
        "action", flat=True
    )


def test_the_same_file_sent_twice_is_kept_once(draft, requirement, private_storage_root):
    client = _client(draft.participant.user)
    _upload(client, draft, requirement, "id.png", PNG, "image/png")
    _upload(client, draft, requirement, "id.png", PNG, "image/png")
    assert ApplicationDocument.objects.filter(application=draft).count() == 1
    assert len(_files(private_storage_root)) == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.pdf", HTML, NOT_A_DOCUMENT),
        ("notes.txt", b"some text", NOT_A_DOCUMENT),
        ("empty.pdf", b"", "The file is empty."),
    ],
)
def test_a_file_that_is_not_a_pdf_jpg_or_png_is_refused_and_nothing_is_stored(
    draft, requirement, private_storage_root, name, content, message
):
    client = _client(draft.participant.user)
    response = _upload(client, draft, requirement, name, content)
    assert response.status_code == 400
    assert _it(message) in response.content.decode()
    assert not ApplicationDocument.objects.exists()
    assert _files(private_storage_root) == []


def test_a_file_above_the_limit_is_refused_and_nothing_is_stored(
    draft, requirement, private_storage_root, settings
):
    settings.COACHING_GRANT_UPLOAD_MAX_SIZE = 1024
    client = _client(draft.participant.user)
    response = _upload(client, draft, requirement, "big.pdf", PDF + b"0" * 2048)
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not ApplicationDocument.objects.exists()
    assert _files(private_storage_root) == []


def test_a_submitted_application_takes_no_more_documents(call, requirement, private_storage_root):
    application = make_application(call=call, submitted=True)
    client = _client(application.participant.user)
    response = _upload(client, application, requirement, "id.pdf", PDF)
    assert response.status_code == 302
    assert not ApplicationDocument.objects.exists()
    assert _files(private_storage_root) == []


def _uploaded(application, requirement):
    client = _client(application.participant.user)
    _upload(client, application, requirement, "id.pdf", PDF)
    return client, ApplicationDocument.objects.get(application=application)


def test_the_applicant_downloads_it_as_an_attachment_and_it_is_logged(
    draft, requirement, private_storage_root
):
    client, document = _uploaded(draft, requirement)
    response = client.get(f"/it/grants/documents/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    entry = AccessLog.objects.get()
    assert (entry.actor, entry.participant) == (draft.participant.user, draft.participant)
    assert entry.details["document"] == document.pk


def test_coordinators_of_the_site_read_it_once_submitted_and_evaluators_once_assigned(
    site, draft, requirement, private_storage_root
):
    _applicant, document = _uploaded(draft, requirement)
    coordinator = make_staff("Coordinator", site=site)
    evaluator = make_staff("Evaluator", site=site)
    url = f"/it/grants/documents/{document.pk}/"
    as_coordinator, as_evaluator = _client(coordinator), _client(evaluator)
    assert as_coordinator.get(url).status_code == 404  # a draft is the applicant's own
    GrantApplication.objects.filter(pk=draft.pk).update(
        status=GrantApplication.Status.SUBMITTED, submitted_at=timezone.now()
    )
    assert as_coordinator.get(url).status_code == 200
    assert as_evaluator.get(url).status_code == 404
    assignment = Assignment.objects.create(application=draft, evaluator=evaluator)
    assert as_evaluator.get(url).status_code == 404  # no conflict declared yet
    Assignment.objects.filter(pk=assignment.pk).update(conflict=Assignment.Conflict.NONE)
    assert as_evaluator.get(url).status_code == 200
    assert set(AccessLog.objects.values_list("actor", flat=True)) == {coordinator.pk, evaluator.pk}


def test_nobody_else_downloads_or_removes_it(
    site, other_site, draft, requirement, private_storage_root
):
    _applicant, document = _uploaded(draft, requirement)
    GrantApplication.objects.filter(pk=draft.pk).update(
        status=GrantApplication.Status.SUBMITTED, submitted_at=timezone.now()
    )
    people = [
        make_participant(site=site, status="eligible").user,
        make_participant(site=other_site, status="eligible").user,
        make_staff("Coordinator", site=other_site),
        make_staff("Editor", site=site),
        make_staff("Finance officer", site=site),
    ]
    for user in people:
        client = _client(user)
        assert client.get(f"/it/grants/documents/{document.pk}/").status_code == 404
        remove = f"/it/grants/applications/{draft.pk}/documents/{document.pk}/remove/"
        assert client.post(remove).status_code == 404
        assert _upload(client, draft, requirement, "x.pdf", PDF).status_code == 404
    assert ApplicationDocument.objects.count() == 1
    assert not AccessLog.objects.exists()
    anonymous = Client().get(f"/it/grants/documents/{document.pk}/")
    assert anonymous.status_code == 302 and "/account/login/" in anonymous["Location"]


def test_the_applicant_removes_a_document_of_the_draft_after_confirming(
    draft, requirement, private_storage_root, django_capture_on_commit_callbacks
):
    client, document = _uploaded(draft, requirement)
    url = f"/it/grants/applications/{draft.pk}/documents/{document.pk}/remove/"
    assert client.get(url).status_code == 200
    assert ApplicationDocument.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not ApplicationDocument.objects.exists()
    assert _files(private_storage_root) == []
    assert client.post(url).status_code == 302  # a double click: already removed
    assert "grants.document_remove" in log_registry.get_logs_for_instance(draft).values_list(
        "action", flat=True
    )


def test_a_submitted_applications_document_cannot_be_removed(
    draft, requirement, private_storage_root
):
    client, document = _uploaded(draft, requirement)
    GrantApplication.objects.filter(pk=draft.pk).update(
        status=GrantApplication.Status.SUBMITTED, submitted_at=timezone.now()
    )
    url = f"/it/grants/applications/{draft.pk}/documents/{document.pk}/remove/"
    assert client.post(url).status_code == 400
    assert ApplicationDocument.objects.count() == 1
    assert len(_files(private_storage_root)) == 1
