"""Italian stemming in PostgreSQL full-text search: plural finds singular and the reverse."""

import pytest
from django.db import connection

from tests.resources.factories import LessonPageFactory, paragraph, stream

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (CI runs the suite on PostgreSQL)")


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Chiedi un finanziamento agevolato alla Regione.", "finanziamenti"),
        ("I finanziamenti a fondo perduto per le imprese.", "finanziamento"),
        ("Come si apre un'impresa artigiana.", "imprese"),
    ],
)
def test_search_finds_italian_words_by_stem(client, library, text, query):
    lesson = LessonPageFactory(
        parent=library, title="Lezione di prova", body=stream(paragraph(text))
    )
    lesson.save_revision().publish()
    response = client.get(library.url, {"q": query})
    assert [card.page.pk for card in response.context["cards"]] == [lesson.pk]
