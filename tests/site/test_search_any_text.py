"""Whatever people type into a search box, the page answers: results or "nothing found".

The site search, the library's search (and a topic page's), and the staff's searches in the
admin take any text: quotes, NUL, search-engine operators, emoji, very long text. Run on
PostgreSQL (the default test database) and on SQLite (``DATABASE_URL=sqlite:///...``), whose
full-text search (FTS5) has a query syntax of its own.
"""

from functools import partial

import pytest
from django.db import connection
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.resources.factories import (
    LessonPageFactory,
    LibraryIndexPageFactory,
    TopicPageFactory,
    paragraph,
    stream,
)
from tests.site.helpers_mfa import sign_in_with_totp

pytestmark = pytest.mark.django_db

#: What trips full-text query parsers: FTS5's and tsquery's operators and quoting.
NASTY = [
    'iva"',
    '"iva',
    '""',
    "'",
    "iva'",
    "l'iva",
    "\x00",
    "iva\x00",
    "*",
    "iva*",
    "-iva",
    "NOT",
    "iva AND",
    "OR OR",
    "NEAR(iva partita)",
    "iva:",
    "title:iva",
    "live:true",
    "^iva",
    "(iva",
    "iva)",
    "a & b | !c",
    "<->",
    ":*",
    "\\",
    "%",
    "_",
    "{}[]",
    "🚀 partita IVA 🇮🇹",
    "\u200b",
    "\r\n\t",
    "x" * 5000,
    "iva " * 300,
]

any_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(NASTY), st.text(min_size=1, max_size=12)), max_size=8).map(
        " ".join
    ),
)

HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def with_nasty_examples(test, *, limit: int | None = None):
    for text in NASTY:
        test = example(text=text[:limit])(test)
    return test


#: The Wagtail admin's own searches take the text as it comes: past a few hundred words its
#: database backends exceed Python's recursion limit (wagtail/wagtail#4701, open upstream).
#: Staff are tested up to Wagtail's own query length (``MAX_QUERY_STRING_LENGTH``).
WAGTAIL_ADMIN_LIMIT = 255


@pytest.fixture
def searchable(home_page):
    """Published content in the library and a topic page, so searches have something to find."""
    library = LibraryIndexPageFactory(parent=home_page)
    lesson = LessonPageFactory(
        parent=library,
        title="La partita IVA in pratica",
        body=stream(paragraph("Come si apre la partita IVA e quanto costa.")),
    )
    lesson.save_revision().publish()
    topic_page = TopicPageFactory(parent=library, title="Fisco")
    topic_page.save_revision().publish()
    return {"library": library, "topic_page": topic_page, "lesson": lesson}


def assert_answers(response, text):
    assert response.status_code == 200, (connection.vendor, repr(text[:80]))


@HYPOTHESIS
@with_nasty_examples
@given(text=any_text)
def test_site_search_answers_any_text(client, searchable, text):
    for prefix in ("/it", "/en"):
        assert_answers(client.get(f"{prefix}/search/", {"q": text}), text)


@HYPOTHESIS
@with_nasty_examples
@given(text=any_text)
def test_library_search_answers_any_text(client, searchable, text):
    for page in (searchable["library"], searchable["topic_page"]):
        assert_answers(client.get(page.url, {"q": text}), text)


@pytest.fixture
def coordinator_client(client, coordinator):
    """A coordinator signed in with the second factor, as the admin requires (once per test:
    hypothesis runs every example with the same fixtures)."""
    sign_in_with_totp(client, coordinator)
    return client


@pytest.fixture
def editor_client(client, editor):
    sign_in_with_totp(client, editor)
    return client


@HYPOTHESIS
@with_nasty_examples
@given(text=any_text)
def test_coordinators_participant_search_answers_any_text(coordinator_client, searchable, text):
    assert_answers(coordinator_client.get("/admin/coaching_participant/", {"q": text}), text)


@HYPOTHESIS
@partial(with_nasty_examples, limit=WAGTAIL_ADMIN_LIMIT)
@given(text=any_text.map(lambda text: text[:WAGTAIL_ADMIN_LIMIT]))
def test_editors_searches_answer_any_text(editor_client, searchable, text):
    for url in (
        "/admin/pages/search/",
        "/admin/snippets/resources/topic/",
        "/admin/snippets/resources/searchsynonym/",
    ):
        assert_answers(editor_client.get(url, {"q": text}), text)


@pytest.mark.parametrize("query", ["q=iva%22", "q=%00", "q=iva%00iva", "q=%22%22%22", "q=%27"])
def test_the_reported_queries_answer(client, searchable, query):
    for url in ("/it/search/", "/en/search/", searchable["library"].url):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, (url, query)


def test_a_quote_typed_by_mistake_still_finds_the_lesson(client, searchable):
    response = client.get("/it/search/", {"q": 'partita"'})
    assert response.status_code == 200
    titles = [result.title for result in response.context["search_results"]]
    assert "La partita IVA in pratica" in titles
    response = client.get(searchable["library"].url, {"q": 'partita"'})
    assert searchable["lesson"].pk in [card.page.pk for card in response.context["cards"]]


def test_nothing_found_says_so_in_italian(client, searchable):
    response = client.get("/it/search/", {"q": '"\x00"'})
    assert response.status_code == 200
    assert "Nessuna pagina corrisponde alla ricerca" in response.content.decode()
