"""The language switch leads to the same page in the other language, on every address.

Every URL name of the project under the language prefixes is walked (with sample arguments
where it takes some), in both directions; Wagtail pages link to their translation.
"""

import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from django.utils import translation

from portal_site.core.templatetags.avvio_tags import language_links
from tests.factories import TEST_PASSWORD
from tests.resources.factories import LessonPageFactory, LibraryIndexPageFactory
from tests.site.helpers_mfa import sign_in_with_password

pytestmark = pytest.mark.django_db

OTHER = {"it": "en", "en": "it"}

#: A sample value for each path converter.
SAMPLES = {
    "IntConverter": 7,
    "SlugConverter": "about-you",
    "StringConverter": "block-1",
    "UUIDConverter": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "PathConverter": "a/b",
}

#: Served by Wagtail's catch-all pattern: tested with real pages below.
WAGTAIL_PAGES = {"wagtail_serve"}


def _walk(patterns, namespace=(), in_i18n=False):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
            yield from _walk(
                pattern.url_patterns,
                inner,
                in_i18n or isinstance(pattern.pattern, LocalePrefixPattern),
            )
        elif isinstance(pattern, URLPattern) and pattern.name and in_i18n:
            yield ":".join((*namespace, pattern.name)), pattern.pattern


def _kwargs(pattern) -> dict | None:
    if isinstance(pattern, RoutePattern):
        return {
            name: SAMPLES[type(converter).__name__]
            for name, converter in pattern.converters.items()
        }
    if isinstance(pattern, RegexPattern):
        regex = re.compile(str(pattern._regex))
        if regex.groups != len(regex.groupindex):
            return None  # positional groups: no sample
        return dict.fromkeys(regex.groupindex, "abc1")
    return None


def language_url_names():
    names = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        if name in WAGTAIL_PAGES:
            continue
        names.setdefault(name, _kwargs(pattern))
    return sorted(names.items())


URL_NAMES = language_url_names()


def _links_for(rf, path: str) -> dict[str, dict]:
    request = rf.get(path)
    language = translation.get_language_from_path(path)
    with translation.override(language):
        return {link["code"]: link for link in language_links({"request": request})}


def test_every_named_address_is_walked():
    names = {name for name, _kwargs in URL_NAMES}
    for expected in (
        "account_login",
        "account_signup",
        "search",
        "coaching:dashboard",
        "coaching:join",
        "coaching:intake_step",
        "account_profile",
        "resources:my_progress",
        "account_reset_password_from_key",
    ):
        assert expected in names
    assert all(kwargs is not None for _name, kwargs in URL_NAMES)


@pytest.mark.parametrize(("name", "kwargs"), URL_NAMES, ids=[name for name, _ in URL_NAMES])
@pytest.mark.parametrize("language", ["it", "en"])
def test_the_other_language_is_the_same_address(rf, home_page, name, kwargs, language):
    with translation.override(language):
        path = reverse(name, kwargs=kwargs)
    with translation.override(OTHER[language]):
        expected = reverse(name, kwargs=kwargs)
    assert path.startswith(f"/{language}/")
    links = _links_for(rf, path)
    assert links[OTHER[language]]["url"] == expected
    assert links[language]["url"] == path
    assert links[language]["current"] is True
    assert links[OTHER[language]]["current"] is False


def test_the_query_and_the_next_address_follow(rf, home_page):
    links = _links_for(rf, "/it/account/login/?next=/it/path/dashboard/&x=1")
    url = urlsplit(links["en"]["url"])
    assert url.path == "/en/account/login/"
    assert parse_qs(url.query) == {"next": ["/en/path/dashboard/"], "x": ["1"]}
    links = _links_for(rf, "/en/search/?q=partita+iva")
    assert links["it"]["url"] == "/it/search/?q=partita+iva"


def test_a_next_address_elsewhere_is_left_alone(rf, home_page):
    links = _links_for(rf, "/it/account/login/?next=https://example.org/it/path/dashboard/")
    assert parse_qs(urlsplit(links["en"]["url"]).query) == {
        "next": ["https://example.org/it/path/dashboard/"]
    }


def test_labels_are_each_in_their_own_language(rf, home_page):
    links = _links_for(rf, "/it/search/")
    assert links["it"]["name"] == "Italiano"
    assert links["en"]["name"] == "English"


def test_a_wagtail_page_links_to_its_translation(client, home_page, english_home):
    response = client.get("/it/")
    assert response.status_code == 200
    assert 'href="/en/" hreflang="en"' in response.content.decode()
    response = client.get("/en/")
    assert 'href="/it/" hreflang="it"' in response.content.decode()


def test_an_untranslated_page_links_to_the_nearest_translated_ancestor(
    client, home_page, english_home
):
    library = LibraryIndexPageFactory(parent=home_page)
    lesson = LessonPageFactory(parent=library, title="Solo in italiano", slug="solo-italiano")
    lesson.save_revision().publish()
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert 'href="/en/" hreflang="en"' in response.content.decode()


def test_a_translated_page_keeps_its_search(client, home_page, english_home, english_locale):
    library = LibraryIndexPageFactory(parent=home_page)
    english_library = library.copy_for_translation(english_locale)
    english_library.title, english_library.slug = "Library", "library"
    english_library.save()
    english_library.save_revision().publish()
    response = client.get("/it/biblioteca/", {"q": "iva"})
    assert response.status_code == 200
    assert 'href="/en/library/?q=iva" hreflang="en"' in response.content.decode()
    response = client.get("/en/library/", {"q": "iva"})
    assert 'href="/it/biblioteca/?q=iva" hreflang="it"' in response.content.decode()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/it/account/login/", 'href="/en/account/login/" hreflang="en"'),
        ("/en/account/login/", 'href="/it/account/login/" hreflang="it"'),
        ("/it/account/signup/", 'href="/en/account/signup/" hreflang="en"'),
        ("/it/search/?q=iva", 'href="/en/search/?q=iva" hreflang="en"'),
        ("/en/search/", 'href="/it/search/" hreflang="it"'),
    ],
)
def test_rendered_pages_link_to_the_other_language(client, home_page, path, expected):
    response = client.get(path)
    assert response.status_code == 200
    assert expected in response.content.decode()


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("name", ["coaching:dashboard", "coaching:join", "account_profile"])
def test_signed_in_pages_link_to_the_other_language(client, participant, home_page, language, name):
    client.force_login(participant)
    other = OTHER[language]
    with translation.override(language):
        path = reverse(name)
    response = client.get(path, follow=True)
    assert response.status_code == 200, path
    final = response.redirect_chain[-1][0] if response.redirect_chain else path
    assert final.startswith(f"/{language}/"), final
    # These addresses have no translated segments: only the prefix changes.
    assert f'href="/{other}/{final[4:]}" hreflang="{other}"' in response.content.decode()


def test_signing_in_from_the_english_page_keeps_english(client, participant, home_page):
    with translation.override("en"):
        response = sign_in_with_password(client, participant)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/"), response["Location"]


def test_signing_in_from_the_italian_page_keeps_italian(client, participant, home_page):
    with translation.override("it"):
        response = sign_in_with_password(client, participant)
    assert response.status_code == 302
    assert response["Location"].startswith("/it/"), response["Location"]


def test_signing_in_after_switching_language_goes_where_they_were_going(
    client, participant, home_page, rf
):
    english_login = _links_for(rf, "/it/account/login/?next=/it/path/dashboard/")["en"]["url"]
    next_url = parse_qs(urlsplit(english_login).query)["next"][0]
    response = client.post(
        english_login, {"login": participant.email, "password": TEST_PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/path/dashboard/"
