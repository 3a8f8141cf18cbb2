"""What visitors type into the search box is not kept.

Wagtail's search promotions would log every query text with daily hit counts; the editors'
promoted results work without that log, so the site search does not feed it.
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
def test_an_editors_promoted_query_gets_no_hit_count(client, home_page):
    page = StandardPageFactory(parent=home_page, title="Sportello imprese", slug="sportello")
    query = Query.get("sportello")
    SearchPromotion.objects.create(query=query, page=page, sort_order=0)
    client.get("/it/search/", {"q": "sportello"})
    assert list(Query.objects.values_list("query_string", flat=True)) == ["sportello"]
    assert not QueryDailyHits.objects.exists()
