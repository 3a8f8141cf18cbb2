"""The plan list, starting a plan, its overview and settings, through the views: who may
open what (owner, the mentor it is shared with, coordinators, everyone else, other sites)."""

import re
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from wagtail.models import Site

from coaching.models import StaffSiteAssignment
from coaching.plans.models import BusinessPlan, CallRules, PlanTemplate
from coaching.plans.services.editing import section_save
from tests.coaching.factories import make_participant, sign_in
from tests.factories import user_with_role
from tests.mentors.factories import make_match
from tests.plans.factories import make_plan, make_template

pytestmark = pytest.mark.django_db

OTHER_HOST = "altro.example.org"


@dataclass
class World:
    """One plan and everyone around it."""

    plan: BusinessPlan
    owner: object
    mentor: object
    coordinator: object
    stranger: object
    elsewhere_coordinator: object
    _clients: dict = field(default_factory=dict)

    def client(self, who: str) -> Client:
        """Signed in as a person does (staff with their second factor), once per person."""
        if who not in self._clients:
            client = Client()
            sign_in(client, getattr(self, who))
            self._clients[who] = client
        return self._clients[who]


def make_world(*, site, other_site, keys=("summary", "founder", "market")) -> World:
    """A plan on ``site`` shared with the owner's mentor (an accepted match), a coordinator
    of the site, another participant of it, and a coordinator of ``other_site``."""
    owner = make_participant(site=site, status="eligible")
    template = make_template(site=site, keys=keys, is_default=False, name=f"Piano {len(keys)}")
    plan = make_plan(participant=owner, template=template)
    match = make_match(participant=owner, site=site)
    BusinessPlan.objects.filter(pk=plan.pk).update(shared_with=match.mentor.user)
    coordinator = user_with_role("Coordinator", is_staff=True)
    StaffSiteAssignment.objects.create(user=coordinator, site=site)
    elsewhere = user_with_role("Coordinator", is_staff=True)
    StaffSiteAssignment.objects.create(user=elsewhere, site=other_site)
    stranger = make_participant(site=site, status="eligible").user
    return World(
        plan=BusinessPlan.objects.get(pk=plan.pk),
        owner=owner.user,
        mentor=match.mentor.user,
        coordinator=coordinator,
        stranger=stranger,
        elsewhere_coordinator=elsewhere,
    )


@pytest.fixture
def world(site, other_site):
    return make_world(site=site, other_site=other_site)


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


# --- The list ----------------------------------------------------------------------------


def test_the_list_shows_own_plans_with_progress_and_the_mentors_shared_plans(world):
    section = world.plan.sections.get(kind="section", key="summary")
    section_save(section=section, text="Vendo pane", base_revision=0, done=True, by=None)
    response = world.client("owner").get("/en/plans/")
    assert response.status_code == 200
    main = _main(response)
    assert "Il mio piano" in main
    assert "1 of 3 sections done" in main
    assert "Start a new plan" in main
    assert "Plans shared with you" not in main

    main = _main(world.client("mentor").get("/en/plans/"))
    assert "Plans shared with you" in main
    assert f"/en/plans/{world.plan.pk}/" in main
    assert "Start a new plan" not in main


def test_the_list_asks_a_person_not_on_the_path_to_join_it(site):
    person = make_participant(site=site, status="submitted")
    client = Client()
    client.force_login(person.user)
    main = _main(client.get("/en/plans/"))
    assert "You can start a business plan once you are on the path." in main
    assert "/en/plans/new/" not in main


def test_the_list_needs_a_sign_in(client):
    response = client.get("/en/plans/")
    assert response.status_code == 302


# --- Starting a plan -----------------------------------------------------------------------


def _key(response) -> str:
    return re.search(r'name="key" value="([^"]+)"', response.content.decode()).group(1)


def test_starting_a_plan_with_the_suggested_outline_in_the_active_language(site):
    make_template(site=site, language="it", name="Piano italiano")
    english = make_template(site=site, language="en", name="English plan")
    person = make_participant(site=site, status="eligible")
    client = Client()
    client.force_login(person.user)
    page = client.get("/en/plans/new/")
    assert page.status_code == 200
    assert re.search(r'<option value="en" selected>', page.content.decode())
    response = client.post(
        "/en/plans/new/",
        {"title": "Forno", "language": "en", "template": "", "key": _key(page)},
    )
    plan = BusinessPlan.objects.get(participant=person)
    assert response.status_code == 302
    assert response["Location"] == f"/en/plans/{plan.pk}/"
    assert (plan.title, plan.language, plan.template) == ("Forno", "en", english)
    assert plan.sections.filter(kind="section").count() == 3
    assert plan.sections.filter(kind="canvas").count() == 9


def test_a_double_click_starts_one_plan(site):
    make_template(site=site)
    person = make_participant(site=site, status="eligible")
    client = Client()
    client.force_login(person.user)
    key = _key(client.get("/it/plans/new/"))
    data = {"title": "Forno", "language": "it", "template": "", "key": key}
    first = client.post("/it/plans/new/", data)
    second = client.post("/it/plans/new/", data)
    assert BusinessPlan.objects.filter(participant=person).count() == 1
    plan = BusinessPlan.objects.get(participant=person)
    assert first["Location"] == second["Location"] == f"/it/plans/{plan.pk}/"


def test_an_outline_in_another_language_is_refused_and_the_form_keeps_what_was_typed(site):
    english = make_template(site=site, language="en")
    make_template(site=site, language="it")
    person = make_participant(site=site, status="eligible")
    client = Client()
    client.force_login(person.user)
    key = _key(client.get("/en/plans/new/"))
    response = client.post(
        "/en/plans/new/",
        {"title": "Forno <b>buono</b>", "language": "it", "template": english.pk, "key": key},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This outline is written in English" in html
    assert 'value="Forno &lt;b&gt;buono&lt;/b&gt;"' in html
    assert not BusinessPlan.objects.filter(participant=person).exists()


def test_a_missing_form_key_is_an_expired_form_not_a_500(site):
    make_template(site=site)
    person = make_participant(site=site, status="eligible")
    client = Client()
    client.force_login(person.user)
    response = client.post("/en/plans/new/", {"title": "Forno", "language": "it"})
    assert response.status_code == 400
    assert "This form has expired" in response.content.decode()


def test_a_call_of_another_site_cannot_be_chosen(site, other_site):
    make_template(site=site)
    theirs = CallRules.objects.create(site=other_site, name="Bando altrove")
    person = make_participant(site=site, status="eligible")
    client = Client()
    client.force_login(person.user)
    key = _key(client.get("/en/plans/new/"))
    response = client.post(
        "/en/plans/new/",
        {"title": "Forno", "language": "it", "call_rules": theirs.pk, "key": key},
    )
    assert response.status_code == 400
    assert not BusinessPlan.objects.filter(participant=person).exists()


def test_only_a_person_on_the_path_starts_a_plan(site):
    make_template(site=site)
    person = make_participant(site=site, status="submitted")
    client = Client()
    client.force_login(person.user)
    assert client.get("/en/plans/new/").status_code == 403
    response = client.post("/en/plans/new/", {"title": "Forno", "language": "it", "key": "x" * 8})
    assert response.status_code == 403
    assert not BusinessPlan.objects.exists()


def test_a_site_without_outline_still_starts_a_plan(site):
    person = make_participant(site=site, status="eligible")
    client = Client()
    client.force_login(person.user)
    page = client.get("/en/plans/new/")
    assert page.status_code == 200
    response = client.post(
        "/en/plans/new/", {"title": "Forno", "language": "it", "key": _key(page)}
    )
    assert response.status_code == 302
    plan = BusinessPlan.objects.get(participant=person)
    # The defaults (when the admin's module installs them) or the canvas alone.
    assert plan.sections.filter(kind="canvas").count() == 9
    if PlanTemplate.objects.filter(site=site).exists():
        assert plan.template is not None


# --- Overview and access ---------------------------------------------------------------------


READERS = ("owner", "mentor", "coordinator")
NOBODY = ("stranger", "elsewhere_coordinator")


@pytest.mark.parametrize("who", READERS)
def test_the_owner_the_mentor_and_a_coordinator_open_the_overview(world, who):
    response = world.client(who).get(f"/en/plans/{world.plan.pk}/")
    assert response.status_code == 200
    main = _main(response)
    assert "Il mio piano" in main
    assert f"/en/plans/{world.plan.pk}/canvas/" in main
    for name in ("finance", "versions", "history", "pdf", "xlsx"):
        try:
            with translation.override("en"):
                url = reverse(f"plans:{name}", args=[world.plan.pk])
        except NoReverseMatch:  # that part of the app is not wired in this checkout
            continue
        assert f'href="{url}"' in main, name
    assert (f"/en/plans/{world.plan.pk}/settings/" in main) == (who == "owner")


@pytest.mark.parametrize("who", NOBODY)
def test_anyone_else_gets_a_404(world, who):
    for url in (f"/en/plans/{world.plan.pk}/", f"/en/plans/{world.plan.pk}/settings/"):
        assert world.client(who).get(url).status_code == 404


def test_a_plan_is_not_opened_through_another_site(world, other_site):
    client = world.client("owner")
    assert client.get(f"/en/plans/{world.plan.pk}/", HTTP_HOST=OTHER_HOST).status_code == 404


def test_a_mentor_whose_match_ended_no_longer_reads(world):
    from mentors.models import Match

    Match.objects.filter(mentor__user=world.mentor).update(status=Match.Status.ENDED)
    assert world.client("mentor").get(f"/en/plans/{world.plan.pk}/").status_code == 404


def test_a_bad_plan_id_is_a_404(world):
    assert world.client("owner").get("/en/plans/999999/").status_code == 404


def test_the_overview_counts_progress_per_section_and_for_the_plan(world):
    sections = {s.key: s for s in world.plan.sections.filter(kind="section")}
    section_save(section=sections["summary"], text="Fatto", base_revision=0, done=True, by=None)
    section_save(section=sections["founder"], text="Iniziato", base_revision=0, done=None, by=None)
    box = world.plan.sections.get(kind="canvas", key="problem")
    section_save(section=box, text="Pane caro", base_revision=0, done=None, by=None)
    main = _main(world.client("owner").get(f"/en/plans/{world.plan.pk}/"))
    assert "1 of 3 sections done" in main
    assert "1 started, 1 not started" in main
    assert 'value="33"' in main
    assert "1 of 9 boxes filled." in main
    assert main.count(">Done</span>") == 1
    assert main.count(">Started</span>") == 1
    assert main.count(">Not started</span>") == 1


def test_the_overview_lists_texts_waiting_for_a_choice_to_the_owner_only(world):
    section = world.plan.sections.get(kind="section", key="market")
    section_save(section=section, text="Dal telefono", base_revision=0, done=None, by=None)
    section_save(section=section, text="Dal portatile", base_revision=0, done=None, by=None)
    conflict_url = f"/en/plans/{world.plan.pk}/section/market/conflict/"
    assert conflict_url in _main(world.client("owner").get(f"/en/plans/{world.plan.pk}/"))
    assert conflict_url not in _main(world.client("mentor").get(f"/en/plans/{world.plan.pk}/"))


def _overview_queries(site, other_site, keys) -> int:
    world = make_world(site=site, other_site=other_site, keys=keys)
    client = world.client("owner")
    client.get(f"/en/plans/{world.plan.pk}/")  # warm the caches (site, locale)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/en/plans/{world.plan.pk}/").status_code == 200
    return len(queries)


def test_the_overview_makes_as_many_queries_for_twelve_sections_as_for_three(site, other_site):
    few = _overview_queries(site, other_site, keys=("a", "b", "c"))
    many = _overview_queries(site, other_site, keys=tuple(f"s{n}" for n in range(12)))
    assert few == many


# --- Settings --------------------------------------------------------------------------------


def test_the_owner_renames_the_plan_and_aims_it_at_a_call(world, site):
    call = CallRules.objects.create(site=site, name="Bando 2026", is_open_for_plans=True)
    client = world.client("owner")
    page = client.get(f"/en/plans/{world.plan.pk}/settings/")
    assert page.status_code == 200
    response = client.post(
        f"/en/plans/{world.plan.pk}/settings/",
        {"title": "Forno di via Roma", "call_rules": call.pk},
    )
    assert response.status_code == 302
    world.plan.refresh_from_db()
    assert (world.plan.title, world.plan.call_rules) == ("Forno di via Roma", call)


def test_an_empty_name_is_refused_with_a_field_error(world):
    response = world.client("owner").post(f"/en/plans/{world.plan.pk}/settings/", {"title": ""})
    assert response.status_code == 400
    assert "Give your plan a name" in response.content.decode()


@pytest.mark.parametrize("who", ("mentor", "coordinator", "stranger"))
def test_only_the_owner_changes_the_settings(world, who):
    response = world.client(who).post(f"/en/plans/{world.plan.pk}/settings/", {"title": "Preso"})
    assert response.status_code == 404
    world.plan.refresh_from_db()
    assert world.plan.title == "Il mio piano"


# --- Dashboard -----------------------------------------------------------------------------


def test_the_dashboard_shows_the_participants_plans(world):
    main = _main(world.client("owner").get("/en/path/dashboard/"))
    assert "My business plans" in main
    assert f"/en/plans/{world.plan.pk}/" in main


def test_the_dashboard_offers_an_eligible_participant_to_start_a_plan(site):
    person = make_participant(site=Site.objects.get(pk=site.pk), status="eligible")
    client = Client()
    client.force_login(person.user)
    main = _main(client.get("/en/path/dashboard/"))
    assert "/en/plans/new/" in main
