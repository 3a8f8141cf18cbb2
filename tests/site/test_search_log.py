"""What visitors type into the search box is not kept.

Wagtail's search promotions would log every query text with daily hit counts (even looking a
promotion up stores the text). The site search shows no promotions and does not feed that log.
"""

import pytest
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits, SearchPromotion

from tests.factories import StandardPageFactory


@pytest.mark.django_db
def test_a_search_does_not_record_the_visitor_s_text(client, home_page):
    StandardPageFactory(parent=home_page, title="Sportello imprese", slug="sportello")
    response = client.get("/it/search/", {"q": "sportello imprese"})
    assert response.status_code == 200
    assert "Sportello imprese" in response.content.decode()
    assert not Query.objects.exists()
    assert not QueryDailyHits.objects.exists()


@pytest.mark.django_db
def test_an_editors_promotion_is_not_looked_up_so_nothing_is_logged(client, home_page):
    """Rendering promotions (``get_search_promotions``) would store the visitor's text."""
    StandardPageFactory(parent=home_page, title="Sportello imprese", slug="sportello")
    promoted = StandardPageFactory(parent=home_page, title="Bandi aperti", slug="bandi")
    SearchPromotion.objects.create(query=Query.get("sportello"), page=promoted, sort_order=0)
    response = client.get("/it/search/", {"q": "Sportello"})
    page = response.content.decode()
    assert "Sportello imprese" in page
    assert "Bandi aperti" not in page
    assert list(Query.objects.values_list("query_string", flat=True)) == ["sportello"]
    assert not QueryDailyHits.objects.exists()
