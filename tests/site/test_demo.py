"""load_demo builds a bilingual site with a user per role, and can run twice: a re-run creates
what is missing and keeps what editors changed."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from wagtail.models import Site

from portal_site.accounts.roles import Role
from portal_site.core.models import SiteSettings, StandardPage
from resources.models import LibraryIndexPage


def _counts() -> dict[str, int]:
    return {
        f"{model._meta.app_label}.{model.__name__}": model.objects.count()
        for model in apps.get_models()
        if not model._meta.proxy
        and model._meta.app_label
        not in {"sessions", "admin", "wagtailsearch", "django_tasks_database"}
    }


@pytest.mark.django_db
def test_load_demo_twice_leaves_the_same_counts():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    second = _counts()
    changed = {name: (first[name], second[name]) for name in first if first[name] != second[name]}
    assert not changed, f"load_demo is not idempotent: {changed}"


@pytest.mark.django_db
def test_load_demo_builds_bilingual_pages_and_a_user_per_role(client, capsys):
    call_command("load_demo")
    output = capsys.readouterr().out
    for role in Role:
        assert role.value in output
    for url in ["/it/", "/en/", "/it/percorso/", "/en/path/", "/it/privacy/", "/en/accessibility/"]:
        assert client.get(url).status_code == 200, url
    english_home = client.get("/en/").content.decode()
    assert "Turn your idea into legal, paid work" in english_home
    assert 'href="/en/privacy/" data-element="privacy-policy-link"' in english_home
    assert 'href="/en/accessibility/" data-element="accessibility-link"' in english_home
    menu = english_home.split('id="main-menu"')[1].split("</ul>")[0]
    assert menu.index('href="/en/path/"') < menu.index("/en/library/") < menu.index("/en/about/")


@pytest.mark.django_db
def test_load_demo_refuses_without_a_demo_password(settings):
    del settings.AVVIO_DEMO_PASSWORD
    with pytest.raises(CommandError, match="development settings"):
        call_command("load_demo")


@pytest.mark.django_db
def test_load_demo_again_keeps_what_editors_changed(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    site = Site.objects.get(is_default_site=True)
    settings = SiteSettings.for_site(site)
    settings.municipality_name = "Comune di Napoli"
    settings.save()
    about = StandardPage.objects.get(slug="chi-siamo", locale__language_code="it")
    about.title = "Chi siamo e dove trovarci"
    about.save_revision().publish()
    library = LibraryIndexPage.objects.get(locale__language_code="it")
    library.introduction = "La biblioteca dello sportello."
    library.save_revision().publish()

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert SiteSettings.for_site(site).municipality_name == "Comune di Napoli"
    assert "Chi siamo e dove trovarci" in client.get("/it/chi-siamo/").content.decode()
    assert client.get("/it/biblioteca/").context["page"].introduction == (
        "La biblioteca dello sportello."
    )


@pytest.mark.django_db
def test_load_demo_again_creates_a_deleted_demo_page(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    contacts = StandardPage.objects.get(slug="contatti", locale__language_code="it")
    # As the admin's delete does: the page goes with its translation.
    contacts.get_translations().delete()
    contacts.delete()
    assert client.get("/en/contacts/").status_code == 404

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert client.get("/it/contatti/").status_code == 200
    assert client.get("/en/contacts/").status_code == 200
