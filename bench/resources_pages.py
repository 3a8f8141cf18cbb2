"""Learning library: server time and query count of the library page and a course page with 10
and with 1,000 resources in the database, and the bytes of a lesson page with its images.

    python bench/resources_pages.py

Runs on a temporary SQLite file and, when the machine's PostgreSQL is reachable, on a
throwaway PostgreSQL database too. Prints figures; asserts nothing. The query count must stay
the same with 10 and with 1,000 resources.
"""

import gzip
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import measure, per_engine_main, print_table, setup_django

SIZES = [10, 1000]
LESSONS_PER_COURSE = 10


def _build(library, topic, count: int, start: int) -> None:
    from resources.models import GuidePage

    for number in range(start, count):
        page = GuidePage(
            title=f"Guida {number}",
            slug=f"guida-{number}",
            summary="Una guida di prova per misurare la biblioteca.",
            duration_minutes=5 + number % 90,
            level=("beginner", "intermediate", "advanced")[number % 3],
        )
        library.add_child(instance=page)
        page.topics.add(topic)
        page.save(update_fields=[])


def _lesson_bytes(client, library, topic) -> list[list[object]]:
    """HTML of a lesson with one large photo, plus the image the phone would download."""
    from django.conf import settings
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    from resources.blocks import SharedStreamBlock
    from resources.models import LessonPage

    photo = Path(settings.MEDIA_ROOT) / "photo.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    # A noisy 2400x1600 photo stands in for an editor's camera upload.
    noise = PILImage.effect_noise((2400, 1600), 60).convert("RGB")
    noise.save(photo, quality=90)
    from django.core.files.images import ImageFile

    with photo.open("rb") as handle:
        image = get_image_model().objects.create(
            title="Foto", file=ImageFile(handle, name="photo.jpg")
        )
    block = SharedStreamBlock()
    paragraphs = [
        (
            "paragraph",
            block.child_blocks["paragraph"].to_python(f"<p>{'Testo semplice. ' * 40}</p>"),
        )
        for _ in range(8)
    ]
    image_block = block.child_blocks["image"].to_python(
        {"image": image.pk, "alt_text": "Una foto", "decorative": False, "caption": ""}
    )
    lesson = LessonPage(
        title="Lezione con foto",
        slug="lezione-con-foto",
        summary="Una lezione con una foto e otto paragrafi.",
    )
    from wagtail.blocks import StreamValue

    lesson.body = StreamValue(block, [paragraphs[0], ("image", image_block), *paragraphs[1:]])
    library.add_child(instance=lesson)
    lesson.topics.add(topic)
    lesson.save_revision().publish()
    response = client.get(lesson.url)
    html = response.content
    # A 375px-wide phone at 2x picks the 800w candidate of the srcset.
    candidates = re.findall(r'(/media/images/[^\s"]+) (\d+)w', html.decode())
    chosen = next((url for url, width in candidates if width == "800"), None)
    image_bytes = 0
    if chosen:
        image_bytes = (Path(settings.MEDIA_ROOT) / chosen.removeprefix("/media/")).stat().st_size
    css = (
        Path(__file__).resolve().parent.parent / "resources/static/resources/css/library.css"
    ).read_bytes()
    total = len(gzip.compress(html)) + len(gzip.compress(css)) + image_bytes
    return [
        ["HTML", len(html), len(gzip.compress(html))],
        ["library.css", len(css), len(gzip.compress(css))],
        ["photo (800w WebP, lazy)", image_bytes, image_bytes],
        ["total beyond shared assets", "", f"{total} ({total / 1024:.1f} KB; target < 150 KB)"],
    ]


def child(engine: str) -> None:
    from django.conf import settings

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="avvio-bench-media-")
    setup_django()
    from django.test import Client
    from wagtail.models import Site

    from resources.models import CourseLesson, CoursePage, LessonPage, LibraryIndexPage, Topic

    home = Site.objects.get(is_default_site=True).root_page.specific
    library = LibraryIndexPage(title="Biblioteca", slug="biblioteca")
    home.add_child(instance=library)
    topic = Topic.objects.create(
        name="Transizione verde", slug="transizione-verde", locale=home.locale
    )
    course = CoursePage(title="Corso", slug="corso", summary="Un corso di prova.")
    library.add_child(instance=course)
    course.topics.add(topic)
    course.save()
    for number in range(LESSONS_PER_COURSE):
        lesson = LessonPage(title=f"Lezione {number}", slug=f"lezione-{number}", summary="Breve.")
        course.add_child(instance=lesson)
        CourseLesson.objects.create(course=course, lesson=lesson, sort_order=number)

    client = Client()
    rows = []
    created = 0
    for size in SIZES:
        _build(library, topic, size - LESSONS_PER_COURSE - 1, created)
        created = max(created, size - LESSONS_PER_COURSE - 1)
        resources = library.get_descendants().count()
        for label, url in [
            ("library", library.url),
            ("library, filtered", f"{library.url}?topic=transizione-verde&level=beginner"),
            # "prova" is in the course's summary and every guide's: the search matches at
            # both sizes. (With "guida", nothing matched at 11 resources: Django skips the
            # count, page and topic queries for an empty result, which read as growth.)
            ("library, search", f"{library.url}?q=prova"),
            ("library, search + filter", f"{library.url}?q=prova&level=beginner"),
            ("library, search, no match", f"{library.url}?q=zzzz"),
            ("course (10 lessons)", course.url),
        ]:
            median_ms, queries = measure(lambda url=url: client.get(url), repeat=5)
            rows.append([engine, resources, label, f"{median_ms:.1f}", queries])
    print_table(
        f"Learning library: server time and queries ({engine})",
        ["engine", "resources", "page", "median ms", "queries"],
        rows,
    )
    print_table(
        f"Lesson page bytes beyond cached shared assets ({engine})",
        ["part", "bytes", "gzipped bytes"],
        _lesson_bytes(client, library, topic),
    )


if __name__ == "__main__":
    per_engine_main(__file__, child)
