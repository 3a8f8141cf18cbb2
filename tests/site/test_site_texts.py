"""The site settings' words (tagline, address, EU funding statement) follow the page's language:
a translatable snippet the settings point to, moved there from the settings by a migration."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.models import Locale

from portal_site.core.models import SiteSettings, SiteText
from tests.site.helpers_mfa import sign_in_with_totp

ITALIAN = {
    "name": "Sito",
    "tagline": "Percorsi per il lavoro autonomo",
    "address": "Sportello Avvio\nVia Roma 1",
    "funding_statement": "<p>Finanziato dall'Unione europea</p>",
    "funding_emblems_alt": "Emblemi UE",
}
ENGLISH = {
    "tagline": "Paths to self-employment",
    "address": "Avvio desk\nVia Roma 1",
    "funding_statement": "<p>Funded by the European Union</p>",
    "funding_emblems_alt": "EU emblems",
}


@pytest.fixture
def site_texts(site, home_page):
    source = SiteText.objects.create(locale=home_page.locale, **ITALIAN)
    site_settings = SiteSettings.for_site(site)
    site_settings.texts = source
    site_settings.save()
    return source


@pytest.fixture
def english_texts(site_texts, english_locale):
    translation = site_texts.copy_for_translation(english_locale)
    for field, value in ENGLISH.items():
        setattr(translation, field, value)
    translation.save()
    return translation


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.text


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/en/", "/en/account/login/", "/en/search/"])
def test_english_pages_show_the_english_texts(client, english_home, english_texts, url):
    content = _page(client, url)
    assert "Paths to self-employment" in content
    assert "Avvio desk<br>Via Roma 1" in content
    assert "Funded by the European Union" in content
    assert "Percorsi per il lavoro autonomo" not in content
    assert "Finanziato dall&#x27;Unione europea" not in content
    assert "Finanziato dall'Unione europea" not in content


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/it/", "/it/account/login/", "/it/search/"])
def test_italian_pages_show_the_italian_texts(client, english_home, english_texts, url):
    content = _page(client, url)
    assert "Percorsi per il lavoro autonomo" in content
    assert "Sportello Avvio<br>Via Roma 1" in content
    assert "Finanziato dall'Unione europea" in content
    assert "Paths to self-employment" not in content


@pytest.mark.django_db
def test_until_they_are_translated_english_pages_show_the_source_texts(
    client, english_home, site_texts
):
    content = _page(client, "/en/")
    assert "Percorsi per il lavoro autonomo" in content


@pytest.mark.django_db
def test_without_texts_the_header_and_footer_still_render(client, site):
    assert SiteSettings.for_site(site).texts is None
    content = _page(client, "/it/")
    assert "it-brand-tagline" not in content


@pytest.mark.django_db
def test_the_settings_read_each_language_once(site, english_texts, django_assert_num_queries):
    """A page and the e-mail it sends may render in two languages from one settings object."""
    site_settings = SiteSettings.for_site(site)
    with translation.override("en"):
        assert site_settings.texts_in_language == english_texts
        with django_assert_num_queries(0):
            assert site_settings.texts_in_language.tagline == ENGLISH["tagline"]
    with translation.override("it"):
        assert site_settings.texts_in_language.tagline == ITALIAN["tagline"]
        with django_assert_num_queries(0):
            assert site_settings.texts_in_language.tagline == ITALIAN["tagline"]


@pytest.mark.django_db
def test_the_demo_has_the_texts_in_both_languages(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert "Avvio · percorsi per il lavoro autonomo" in _page(client, "/it/")
    english = _page(client, "/en/")
    assert "Avvio · paths to self-employment" in english
    assert "Project funded by the European Union" in english
    # A second run leaves the texts as they are.
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert SiteText.objects.count() == 2


# --- Who may change them -----------------------------------------------------------------


def _edit_url(texts: SiteText) -> str:
    return f"/admin/snippets/core/sitetext/edit/{texts.pk}/"


def _edit_data(**changes) -> dict:
    """The edit form as the admin posts it (rich text as the editor's JSON)."""
    values = {**ITALIAN, **changes}
    converter = ContentstateConverter(features=["bold", "italic", "link"])
    values["funding_statement"] = converter.from_database_format(values["funding_statement"])
    return values


@pytest.mark.django_db
def test_an_editor_changes_the_texts(client, site, editor, site_texts):
    sign_in_with_totp(client, editor)
    response = client.post(_edit_url(site_texts), _edit_data(tagline="Un nuovo motto"))
    assert response.status_code == 302
    site_texts.refresh_from_db()
    assert site_texts.tagline == "Un nuovo motto"
    response = client.get("/admin/snippets/core/sitetext/")
    assert response.status_code == 200
    assert "Sito" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["participant", "coordinator"])
def test_people_other_than_editors_can_neither_see_nor_change_the_texts(
    client, request, site, site_texts, who
):
    person = request.getfixturevalue(who)
    if who == "coordinator":
        sign_in_with_totp(client, person)
    else:
        client.force_login(person)
    for response in (
        client.get(_edit_url(site_texts)),
        client.post(_edit_url(site_texts), _edit_data(tagline="Cambiato")),
        client.get("/admin/snippets/core/sitetext/"),
    ):
        if who == "participant":
            # The administration is closed to them altogether.
            assert (response.status_code, response["Location"]) == (302, "/it/account/profile/")
        else:
            # Wagtail turns staff without the permission back to the admin's home.
            assert (response.status_code, response["Location"]) == (302, "/admin/")
    site_texts.refresh_from_db()
    assert site_texts.tagline == ITALIAN["tagline"]


# --- The migration ------------------------------------------------------------------------

BEFORE = ("core", "0003_homepage_rules")
AFTER = ("core", "0006_settings_texts_moved")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_moves_each_sites_texts_into_its_default_language(site):
    try:
        apps = _migrate([BEFORE])
        apps.get_model("core", "SiteSettings").objects.update_or_create(
            site_id=site.pk,
            defaults={
                "municipality_name": "Comune di Prova",
                "tagline": "Il motto",
                "address": "Via Roma 1",
                "funding_statement": "<p>Finanziato dall'UE</p>",
                "funding_emblems_alt": "Emblemi",
            },
        )

        apps = _migrate([AFTER])

        site_settings = apps.get_model("core", "SiteSettings").objects.get(site_id=site.pk)
        texts = apps.get_model("core", "SiteText").objects.get(pk=site_settings.texts_id)
        assert (texts.tagline, texts.address, texts.funding_statement) == (
            "Il motto",
            "Via Roma 1",
            "<p>Finanziato dall'UE</p>",
        )
        assert texts.funding_emblems_alt == "Emblemi"
        assert texts.locale_id == Locale.objects.get(language_code="it").pk
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
