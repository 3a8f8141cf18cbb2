"""load_demo builds a bilingual site with a user per role, and can run twice."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from portal_site.accounts.roles import Role


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
