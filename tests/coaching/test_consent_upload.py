"""The signed consent form is checked by its content, not only by its name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coaching.models import ConsentRecord, Participant
from tests.coaching.factories import sign_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"

REFUSED = "Il contenuto del file non è un PDF, un JPG o un PNG"


def enrol(client, coordinator, name, content, content_type):
    sign_in(client, coordinator)
    return client.post(
        "/it/path/staff/enrol/",
        {
            "first_name": "Amina",
            "last_name": "Diallo",
            "email": "",
            "language": "it",
            "consent_method": "paper_form",
            "document": SimpleUploadedFile(name, content, content_type),
            "share_with_mentor": "on",
        },
    )


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("consent.pdf", HTML, "application/pdf"),
        ("consent.jpg", HTML, "image/jpeg"),
        ("consent.pdf", PNG, "application/pdf"),
    ],
    ids=["html-named-pdf", "html-named-jpg", "png-named-pdf"],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(
    client, site_coordinator, name, content, content_type
):
    response = enrol(client, site_coordinator, name, content, content_type)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_document_error"' in html
    assert REFUSED in html
    # The rest of what the coordinator typed is still in the form.
    assert 'value="Amina"' in html and 'value="Diallo"' in html
    assert not Participant.objects.exists()
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("consenso.pdf", PDF, "application/pdf"),
        ("Consenso.JPG", JPEG, "image/jpeg"),
        ("consenso.jpeg", JPEG, "image/jpeg"),
        ("consenso.png", PNG, "image/png"),
    ],
)
def test_a_real_pdf_or_photo_is_accepted(client, site_coordinator, name, content, content_type):
    response = enrol(client, site_coordinator, name, content, content_type)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = ConsentRecord.objects.exclude(document="").get()
    with record.document.open("rb") as stored:
        assert stored.read() == content
