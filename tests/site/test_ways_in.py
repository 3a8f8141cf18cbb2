"""Every way in goes through allauth: its rate limits, e-mail verification and second factor.

Wagtail and Django bring sign-in forms of their own (plain password forms). These tests walk
every URL pattern the project exposes, so a sign-in page that a new include brings along is
found too, and prove that each is allauth's or leads there without signing anyone in.
"""

import inspect
from urllib.parse import urlsplit

import pytest
from allauth.account.views import LoginView as AllauthLoginView
from django.contrib.admin import AdminSite
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.urls import URLResolver, get_resolver, resolve, reverse
from wagtail.admin.views.account import LoginView as WagtailAdminLoginView
from wagtail.models import PageViewRestriction

from tests.factories import TEST_PASSWORD, StandardPageFactory
from tests.site.helpers_mfa import sign_in_with_totp

#: Views that change or reset a password outside allauth (no rate limit, no notice e-mail).
PASSWORD_VIEW_CLASSES = (
    auth_views.PasswordResetView,
    auth_views.PasswordResetConfirmView,
    auth_views.PasswordChangeView,
)


def _url_patterns(patterns=None, prefix="", namespace=""):
    """(path, full name, pattern) for every pattern of the URLconf, includes followed."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield "/" + prefix + str(entry.pattern), name, entry


def _concrete(path: str) -> str:
    """A URL that the pattern matches: parameters filled with a placeholder."""
    path = path.replace("^", "").replace("$", "")
    while "<" in path:
        start, end = path.index("<"), path.index(">")
        path = path[:start] + "x" + path[end + 1 :]
    assert "(" not in path, f"cannot build a URL for {path}"
    return path


def _view_class(pattern):
    return getattr(pattern.callback, "view_class", None)


def _admin_site_view(pattern):
    """The AdminSite method behind a Django admin pattern (wrapped by ``admin_view``)."""
    return getattr(inspect.unwrap(pattern.callback), "__func__", None)


def _authenticates(name: str, pattern) -> bool:
    view_class = _view_class(pattern)
    if view_class is not None and issubclass(
        view_class, (auth_views.LoginView, WagtailAdminLoginView, AllauthLoginView)
    ):
        return True
    if _admin_site_view(pattern) is AdminSite.login:
        return True
    return name.endswith("login")


def _sets_a_password(pattern) -> bool:
    view_class = _view_class(pattern)
    if view_class is not None and issubclass(view_class, PASSWORD_VIEW_CLASSES):
        return True
    return _admin_site_view(pattern) is AdminSite.password_change


def _is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_every_sign_in_page_is_allauths_or_leads_there(client, site, participant, coordinator):
    allauth_login = reverse("account_login")
    found = set()
    for path, name, pattern in _url_patterns():
        if not _authenticates(name, pattern):
            continue
        found.add(name)
        url = _concrete(path)
        # An earlier pattern may answer for this address (that is how the others are closed).
        if getattr(resolve(url).func, "view_class", None) is AllauthLoginView:
            assert url == allauth_login, url
            continue

        response = client.get(url)
        assert response.status_code == 302, url
        assert urlsplit(response["Location"]).path == allauth_login, (url, response["Location"])

        for person in (participant, coordinator):
            credentials = {
                "username": person.email,
                "login": person.email,
                "password": TEST_PASSWORD,
            }
            response = client.post(url, credentials)
            assert response.status_code == 302, url
            assert urlsplit(response["Location"]).path == allauth_login, url
            assert not _is_signed_in(client), f"{url} signed {person.email} in"

    # The walk really went through the includes (Wagtail's front end and admin, Django's admin).
    assert {"account_login", "wagtailcore_login", "wagtailadmin_login", "admin:login"} <= found


def _is_allauth_page(path: str) -> bool:
    view_class = getattr(resolve(path).func, "view_class", None)
    return view_class is not None and view_class.__module__.startswith("allauth.")


@pytest.mark.django_db
def test_no_password_is_set_outside_allauth(client, site, editor):
    found = set()
    for path, name, pattern in _url_patterns():
        if not _sets_a_password(pattern):
            continue
        found.add(name)
        url = _concrete(path)
        if _is_allauth_page(url):
            continue
        for signed_in in (False, True):
            if signed_in:
                sign_in_with_totp(client, editor)
            # Followed: a 404 outside the language prefix is redirected into it first.
            response = client.get(url, follow=True)
            landed_on = response.request["PATH_INFO"]
            if response.status_code != 404:
                assert _is_allauth_page(landed_on), (url, signed_in, landed_on)
            client.logout()
            cache.clear()  # the same TOTP code is used again in this 30-second window
    assert {"wagtailadmin_password_reset", "admin:password_change"} <= found


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/it/_util/login/", "/it/account/login/"),
        ("/it/_util/login/?next=/it/library/", "/it/account/login/?next=%2Fit%2Flibrary%2F"),
        ("/it/_util/login/?next=https://elsewhere.example/", "/it/account/login/"),
        ("/en/_util/login/?next=/en/", "/en/account/login/?next=%2Fen%2F"),
        ("/admin/login/?next=//elsewhere.example/", "/it/account/login/?next=%2Fadmin%2F"),
    ],
)
def test_wagtails_sign_in_page_sends_on_to_allauth_with_a_safe_next(client, site, path, expected):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == expected


@pytest.mark.django_db
def test_a_post_to_wagtails_sign_in_page_keeps_a_safe_next_and_signs_nobody_in(
    client, site, participant
):
    response = client.post(
        "/it/_util/login/",
        {"username": participant.email, "password": TEST_PASSWORD, "next": "/it/library/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/it/account/login/?next=%2Fit%2Flibrary%2F"
    assert not _is_signed_in(client)


@pytest.mark.django_db
def test_pages_for_signed_in_people_send_visitors_to_allauths_sign_in(client, home_page):
    page = StandardPageFactory(parent=home_page, slug="riservata")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/it/riservata/")
    assert response.status_code == 302
    assert response["Location"] == "/it/account/login/?next=/it/riservata/"
