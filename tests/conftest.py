"""Shared fixtures: users by role, the site tree, a headless Chromium and axe-core."""

import os
from pathlib import Path

import freezegun
import pytest
from django.core.cache import cache
from django.utils.functional import empty
from wagtail.models import Locale, Page, Site

from portal_site.core.models import HomePage
from tests import factories

# Django's live server and Playwright's sync API share the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
# pytest's own clock keeps real time under freeze_time, so --durations stays true.
freezegun.configure(extend_ignore_list=["_pytest.timing"])

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
    transactional test flushes the tables when it ends. Browser tests on ``shared_db`` only
    read what their module built once, so each runs in a transaction rolled back at its end,
    like any database test (see ``shared_db``).
    """
    for item in items:
        if not item.get_closest_marker("browser"):
            continue
        if "shared_db" in item.fixturenames:
            # Serialized so that the migrated data can be put back when the module ends.
            item.add_marker(pytest.mark.django_db(serialized_rollback=True), append=False)
        else:
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
    return factories.italian_home()


@pytest.fixture
def english_locale(db) -> Locale:
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def english_home(home_page, english_locale) -> HomePage:
    """The English translation of the home page (as wagtail-localize would create it)."""
    return factories.english_home(home_page)


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


_user_with_role = factories.user_with_role


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


def _flush_databases() -> None:
    """Empty every table, as a transactional test does when it ends, and put back what the
    migrations created, as ``serialized_rollback`` does when the next one starts.

    The content types go back first: a Wagtail page looks up its content type when it is
    built, and with a cold cache that lookup would create the row the restored data holds.
    """
    import json

    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connections

    for connection in connections.all():
        call_command(
            "flush",
            database=connection.alias,
            interactive=False,
            inhibit_post_migrate=True,
            # As TransactionTestCase: restarted sequences would reuse the restored rows' ids.
            reset_sequences=False,
            verbosity=0,
        )
        ContentType.objects.clear_cache()
        rows = json.loads(connection._test_serialized_contents)
        rows.sort(key=lambda row: row["model"] != "contenttypes.contenttype")
        connection.creation.deserialize_db_from_string(json.dumps(rows))


@pytest.fixture(scope="module")
def shared_db(django_db_setup, django_db_blocker):
    """Committed data that a module's browser tests build once and then only read.

    The live server reads through its own connection, so a browser test's data must be
    committed, and a transactional test flushes every table when it ends: built per test, the
    demo content alone took about five seconds a test. A module of tests that only read builds
    its data in a module-scoped fixture on top of this one, committed, the way pytest-django
    documents populating the database (``django_db_blocker.unblock()``); its tests are then
    ordinary database tests (each in a transaction of its own) against ``shared_live_server``.
    Before and after the module every table is emptied and the migrated data put back, as
    Django's ``serialized_rollback`` does, so the tests around it see only the migrated data.
    """
    with django_db_blocker.unblock():
        _flush_databases()
        yield
        _flush_databases()


@pytest.fixture(scope="module")
def shared_live_server(shared_db):
    """A live server of the module's own for ``shared_db`` tests (pytest-django's helper class).

    pytest-django's ``live_server`` fixture gives each test that asks for it a transactional
    database, which would flush the module's data after its first test.
    """
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    yield server
    server._live_server_modified_settings.disable()
    server.stop()


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
