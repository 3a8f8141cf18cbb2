"""Every block of the shared library renders, previews, and is described for editors."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from wagtail.blocks import StreamValue
from wagtail.documents import get_document_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from resources.blocks import SharedStreamBlock
from resources.models import LessonPage

pytestmark = pytest.mark.django_db

BLOCK_NAMES = list(SharedStreamBlock().child_blocks)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from wagtail.images import get_image_model

    image = get_image_model().objects.create(title="Laboratorio", file=get_test_image_file())
    document = get_document_model().objects.create(title="Modulo SCIA")
    document.file.save("modulo-scia.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return image, document


def test_every_expected_block_is_in_the_library():
    assert set(BLOCK_NAMES) >= {
        "heading",
        "paragraph",
        "image",
        "callout",
        "steps",
        "call_to_action",
        "video",
        "audio",
        "document",
        "checklist",
        "glossary_term",
        "testimonial",
        "quiz",
    }


@pytest.mark.parametrize("name", BLOCK_NAMES)
def test_block_has_icon_template_description_and_preview(name):
    block = SharedStreamBlock().child_blocks[name]
    assert block.meta.icon and block.meta.icon != "placeholder"
    assert block.get_template(None)
    assert str(block.get_description())
    assert block.is_previewable


@pytest.mark.parametrize("name", BLOCK_NAMES)
def test_block_renders_and_previews(name, media, lessons):
    block = SharedStreamBlock().child_blocks[name]
    value = block.get_preview_value()
    request = RequestFactory().get("/")
    html = block.render(value, context={"request": request, "page": lessons[0], "block_id": "b1"})
    assert html.strip()
    bound = block.bind(value)
    preview = render_to_string(
        block.get_preview_template(value),
        block.get_preview_context(
            value,
            parent_context={
                "request": request,
                "block_def": block,
                "block_class": type(block),
                "bound_block": bound,
            },
        ),
    )
    assert "<html" in preview and html.strip()[:40] in preview


def test_video_loads_no_player_until_asked(lessons):
    block = SharedStreamBlock().child_blocks["video"]
    html = block.render(block.get_preview_value(), context={"page": lessons[0], "block_id": "v1"})
    assert "<iframe" not in html
    assert f"/library/video/{lessons[0].pk}/v1/" in html
    assert "<details" in html  # the transcript is on the page


def test_video_needs_a_transcript():
    block = SharedStreamBlock().child_blocks["video"]
    value = block.to_python(
        {"title": "Video", "video": "https://vimeo.com/1", "duration_minutes": 3, "transcript": ""}
    )
    with pytest.raises(ValidationError):
        block.clean(value)


def test_document_shows_type_and_size(media):
    _, document = media
    block = SharedStreamBlock().child_blocks["document"]
    html = block.render(block.to_python({"document": document.pk, "title": "", "description": ""}))
    assert "PDF" in html and "byte" in html


def test_quiz_needs_a_correct_answer():
    block = SharedStreamBlock().child_blocks["quiz"]
    value = block.to_python(
        {
            "title": "Verifica",
            "pass_mark": 50,
            "questions": [
                {
                    "question": "?",
                    "options": [
                        {"text": "a", "correct": False, "feedback": ""},
                        {"text": "b", "correct": False, "feedback": ""},
                    ],
                }
            ],
        }
    )
    with pytest.raises(ValidationError):
        block.clean(value)


def _lesson_form(lesson, body, user):
    form_class = LessonPage.get_edit_handler().get_form_class()
    data = nested_form_data(
        {
            "title": lesson.title,
            "slug": lesson.slug,
            "summary": lesson.summary,
            "level": "beginner",
            "content_language": "it",
            "body": body,
        }
    )
    return form_class(data, instance=lesson, parent_page=lesson.get_parent(), for_user=user)


def test_image_without_alt_text_cannot_be_published(media, lessons, editor):
    image, _ = media
    body = streamfield(
        [("image", {"image": image.pk, "alt_text": "", "decorative": "", "caption": ""})]
    )
    form = _lesson_form(lessons[0], body, editor)
    assert not form.is_valid()
    assert "body" in form.errors


def test_image_with_alt_text_or_marked_decorative_is_accepted(media, lessons, editor):
    image, _ = media
    for item in [
        {"image": image.pk, "alt_text": "Una sarta al lavoro", "decorative": "", "caption": ""},
        {"image": image.pk, "alt_text": "", "decorative": "on", "caption": ""},
    ]:
        body = streamfield([("image", item), ("paragraph", rich_text("<p>Testo</p>"))])
        form = _lesson_form(lessons[0], body, editor)
        assert form.is_valid(), form.errors


def test_image_renders_responsive_webp_lazily(media):
    image, _ = media
    block = SharedStreamBlock().child_blocks["image"]
    html = block.render(
        block.to_python({"image": image.pk, "alt_text": "Sarta", "decorative": False})
    )
    assert 'loading="lazy"' in html and "srcset=" in html and ".webp" in html
    assert 'alt="Sarta"' in html


def test_stream_of_every_block_renders_on_a_page(media, client, lessons):
    block = SharedStreamBlock()
    lesson = lessons[0]
    lesson.body = StreamValue(
        block,
        [(name, block.child_blocks[name].get_preview_value()) for name in BLOCK_NAMES],
    )
    lesson.save_revision().publish()
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert "<iframe" not in response.content.decode()
