"""The host site's own pieces: page rules, sitemap, robots, search, footer links, errors."""

import pytest
from django.test import Client, override_settings
from wagtail.models import Page

from portal_site.core.models import (
    HomePage,
    MainMenuItem,
    NavigationSettings,
    SiteSettings,
    StandardPage,
)
from tests.factories import StandardPageFactory


@pytest.mark.django_db
def test_page_type_rules_keep_the_tree_renderable(home_page, root_page):
    assert HomePage.can_create_at(root_page)
    assert not HomePage.can_create_at(home_page)
    assert StandardPage.can_create_at(home_page)
    assert not StandardPage.can_create_at(root_page)
    standard = StandardPageFactory(parent=home_page)
    assert StandardPage.can_create_at(standard)
    assert not HomePage.can_create_at(standard)


@pytest.mark.django_db
def test_sitemap_lists_live_pages_only(client, home_page):
    live = StandardPageFactory(parent=home_page, slug="pubblica")
    draft = StandardPageFactory(parent=home_page, slug="bozza", live=False)
    content = client.get("/sitemap.xml").content.decode()
    assert live.slug in content
    assert draft.slug not in content


def test_robots_txt_points_to_sitemap_and_hides_admin(client, db):
    content = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in content
    assert "Sitemap: http://testserver/sitemap.xml" in content


@pytest.mark.django_db
def test_search_finds_published_pages_in_the_current_language(client, home_page):
    StandardPageFactory(parent=home_page, title="Sportello imprese", slug="sportello")
    StandardPageFactory(parent=home_page, title="Sportello nascosto", slug="nascosto", live=False)
    response = client.get("/it/search/", {"q": "sportello"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Sportello imprese" in content
    assert "Sportello nascosto" not in content


@pytest.mark.django_db
def test_search_keeps_the_query_and_survives_bad_page_numbers(client, home_page):
    response = client.get("/it/search/", {"q": "niente di simile", "page": "abc"})
    assert response.status_code == 200
    assert 'value="niente di simile"' in response.content.decode()
    assert "Nessuna pagina corrisponde" in response.content.decode()


@pytest.mark.django_db
def test_footer_renders_required_public_sector_links(client, site, home_page):
    privacy = StandardPageFactory(parent=home_page, title="Privacy", slug="privacy")
    settings = SiteSettings.for_site(site)
    settings.privacy_page = privacy
    settings.accessibility_declaration_url = "https://form.agid.gov.it/view/123"
    settings.save()
    content = client.get("/it/").content.decode()
    assert 'href="/it/privacy/" data-element="privacy-policy-link"' in content
    assert 'href="https://form.agid.gov.it/view/123" data-element="accessibility-link"' in content


@pytest.mark.django_db
def test_main_menu_is_edited_in_settings(client, site, home_page):
    about = StandardPageFactory(parent=home_page, title="Chi siamo", slug="chi-siamo")
    navigation = NavigationSettings.for_site(site)
    MainMenuItem.objects.create(settings=navigation, link_page=about, sort_order=0)
    MainMenuItem.objects.create(
        settings=navigation, title="Regione", link_url="https://regione.example.it", sort_order=1
    )
    content = client.get("/it/").content.decode()
    assert 'href="/it/chi-siamo/"' in content
    assert "https://regione.example.it" in content


@pytest.mark.django_db
def test_language_switcher_links_to_the_page_translation(client, english_home):
    content = client.get("/it/").content.decode()
    assert 'href="/en/" hreflang="en"' in content


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_server_error_page_is_designed_and_needs_no_database(home_page, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(Page, "serve", explode)
    client = Client(raise_request_exception=False)
    response = client.get("/it/")
    assert response.status_code == 500
    assert "Qualcosa non ha funzionato da parte nostra" in response.content.decode()


def test_block_previews_in_the_admin_carry_the_site_design(rf):
    from django.template.loader import render_to_string

    from resources.blocks import SharedStreamBlock

    block = SharedStreamBlock().child_blocks["callout"]
    value = block.get_preview_value()
    html = render_to_string(
        block.get_preview_template(value),
        block.get_preview_context(
            value,
            parent_context={
                "request": rf.get("/"),
                "block_def": block,
                "block_class": type(block),
                "bound_block": block.bind(value),
            },
        ),
    )
    assert "portal_site/dist/avvio.css" in html
    assert "resources/css/library.css" in html
