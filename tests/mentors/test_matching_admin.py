"""The coordinators' matching pages in the Wagtail admin (mentors/admin/matches.py): who may
open them, what each coordinator sees of their own sites only, and clicks that count once."""

import html
import re

import pytest
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime
from wagtail.models import Site

from coaching.models import AccessLog, Participant
from mentors.models import Match, MatchingSettings
from mentors.services.matches import match_propose
from tests.coaching.factories import assign, make_participant, sign_in
from tests.mentors.factories import make_match, make_mentor

pytestmark = pytest.mark.django_db

POOL = "/admin/mentoring/matching/"
WAITING = "/admin/mentoring/matching/waiting/"


def _suggestions(person):
    return f"/admin/mentoring/matching/participant/{person.pk}/"


def _batch(site):
    return f"/admin/mentoring/matching/site/{site.pk}/batch/"


def _person(site=None, name="Amina", **fields):
    person = make_participant(site=site, status="eligible")
    Participant.objects.filter(pk=person.pk).update(
        preferred_name=name, preferred_languages=["it"], **fields
    )
    return Participant.objects.get(pk=person.pk)


def _page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def other_coordinator(other_site, user_with_role):
    return assign(user_with_role("Coordinator", is_staff=True), site=other_site)


@pytest.fixture
def signed_in(client, coordinator):
    sign_in(client, coordinator)
    return client


def _token_and_pairs(page: str):
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    return token, re.findall(r'name="pair" value="([^"]+)"', page)


# --- Who may open the pages --------------------------------------------------------------------


def test_people_who_are_not_coordinators_cannot_open_them(client, site, user_with_role):
    person = _person()
    mentor = make_mentor()
    for path in (POOL, WAITING, _suggestions(person), _batch(site)):
        client.logout()
        assert client.get(path).status_code == 302  # to the sign-in: not admin staff
    client.force_login(mentor.user)
    assert client.get(POOL).status_code == 302
    editor = assign(user_with_role("Editor", is_staff=True))
    sign_in(client, editor)
    for path in (POOL, WAITING, _suggestions(person), _batch(site)):
        assert client.get(path).status_code in (302, 403), path


def test_another_sites_coordinator_sees_none_of_it(client, site, other_site, other_coordinator):
    here = _person(name="Zainab")
    mentor = make_mentor()
    match = match_propose(participant=_person(name="Kofi"), mentor=mentor, by=None)
    sign_in(client, other_coordinator)
    pool = _page(client.get(POOL))
    assert "Zainab" not in pool and "Kofi" not in pool
    # A 404 of the admin is sent on to the language's site, which answers 404 too.
    assert client.get(_suggestions(here), follow=True).status_code == 404
    assert client.post(_suggestions(here), {"mentor": mentor.pk}, follow=True).status_code == 404
    assert client.get(_batch(site), follow=True).status_code == 404
    assert client.post(_batch(site), {"token": "x", "pair": "1:1"}, follow=True).status_code == 404
    assert "Kofi" not in _page(client.get(WAITING))
    assert client.post(WAITING, {"match": match.pk}, follow=True).status_code == 404
    match.refresh_from_db()
    assert match.status == Match.Status.PROPOSED
    assert Match.objects.count() == 1


# --- The pool and suggestions --------------------------------------------------------------------


def test_the_pool_lists_who_waits_with_the_rematch_flag(signed_in, site, other_site):
    waiting = _person(name="Zainab")
    flagged = _person(name="Ioana")
    ended = make_match(participant=flagged, status=Match.Status.ENDED)
    Match.objects.filter(pk=ended.pk).update(needs_rematch=True)
    make_match(participant=_person(name="Kofi"))  # has a mentor: not waiting
    _person(site=other_site, name="Lorenzo")  # another municipality
    page = _page(signed_in.get(POOL))
    assert "Zainab" in page and "Ioana" in page
    assert "Kofi" not in page and "Lorenzo" not in page
    assert page.count("Il mentore ha sospeso o lasciato") == 1
    with translation.override("it"):
        since = date_format(localtime(waiting.decided_at), "SHORT_DATE_FORMAT")
    assert since in page


def test_suggestions_show_reasons_and_propose_once(signed_in, coordinator, site):
    person = _person(name="Zainab")
    mentor = make_mentor(languages=["it"], capacity=2)
    page = _page(signed_in.get(_suggestions(person)))
    assert "parla italiano, come te" in page
    assert AccessLog.objects.filter(
        participant=person, actor=coordinator, details__page="mentor_suggestions"
    ).exists()
    first = signed_in.post(_suggestions(person), {"mentor": mentor.pk}, follow=True)
    assert "1 mentore proposto e confermato" in _page(first)
    second = signed_in.post(_suggestions(person), {"mentor": mentor.pk}, follow=True)
    assert "già stata fatta dal tuo primo clic" in _page(second)
    match = Match.objects.get()
    assert (match.participant_id, match.mentor_id, match.status) == (
        person.pk,
        mentor.pk,
        Match.Status.CONFIRMED,
    )
    assert match.events.count() == 2


def test_a_mentor_not_suggested_for_the_site_is_refused(signed_in, site, other_site):
    person = _person()
    stranger = make_mentor(site=other_site, languages=["it"])
    response = signed_in.post(_suggestions(person), {"mentor": stranger.pk}, follow=True)
    assert "Non proposto" in _page(response)
    assert not Match.objects.exists()
    response = signed_in.post(_suggestions(person), {"mentor": "abc"}, follow=True)
    assert "Scegli uno dei mentori suggeriti." in _page(response)


def test_nobody_fits_is_said(signed_in, site):
    person = _person()
    Participant.objects.filter(pk=person.pk).update(preferred_languages=["wo"])
    make_mentor(languages=["it"])
    page = _page(signed_in.get(_suggestions(person)))
    assert "Ora nessun mentore è adatto a questa persona." in page
    assert "nessuna lingua in comune: 1 mentore su 1" in page


# --- The batch ----------------------------------------------------------------------------------


def test_the_batch_proposes_the_ticked_pairs_once(signed_in, site):
    mentors = [make_mentor(languages=["it"], capacity=1) for _ in range(2)]
    people = [_person(name=name) for name in ("Zainab", "Ioana", "Kofi")]
    page = _page(signed_in.get(_batch(site)))
    token, pairs = _token_and_pairs(page)
    assert len(pairs) == 2  # two mentors with one place each
    assert "Senza mentore in questa proposta" in page
    kept, unticked = pairs
    data = {"token": token, "pair": [kept]}
    response = signed_in.post(_batch(site), data, follow=True)
    assert "1 mentore proposto e confermato" in _page(response)
    again = signed_in.post(_batch(site), data, follow=True)  # a double submit
    assert "già stata fatta dal tuo primo clic" in _page(again)
    (match,) = Match.objects.all()
    assert f"{match.participant_id}:{match.mentor_id}" == kept
    assert match.status == Match.Status.CONFIRMED
    assert match.mentor_id in {m.pk for m in mentors}
    assert match.participant_id in {p.pk for p in people}
    assert unticked not in {f"{m.participant_id}:{m.mentor_id}" for m in Match.objects.all()}


def test_a_pair_not_in_the_signed_proposal_or_a_bad_token_creates_nothing(signed_in, site):
    mentor = make_mentor(languages=["it"])
    person = _person()
    token, pairs = _token_and_pairs(_page(signed_in.get(_batch(site))))
    assert f"{person.pk}:{mentor.pk}" in pairs
    # Pairs typed in by hand are not in the signed proposal: nothing to propose.
    response = signed_in.post(_batch(site), {"token": token, "pair": ["999:999"]})
    assert response.status_code == 400
    assert "Spunta almeno una coppia da proporre." in _page(response)
    response = signed_in.post(_batch(site), {"token": token + "x", "pair": pairs})
    assert response.status_code == 400
    assert "Questa proposta è troppo vecchia o è stata modificata" in _page(response)
    assert not Match.objects.exists()


def test_a_token_for_another_site_is_refused(signed_in, coordinator, site, other_site):
    assign(coordinator, other_site)
    make_mentor(languages=["it"])
    _person()
    token, pairs = _token_and_pairs(_page(signed_in.get(_batch(site))))
    response = signed_in.post(_batch(other_site), {"token": token, "pair": pairs})
    assert response.status_code == 400
    assert "Questa proposta è per un altro comune." in _page(response)
    assert not Match.objects.exists()


# --- Waiting for the mentor -----------------------------------------------------------------------


def test_waiting_lists_with_history_and_confirms_a_proposal_once(signed_in, coordinator, site):
    proposed = match_propose(participant=_person(name="Zainab"), mentor=make_mentor(), by=None)
    make_match(participant=_person(name="Ioana"), status=Match.Status.CONFIRMED)
    make_match(participant=_person(name="Kofi"), status=Match.Status.ACCEPTED)
    page = _page(signed_in.get(WAITING))
    assert "Zainab" in page and "Ioana" in page and "Kofi" not in page
    assert "Conferma l'abbinamento per Zainab" in page
    for _ in range(2):
        signed_in.post(WAITING, {"match": proposed.pk})
    proposed.refresh_from_db()
    assert proposed.status == Match.Status.CONFIRMED
    assert list(proposed.events.values_list("status", flat=True)) == ["proposed", "confirmed"]


# --- The site's weights ---------------------------------------------------------------------------


def test_coordinators_edit_the_weights_of_their_own_sites_only(
    signed_in, site, other_site, other_coordinator
):
    url = "/admin/settings/mentors/matchingsettings/{}/"
    assert signed_in.get(url.format(site.pk)).status_code == 200
    # Wagtail answers a refused setting by sending the person back to the admin's home.
    refused = signed_in.get(url.format(other_site.pk))
    assert (refused.status_code, refused.url) == (302, "/admin/")
    response = signed_in.get("/admin/settings/mentors/matchingsettings/")
    assert response.status_code == 302 and response.url.endswith(url.format(site.pk))
    form = {
        "sector": "5",
        "needs": "3",
        "language": "1",
        "place": "1",
        "availability": "2",
        "load": "1",
        "threshold": "0.5",
    }
    refused = signed_in.post(url.format(other_site.pk), form)
    assert (refused.status_code, refused.url) == (302, "/admin/")
    assert signed_in.post(url.format(site.pk), form).status_code == 302
    assert MatchingSettings.for_site(site).sector == 5
    assert MatchingSettings.for_site(other_site).sector == 2
    assert Site.objects.count() == 2
