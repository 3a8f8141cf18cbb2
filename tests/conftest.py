"""Shared fixtures: users by role, the site tree, a headless Chromium and axe-core."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils.functional import empty
from wagtail.models import Locale, Page, Site

from portal_site.core.models import HomePage
from tests import factories

# Django's live server and Playwright's sync API share the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    """Browser tests run against the live server, so they need a transactional database.

    Data migrations (roles, the home page) are restored with ``serialized_rollback``, since a
    transactional test flushes the tables when it ends.
    """
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(
                pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False
            )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep the data to restore after a browser test reachable from every connection object.

    Playwright's sync API runs the test inside an event loop, where Django hands out new
    connection objects (asgiref keeps them per context), so the copy of the migrated data
    that ``serialized_rollback`` restores, kept on the setup's connection, is not found
    there and the tests after the first browser test find no site, home page or roles.
    """
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def fresh_cache():
    """Every test starts with an empty cache: allauth keeps used TOTP codes and rate-limit
    counters there, and so do the hand-over claims."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def private_storage_root(settings, tmp_path):
    """Private uploads (signed consent forms) and media go to a throwaway folder; the lazy
    storage re-reads the setting."""
    from coaching.models.consent import private_storage

    settings.COACHING_PRIVATE_STORAGE_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    private_storage._wrapped = empty
    yield tmp_path
    private_storage._wrapped = empty


@pytest.fixture
def home_page(db) -> HomePage:
    """The Italian home page created by the migrations, as the default site's root."""
    return HomePage.objects.get(depth=2, locale__language_code="it")


@pytest.fixture
def english_locale(db) -> Locale:
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def english_home(home_page, english_locale) -> HomePage:
    """The English translation of the home page (as wagtail-localize would create it)."""
    existing = home_page.get_translation_or_none(english_locale)
    if existing:
        return existing.specific
    translation = home_page.copy_for_translation(english_locale)
    translation.hero_title = "Start your own business"
    translation.save_revision().publish()
    return translation


@pytest.fixture
def site(home_page) -> Site:
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def root_page(db) -> Page:
    return Page.objects.get(depth=1)


@pytest.fixture
def other_site(home_page, root_page) -> Site:
    """A second municipality with its own home page, staff and pages (every access test runs
    across two sites)."""
    other_home = factories.HomePageFactory(
        parent=root_page, title="Comune di Altrove", slug="altrove", locale=home_page.locale
    )
    return Site.objects.create(
        hostname="altro.example.org", port=80, root_page=other_home, site_name="Altrove"
    )


def _user_with_role(role: str, **kwargs):
    user = factories.UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def user(db):
    return factories.UserFactory()


@pytest.fixture
def participant(db):
    return _user_with_role("Participant")


@pytest.fixture
def mentor(db):
    return _user_with_role("Mentor")


def _serving_default_site(user):
    """Staff work for a municipality: page permissions come with the site assignment."""
    from coaching.models import StaffSiteAssignment

    StaffSiteAssignment.objects.get_or_create(
        user=user, site=Site.objects.get(is_default_site=True)
    )
    return user


@pytest.fixture
def editor(db):
    return _serving_default_site(_user_with_role("Editor", is_staff=True))


@pytest.fixture
def coordinator(db):
    return _serving_default_site(_user_with_role("Coordinator", is_staff=True))


@pytest.fixture
def finance_officer(db):
    return _user_with_role("Finance officer", is_staff=True)


@pytest.fixture
def user_with_role():
    """Factory fixture: ``user_with_role("Coordinator", email=...)``."""
    return _user_with_role


# --- Browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Required in CI; skipped elsewhere if missing."""
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab (own cookies) at a phone-sized viewport."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="it-IT")
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def axe():
    """Callable that runs axe-core (WCAG 2.1 A and AA) on a page and fails on any violation."""
    from tests.browser import assert_no_axe_violations

    return assert_no_axe_violations
