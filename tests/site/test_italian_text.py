"""The server-error page and the Italian of dates, citizenship and messages to everyone."""

import datetime
import re

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import formats, translation

from coaching.models import Citizenship
from portal_site.core.views import server_error
from tests.factories import TEST_PASSWORD

# --- The 500 page ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_server_error_page_speaks_italian_on_italian_addresses(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/it/path/join/about-you/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="it"' in html
    assert "Qualcosa non ha funzionato da parte nostra" in html
    assert "non in qualcosa che hai fatto" in html
    assert "riprova più tardi" in html
    assert "Le risposte già salvate, passo dopo passo, restano" in html
    assert "contatta lo Sportello del Comune" in html
    assert "«Contatti»" in html
    assert 'href="/it/"' in html
    assert "Something went wrong" not in html
    assert "per colpa tua" not in html


@pytest.mark.django_db
def test_the_server_error_page_speaks_english_on_english_addresses(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/en/search/"))
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Something went wrong on our side" in html
    assert "not in anything you did" in html
    assert "try again later" in html
    assert "answers you have already saved, step by step, are kept" in html
    assert "contact the Sportello" in html
    assert "“Contacts”" in html
    assert 'href="/en/"' in html
    assert "Qualcosa non ha funzionato" not in html


@pytest.mark.django_db
def test_the_server_error_page_is_italian_outside_the_language_prefixes(rf):
    html = server_error(rf.get("/admin/pages/")).content.decode()
    assert '<html lang="it"' in html
    assert "Qualcosa non ha funzionato da parte nostra" in html


@pytest.mark.django_db
def test_a_failing_view_gets_the_designed_page(settings):
    settings.ROOT_URLCONF = "tests.site.urls_failing"
    client = Client(raise_request_exception=False)
    response = client.get("/en/fail/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    response = client.get("/it/fail/")
    assert "Qualcosa non ha funzionato da parte nostra" in response.content.decode()


# --- Dates ----------------------------------------------------------------------------------


def test_italian_dates_write_months_and_days_in_lower_case():
    moment = datetime.datetime(2026, 12, 21, 9, 5)
    with translation.override("it"):
        assert formats.date_format(moment, "DATE_FORMAT") == "21 dicembre 2026"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "21 dicembre 2026, 09:05"
        assert formats.date_format(moment, "YEAR_MONTH_FORMAT") == "dicembre 2026"
        assert formats.date_format(moment, "MONTH_DAY_FORMAT") == "21 dicembre"
        assert formats.date_format(moment, "l j E") == "lunedì 21 dicembre"
        assert formats.date_format(datetime.date(2026, 5, 1), "DATE_FORMAT") == "1 maggio 2026"
        assert formats.date_format(datetime.date(2026, 12, 1), "N D") == "dic. mar"


def test_english_dates_put_the_day_first_and_keep_capitals():
    """An Italian service in English: "21 December 2026", "21/12/2026", never month first."""
    day = datetime.date(2026, 12, 21)
    with translation.override("en"):
        assert formats.date_format(day, "DATE_FORMAT") == "21 December 2026"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "21/12/2026"
        assert formats.date_format(day, "l F") == "Monday December"


# --- Citizenship ----------------------------------------------------------------------------


def test_italian_citizenship_agrees_with_cittadinanza():
    with translation.override("it"):
        assert str(Citizenship.ITALIAN.label) == "Italiana"
        # The language keeps its own name.
        assert str(dict(settings.LANGUAGES)["it"]) == "Italiano"
    with translation.override("en"):
        assert str(Citizenship.ITALIAN.label) == "Italian"


# --- Messages to everyone -------------------------------------------------------------------

#: Forms that speak to the reader in the masculine (or as "o/a" pairs). "Il benvenuto" is a
#: noun ("ti diamo il benvenuto"), said to anyone.
MASCULINE = re.compile(
    r"\b(ti sei (s?collegat|registrat|iscritt|passat)[oa]|(sei|siete) sicur[oi]|"
    r"(?<!il )benvenut[oa]\b|(iscritt|disoccupat|contattat|occupat)o o \w+a\b|"
    r"sei (passat|stat|rimast|arrivat|entrat|uscit)o\b|eri rimast[oa]|"
    r"^disoccupat[oa]\b|sei (già )?collegat[oa])"
)

CATALOGUES = [
    "site/locale/it/LC_MESSAGES/django.po",
    "coaching/locale/it/LC_MESSAGES/django.po",
    "resources/locale/it/LC_MESSAGES/django.po",
    "mentors/locale/it/LC_MESSAGES/django.po",
]


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_our_italian_addresses_everyone_alike(catalogue):
    found = []
    for entry in polib.pofile(str(settings.BASE_DIR / catalogue)):
        text = " ".join([entry.msgstr, *entry.msgstr_plural.values()]).casefold()
        found += [(entry.msgid, match.group(0)) for match in MASCULINE.finditer(text)]
    assert found == []


@pytest.mark.parametrize(
    ("msgid", "italian"),
    [
        ("Successfully signed in as %(name)s.", "Hai effettuato l'accesso come %(name)s."),
        ("You have signed out.", "Hai effettuato l'uscita."),
        ("Are you sure you want to sign out?", "Vuoi davvero uscire?"),
        (
            "You are already logged in as %(user_display)s.",
            "Hai già effettuato l'accesso come %(user_display)s.",
        ),
        ("Are you sure?", "Vuoi davvero procedere?"),
    ],
)
def test_allauths_messages_are_neutral_in_italian(msgid, italian):
    with translation.override("it"):
        assert translation.gettext(msgid) == italian


@pytest.mark.django_db
def test_signing_in_greets_everyone_alike(client, participant, home_page):
    response = client.post(
        "/it/account/login/",
        {"login": participant.email, "password": TEST_PASSWORD},
        follow=True,
    )
    html = response.content.decode()
    assert "Hai effettuato l&#x27;accesso come" in html
    assert "collegato" not in html
