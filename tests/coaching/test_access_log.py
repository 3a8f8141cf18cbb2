"""Every staff view of a participant's personal data writes one access-log entry.

The list export (CSV and XLSX) names the filter used and the number of rows; the record
pages (inspect, edit, manage) and the staff intake steps name the participant. A coordinator
of another site gets a 404 and leaves no trace in the log.
"""

import re

import pytest
from django.db import IntegrityError, transaction
from wagtail.models import Page, Site

from coaching.models import AccessLog, Participant
from coaching.services.audit import access_log_record
from tests.coaching.factories import assign, make_participant, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site, site_coordinator, user_with_role):
    other_site = Site.objects.create(
        hostname="altro.example.org", port=80, root_page=Page.objects.get(depth=2)
    )
    submitted = [make_participant(status="submitted") for _ in range(3)]
    make_participant(status="draft")
    make_participant(site=other_site, status="submitted")
    return {
        "coordinator": site_coordinator,
        "other_coordinator": assign(user_with_role("Coordinator", is_staff=True), site=other_site),
        "person": submitted[0],
    }


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_export_logs_format_filter_and_row_count(client, world, export_format):
    sign_in(client, world["coordinator"])
    response = client.get(f"/admin/coaching_participant/?export={export_format}&status=submitted")
    assert response.status_code == 200
    b"".join(response.streaming_content)
    entry = AccessLog.objects.get()
    assert entry.action == AccessLog.Action.EXPORT_PARTICIPANTS
    assert entry.actor == world["coordinator"]
    assert entry.participant is None
    assert entry.details == {
        "format": export_format,
        "rows": 3,
        "filters": {"status": {"value": "submitted", "label": "In attesa di decisione"}},
    }


def test_export_logs_the_search_and_counts_only_what_was_exported(client, world):
    person = world["person"]
    sign_in(client, world["coordinator"])
    client.get(f"/admin/coaching_participant/?export=csv&q={person.reference}")
    entry = AccessLog.objects.get()
    assert entry.details == {
        "format": "csv",
        "rows": 1,
        "filters": {},
        "search": person.reference,
    }


def test_export_without_filter_counts_the_coordinators_own_site_only(client, world):
    sign_in(client, world["coordinator"])
    client.get("/admin/coaching_participant/?export=csv")
    assert AccessLog.objects.get().details == {"format": "csv", "rows": 4, "filters": {}}


def test_export_logs_a_yes_no_filter_in_words(client, world):
    sign_in(client, world["coordinator"])
    client.get("/admin/coaching_participant/?export=csv&erasure_requested=true")
    assert AccessLog.objects.get().details == {
        "format": "csv",
        "rows": 0,
        "filters": {"erasure_requested": {"value": "true", "label": "Sì"}},
    }


def test_browsing_the_list_is_not_an_export(client, world):
    sign_in(client, world["coordinator"])
    assert client.get("/admin/coaching_participant/?status=submitted").status_code == 200
    assert not AccessLog.objects.exists()


VIEWS = {
    "/admin/coaching_participant/inspect/{pk}/": ("view_participant", {"page": "inspect"}),
    "/admin/coaching_participant/edit/{pk}/": ("view_participant", {"page": "edit"}),
    "/admin/coaching/participant/{pk}/manage/": ("view_participant", {"page": "manage"}),
    "/admin/coaching_participant/history/{pk}/": ("view_participant", {"page": "history"}),
    "/it/path/staff/{pk}/review/": ("view_intake", {"step": "review"}),
    "/it/path/staff/{pk}/contact/": ("view_intake", {"step": "contact"}),
    "/it/path/staff/{pk}/about/": ("view_intake", {"step": "about"}),
    "/it/path/staff/{pk}/work/": ("view_intake", {"step": "work"}),
    "/it/path/staff/{pk}/special/": ("view_sensitive", {"step": "special"}),
}


@pytest.mark.parametrize(("url", "expected"), VIEWS.items())
def test_each_staff_view_writes_one_entry(client, world, url, expected):
    person = world["person"]
    sign_in(client, world["coordinator"])
    response = client.get(url.format(pk=person.pk))
    assert response.status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.action, entry.details) == expected
    assert entry.actor == world["coordinator"]
    assert entry.participant == person


@pytest.mark.parametrize("url", VIEWS)
def test_another_sites_coordinator_gets_404_and_no_entry(client, world, url):
    sign_in(client, world["other_coordinator"])
    response = client.get(url.format(pk=world["person"].pk), follow=url.startswith("/admin/"))
    assert response.status_code == 404
    assert not AccessLog.objects.exists()


def test_a_failed_save_on_the_staff_step_is_one_logged_view(client, world):
    """The form comes back with what staff typed, on a page that shows the stored record."""
    sign_in(client, world["coordinator"])
    response = client.post(
        f"/it/path/staff/{world['person'].pk}/contact/", {"phone": "", "municipality": ""}
    )
    assert response.status_code == 400
    entry = AccessLog.objects.get()
    assert (entry.action, entry.details) == ("view_intake", {"step": "contact"})
    assert (entry.actor, entry.participant) == (world["coordinator"], world["person"])


def test_a_refused_change_of_locked_answers_shows_them_and_is_logged(client, world):
    """After acceptance the entry answers are shown as text, also on the page that comes back."""
    from tests.coaching.factories import COMPLETE_ANSWERS

    person = make_participant(status="eligible", by=world["coordinator"])
    sign_in(client, world["coordinator"])
    response = client.post(
        f"/it/path/staff/{person.pk}/about/",
        {**COMPLETE_ANSWERS["about"], "birth_year": "not a year"},
    )
    assert response.status_code == 400
    assert "Di un paese fuori dall&#x27;Unione europea" in response.content.decode()
    entry = AccessLog.objects.get()
    assert (entry.action, entry.details, entry.participant) == (
        "view_intake",
        {"step": "about"},
        person,
    )


def test_the_history_page_is_named_in_the_log_listing(client, world):
    sign_in(client, world["coordinator"])
    client.get(f"/admin/coaching_participant/history/{world['person'].pk}/")
    html = client.get("/admin/coaching_access_log/").content.decode()
    # The summary cell (the admin's menu says "Storico sito" anyway).
    assert re.search(r"<td\s*>\s*Storico\s*</td>", html)


def test_access_log_listing_shows_rows_and_filters(client, world):
    sign_in(client, world["coordinator"])
    client.get("/admin/coaching_participant/?export=xlsx&status=submitted")
    client.get(f"/admin/coaching_participant/inspect/{world['person'].pk}/")
    html = client.get("/admin/coaching_access_log/").content.decode()
    assert "Esportato l&#x27;elenco dei partecipanti" in html
    assert "3 righe" in html
    assert "XLSX · Stato: In attesa di decisione" in html
    assert "Visualizzata la scheda di una persona" in html
    assert "Pagina di dettaglio" in html
    assert str(world["person"]) in html


def test_coordinators_see_their_own_exports_not_other_sites(client, world):
    sign_in(client, world["other_coordinator"])
    client.get("/admin/coaching_participant/?export=csv")
    sign_in(client, world["coordinator"])
    client.get("/admin/coaching_participant/?export=csv")
    html = client.get("/admin/coaching_access_log/").content.decode()
    assert html.count("1 riga") == 0
    assert "4 righe" in html


def test_only_an_export_may_name_no_participant(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        access_log_record(
            actor=world["coordinator"], participant=None, action=AccessLog.Action.VIEW_INTAKE
        )
    assert Participant.objects.exists()
