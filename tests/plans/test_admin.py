"""Business plans in the Wagtail admin: each site's coordinators keep its plan templates and
call rules and read its plans; another site's coordinator lists, opens and changes none of
them, a participant does not get into the admin, and every download and plan opened is in
the access log."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coaching.conf import app_settings
from coaching.models import AccessLog
from coaching.plans.models import CallRules, CategoryRule, PlanTemplate
from coaching.plans.roles import COORDINATOR_PERMISSIONS
from tests.coaching.factories import assign, sign_in
from tests.plans.factories import make_plan, make_template

pytestmark = pytest.mark.django_db

TEMPLATES = "/admin/plans_template/"
RULES = "/admin/plans_call_rules/"
PLANS = "/admin/plans_business_plan/"


@pytest.fixture
def ours(site, coordinator):
    return assign(coordinator, site)


@pytest.fixture
def theirs(other_site, user_with_role):
    return assign(user_with_role("Coordinator", is_staff=True), other_site)


@pytest.fixture
def records(site, other_site):
    """A template, a call and a plan on each site."""
    here = make_plan(site=site, title="Forno di quartiere")
    there = make_plan(site=other_site, title="Sartoria altrove")
    rules_here = CallRules.objects.create(site=site, name="Microcredito Nostro")
    rules_there = CallRules.objects.create(site=other_site, name="Bando Altrove")
    CategoryRule.objects.create(rules=rules_there, category="vehicles", ineligible=True)
    return {
        "plan": here,
        "other_plan": there,
        "template": here.template,
        "other_template": there.template,
        "rules": rules_here,
        "other_rules": rules_there,
    }


def _refused(response) -> bool:
    """Wagtail answers a missing permission by sending the user to the admin home. (A 404
    under ``/admin/`` is sent on to ``/it/admin/…`` by the locale middleware, where it is a
    404: hence ``follow=True`` for those.)"""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def _template_form(site, **overrides) -> dict:
    data = {
        "site": site.pk,
        "name": "Piano breve",
        "language": "it",
        "description": "",
        "sections-TOTAL_FORMS": "1",
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "1",
        "sections-MAX_NUM_FORMS": "1000",
        "sections-0-key": "idea",
        "sections-0-title": "L'idea",
        "sections-0-prompt": "Che cosa vuoi fare?",
        "sections-0-example": "",
        "sections-0-words_min": "",
        "sections-0-words_max": "",
        "sections-0-canvas_boxes": ["problem", "value"],
        "sections-0-ORDER": "1",
        "sections-0-DELETE": "",
    }
    data.update(overrides)
    return data


def _ticked(form: str) -> set[str]:
    return set(re.findall(r'name="sections-0-canvas_boxes" value="(\w+)"[^>]*checked', form))


def test_coordinators_hold_the_plans_permissions():
    group = Group.objects.get(name=app_settings.COORDINATOR_GROUP)
    held = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }
    assert set(COORDINATOR_PERMISSIONS) <= held
    assert "plans.change_businessplan" not in held


def test_the_lists_show_the_coordinators_sites_only(client, ours, records):
    sign_in(client, ours)
    body = client.get(TEMPLATES).content.decode()
    assert str(records["template"].pk) in body and "Piano it" in body
    assert f"{TEMPLATES}edit/{records['other_template'].pk}/" not in body
    body = client.get(RULES).content.decode()
    assert "Microcredito Nostro" in body and "Bando Altrove" not in body
    body = client.get(PLANS).content.decode()
    assert "Forno di quartiere" in body and "Sartoria altrove" not in body
    assert records["plan"].participant.reference in body


@pytest.mark.parametrize(
    "url",
    [
        TEMPLATES + "edit/{other_template}/",
        TEMPLATES + "delete/{other_template}/",
        TEMPLATES + "history/{other_template}/",
        RULES + "edit/{other_rules}/",
        RULES + "delete/{other_rules}/",
        RULES + "history/{other_rules}/",
        PLANS + "inspect/{other_plan}/",
        PLANS + "history/{other_plan}/",
    ],
)
def test_another_sites_records_are_not_found(client, ours, records, url):
    sign_in(client, ours)
    ids = {key: value.pk for key, value in records.items()}
    assert client.get(url.format(**ids), follow=True).status_code == 404


def test_another_sites_template_and_rules_cannot_be_changed_or_deleted(client, ours, records):
    sign_in(client, ours)
    other = records["other_template"]
    response = client.post(
        f"{TEMPLATES}edit/{other.pk}/", _template_form(other.site, name="Rubato"), follow=True
    )
    assert response.status_code == 404
    assert PlanTemplate.objects.get(pk=other.pk).name == other.name
    response = client.post(f"{RULES}delete/{records['other_rules'].pk}/", follow=True)
    assert response.status_code == 404
    assert CallRules.objects.filter(pk=records["other_rules"].pk).exists()


def test_a_coordinator_adds_a_template_with_canvas_boxes_on_their_site_only(
    client, site, other_site, ours
):
    sign_in(client, ours)
    form = client.get(f"{TEMPLATES}new/").content.decode()
    assert 'type="checkbox"' in form and 'value="advantage"' in form
    # Another site is not among the choices.
    response = client.post(f"{TEMPLATES}new/", _template_form(other_site))
    assert response.status_code == 200
    assert not PlanTemplate.objects.filter(name="Piano breve").exists()
    response = client.post(
        f"{TEMPLATES}new/",
        _template_form(site, **{"sections-0-canvas_boxes": ["value", "nonsense", "problem"]}),
    )
    assert response.status_code == 302
    template = PlanTemplate.objects.get(name="Piano breve")
    assert template.site == site
    # Stored in the canvas order, and only known boxes.
    assert template.sections.get().canvas_boxes == ["problem", "value"]
    form = client.get(f"{TEMPLATES}edit/{template.pk}/").content.decode()
    assert _ticked(form) == {"problem", "value"}
    # A form sent back with a mistake keeps what was ticked.
    response = client.post(
        f"{TEMPLATES}edit/{template.pk}/",
        _template_form(site, name="", **{"sections-0-canvas_boxes": ["costs"]}),
    )
    assert response.status_code == 200
    assert _ticked(response.content.decode()) == {"costs"}


def _lesson(home, title):
    """A lesson in the library under ``home`` (the library made once per home)."""
    from resources.models import LibraryIndexPage
    from tests.resources.factories import LessonPageFactory, LibraryIndexPageFactory

    library = LibraryIndexPage.objects.child_of(home).first() or LibraryIndexPageFactory(
        parent=home
    )
    return LessonPageFactory(parent=library, title=title)


def test_a_section_offers_and_takes_only_lessons_of_the_templates_site(
    client, site, other_site, home_page, english_home, ours
):
    ours_lesson = _lesson(home_page, "Aprire la partita IVA")
    english_lesson = _lesson(english_home, "Opening a VAT number")
    theirs_lesson = _lesson(other_site.root_page, "Lezione di Altrove")
    sign_in(client, ours)
    form = client.get(f"{TEMPLATES}new/").content.decode()
    assert "Aprire la partita IVA" in form and "Opening a VAT number" in form
    assert "Lezione di Altrove" not in form
    # Another site's page posted by hand is not a choice: refused, and the rest is kept.
    response = client.post(
        f"{TEMPLATES}new/", _template_form(site, **{"sections-0-lessons": [theirs_lesson.pk]})
    )
    assert response.status_code == 200
    assert not PlanTemplate.objects.filter(name="Piano breve").exists()
    assert "Che cosa vuoi fare?" in response.content.decode()
    response = client.post(
        f"{TEMPLATES}new/",
        _template_form(site, **{"sections-0-lessons": [ours_lesson.pk, english_lesson.pk]}),
    )
    assert response.status_code == 302
    section = PlanTemplate.objects.get(name="Piano breve").sections.get()
    # Saved with the template (the inline panel's many-to-many is written, not just held).
    assert {page.pk for page in section.lessons.all()} == {ours_lesson.pk, english_lesson.pk}
    # Editing the Italian template offers the Italian lessons, and those it links already.
    _lesson(english_home, "Pricing your work")
    form = client.get(f"{TEMPLATES}edit/{section.template_id}/").content.decode()
    assert "Aprire la partita IVA (it)" in form and "Opening a VAT number (en)" in form
    assert "Pricing your work" not in form


def test_a_coordinator_of_two_sites_cannot_link_one_sites_lesson_from_the_others_template(
    client, site, other_site, home_page, ours
):
    assign(ours, other_site)
    ours_lesson = _lesson(home_page, "Aprire la partita IVA")
    sign_in(client, ours)
    response = client.post(
        f"{TEMPLATES}new/",
        _template_form(other_site, **{"sections-0-lessons": [ours_lesson.pk]}),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Aprire la partita IVA" in body and "Altrove" in body
    assert "Non è una pagina di Altrove" in body
    assert not PlanTemplate.objects.filter(name="Piano breve").exists()


def test_a_coordinator_edits_their_call_rules_with_a_category_rule(client, site, ours, records):
    sign_in(client, ours)
    rules = records["rules"]
    response = client.post(
        f"{RULES}edit/{rules.pk}/",
        {
            "site": site.pk,
            "name": "Microcredito 2027",
            "min_grant": "1000",
            "max_grant": "5000",
            "is_open_for_plans": "on",
            "caps-TOTAL_FORMS": "1",
            "caps-INITIAL_FORMS": "0",
            "caps-MIN_NUM_FORMS": "0",
            "caps-MAX_NUM_FORMS": "1000",
            "caps-0-category": "marketing",
            "caps-0-max_percent": "20",
            "caps-0-DELETE": "",
        },
    )
    assert response.status_code == 302
    rules.refresh_from_db()
    assert rules.name == "Microcredito 2027"
    assert list(rules.caps.values_list("category", "max_percent")) == [("marketing", 20)]


def test_plans_are_read_only_in_the_admin(client, ours, records):
    sign_in(client, ours)
    plan = records["plan"]
    assert _refused(client.get(f"{PLANS}edit/{plan.pk}/"))
    assert _refused(client.post(f"{PLANS}delete/{plan.pk}/"))
    assert _refused(client.get(f"{PLANS}new/"))
    assert type(plan).objects.filter(pk=plan.pk).exists()


def test_opening_a_plan_is_logged_and_leads_to_its_overview(client, ours, records):
    sign_in(client, ours)
    plan = records["plan"]
    response = client.get(f"{PLANS}inspect/{plan.pk}/")
    assert response.status_code == 302
    # On the admin's own site: a path on this host (whatever host the site was given).
    assert response["Location"] == f"/it/plans/{plan.pk}/"
    entry = AccessLog.objects.get(actor=ours, action=AccessLog.Action.VIEW_PARTICIPANT)
    assert entry.participant == plan.participant
    assert entry.details == {"page": "business_plan", "plan": plan.pk}
    # Another site's plan: nothing is logged.
    client.get(f"{PLANS}inspect/{records['other_plan'].pk}/")
    assert AccessLog.objects.filter(participant=records["other_plan"].participant).count() == 0


def test_a_plan_of_the_coordinators_other_site_opens_on_that_sites_host(
    client, other_site, ours, records
):
    assign(ours, other_site)
    sign_in(client, ours)
    plan = records["other_plan"]
    response = client.get(f"{PLANS}inspect/{plan.pk}/")
    assert response["Location"] == f"http://altro.example.org/it/plans/{plan.pk}/"


def test_a_participant_cannot_open_the_admin(client, records):
    owner = records["plan"].participant.user
    sign_in(client, owner)
    for url in (TEMPLATES, RULES, PLANS, f"{PLANS}inspect/{records['plan'].pk}/"):
        response = client.get(url)
        # Sent away from the admin (to their own pages), never shown it.
        assert response.status_code == 302
        assert "/admin/" not in response["Location"]


def test_the_export_holds_the_coordinators_site_only_and_is_logged(client, site, ours, records):
    make_plan(site=site, title='=HYPERLINK("http://x")', template=records["template"])
    sign_in(client, ours)
    response = client.get(PLANS, {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    titles = sorted(row[0] for row in rows[1:])
    assert titles == ['\'=HYPERLINK("http://x")', "Forno di quartiere"]
    assert records["plan"].participant.reference in {row[1] for row in rows[1:]}
    assert "Sartoria altrove" not in str(rows)
    entry = AccessLog.objects.get(actor=ours, action=AccessLog.Action.EXPORT_PARTICIPANTS)
    assert entry.participant is None
    assert entry.details["report"] == "business_plans"
    assert (entry.details["format"], entry.details["rows"]) == ("csv", 2)


def test_the_export_of_the_other_site_holds_theirs_only(client, theirs, records):
    sign_in(client, theirs)
    response = client.get(PLANS, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[0] for row in rows[1:]] == ["Sartoria altrove"]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lists_make_the_same_queries_however_many_rows(client, site, ours, records):
    sign_in(client, ours)
    before = {url: _queries(client, url) for url in (TEMPLATES, RULES, PLANS)}
    for n in range(4):
        plan = make_plan(site=site, title=f"Piano {n}", template=records["template"])
        rules = CallRules.objects.create(site=site, name=f"Bando {n}")
        type(plan).objects.filter(pk=plan.pk).update(call_rules=rules)
        make_template(site=site, language="en", is_default=False, name=f"Template {n}")
    after = {url: _queries(client, url) for url in (TEMPLATES, RULES, PLANS)}
    assert after == before


def test_the_admin_menu_has_the_business_plans_for_coordinators(client, ours, records):
    sign_in(client, ours)
    body = client.get("/admin/", follow=True).content.decode()
    for url in (PLANS, TEMPLATES, RULES):
        assert url in body


def test_a_coordinator_deletes_their_call_rules_and_the_plan_aimed_at_it_stays(
    client, ours, records
):
    plan, rules = records["plan"], records["rules"]
    type(plan).objects.filter(pk=plan.pk).update(call_rules=rules)
    sign_in(client, ours)
    response = client.post(f"{RULES}delete/{rules.pk}/")
    assert response.status_code == 302
    assert not CallRules.objects.filter(pk=rules.pk).exists()
    plan.refresh_from_db()
    assert plan.call_rules is None
