"""Editors' documents: office formats only, served through Wagtail's view, never as media.

An HTML or SVG file served from the site's own origin would run its script as the site
(stored XSS), and a file served straight from MEDIA_ROOT would skip collection privacy.
"""

import importlib.util
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, clear_url_caches, resolve
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.models import Collection

from tests.coaching.factories import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Document = get_document_model()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def admin_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


def document_form(admin_user, name, content, content_type):
    form_class = get_document_form(Document)
    return form_class(
        {"title": name, "collection": Collection.get_first_root_node().pk},
        {"file": SimpleUploadedFile(name, content, content_type)},
        user=admin_user,
    )


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("evil.html", b"<script>alert(document.cookie)</script>", "text/html"),
        ("evil.htm", b"<script>alert(1)</script>", "text/html"),
        (
            "evil.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "image/svg+xml",
        ),
        ("evil.xml", b"<x/>", "application/xml"),
        ("evil.js", b"alert(1)", "text/javascript"),
    ],
)
def test_the_document_form_refuses_files_that_run_in_the_browser(
    admin_user, name, content, content_type
):
    form = document_form(admin_user, name, content, content_type)
    assert not form.is_valid()
    assert "file" in form.errors


@pytest.mark.parametrize("name", ["bando.pdf", "domanda.docx", "piano.ods", "elenco.csv"])
def test_the_document_form_takes_what_editors_publish(admin_user, name):
    form = document_form(admin_user, name, b"%PDF-1.4\n", "application/octet-stream")
    assert form.is_valid(), form.errors


def test_the_admin_add_view_refuses_an_html_document(client, admin_user):
    sign_in(client, admin_user)
    response = client.post(
        "/admin/documents/add/",
        {
            "title": "Bando",
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile("evil.html", b"<script>alert(1)</script>", "text/html"),
        },
    )
    assert response.status_code == 200
    assert not Document.objects.exists()


def test_only_pdf_opens_in_the_browser_the_rest_downloads(client, admin_user):
    collection = Collection.get_first_root_node()
    pdf = Document.objects.create(
        title="Bando",
        collection=collection,
        file=SimpleUploadedFile("bando.pdf", b"%PDF-1.4\n"),
    )
    text = Document.objects.create(
        title="Note",
        collection=collection,
        file=SimpleUploadedFile("note.txt", b"<script>alert(1)</script>"),
    )
    response = client.get(pdf.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    response = client.get(text.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def debug_urlconf(settings):
    """The project's URLconf as ``runserver`` builds it, with DEBUG on."""
    settings.DEBUG = True
    spec = importlib.util.find_spec("portal_site.urls")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    name = "tests.site._debug_urls"
    sys.modules[name] = module
    settings.ROOT_URLCONF = name
    clear_url_caches()
    yield name
    del sys.modules[name]
    clear_url_caches()


def test_in_development_media_serves_images_but_not_documents(client, settings, debug_urlconf):
    with pytest.raises(Resolver404):
        resolve("/media/documents/x.pdf", urlconf=debug_urlconf)
    assert resolve("/media/images/x.jpg", urlconf=debug_urlconf)
    assert resolve("/media/original_images/x.jpg", urlconf=debug_urlconf)
    for folder in ("documents", "images"):
        target = Path(settings.MEDIA_ROOT) / folder
        target.mkdir(parents=True)
        (target / "x.pdf").write_bytes(b"%PDF-1.4\n")
    assert client.get("/media/documents/x.pdf").status_code == 404
    assert client.get("/media/images/x.pdf").status_code == 200
