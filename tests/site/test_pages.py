"""Every page type renders for an anonymous visitor, in Italian and in English."""

import pytest

from tests.factories import StandardPageFactory


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["it", "en"])
def test_home_page_renders_in_each_language(client, home_page, english_home, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert f'lang="{language}"' in response.content.decode()
    expected = home_page.hero_title if language == "it" else english_home.hero_title
    assert expected in response.content.decode()


@pytest.mark.django_db
def test_standard_page_renders(client, home_page):
    page = StandardPageFactory(parent=home_page, title="Chi siamo", slug="chi-siamo")
    response = client.get(page.url)
    assert response.status_code == 200
    assert "Chi siamo" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"),
    [("it", "Non abbiamo trovato questa pagina"), ("en", "We could not find this page")],
)
def test_unknown_url_gives_designed_404_in_current_language(client, home_page, language, heading):
    response = client.get(f"/{language}/questa-pagina-non-esiste/")
    assert response.status_code == 404
    assert heading in response.content.decode()


def test_root_redirects_to_a_language(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] in {"/it/", "/en/"}
