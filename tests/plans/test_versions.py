"""Versions: made at every submission and on request (a double click makes one), compared
(texts word by word, numbers as a table), restored as a new version (and another tab's old
page then conflicts instead of overwriting), frozen only when ready and never changed after;
who may read, save and restore."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from coaching.plans.document import PlanDocument, snapshot
from coaching.plans.models import PlanVersion, StartupCost
from coaching.plans.services.editing import section_save
from coaching.plans.services.review import plan_mark_ready, plan_reopen, plan_submit
from coaching.plans.services.versions import (
    plan_freeze,
    version_create,
    version_request,
    version_restore,
    versions_compare,
)
from tests.plans.factories import make_plan
from tests.plans.test_review import _url, make_people

pytestmark = pytest.mark.django_db

Reason = PlanVersion.Reason


@pytest.fixture
def shared(site, other_site):
    return make_people(site=site, other_site=other_site, shared=True)


def _write(plan, key, text, kind="section", done=None):
    section = plan.sections.get(kind=kind, key=key)
    result = section_save(
        section=section, text=text, base_revision=section.revision, done=done, by=None
    )
    assert result.saved
    return result.section


def _cost(plan, amount, description="Forno", category="equipment"):
    return StartupCost.objects.create(
        plan=plan, category=category, description=description, amount=Decimal(amount)
    )


# --- Snapshots ------------------------------------------------------------------------------


def test_a_snapshot_holds_every_text_canvas_first_and_the_finance_inputs():
    plan = make_plan(language="en")
    _write(plan, "problem", "Bread is dear", kind="canvas")
    _write(plan, "market", "Families nearby", done=True)
    _cost(plan, "1200.50")
    data = snapshot(plan)
    assert data["schema"] == 1
    assert (data["title"], data["language"], data["status"]) == ("Il mio piano", "en", "draft")
    kinds = [part["kind"] for part in data["sections"]]
    assert kinds == ["canvas"] * 9 + ["section"] * 3
    problem = data["sections"][0]
    assert problem == {
        "kind": "canvas",
        "key": "problem",
        "title": "Problem",
        "text": "Bread is dear",
        "done": False,
    }
    market = next(p for p in data["sections"] if p["key"] == "market")
    assert (market["text"], market["done"], market["title"]) == (
        "Families nearby",
        True,
        "Section market",
    )
    assert data["finance"]["startup_costs"][0]["amount"] == "1200.50"
    document = PlanDocument(data)
    assert [box.title for box in document.canvas][:2] == ["Problem", "Customer segments"]
    assert document.figures.startup.net == Decimal("1200.50")


# --- Made at submission and on request --------------------------------------------------------


def test_a_version_is_kept_at_every_submission(shared):
    _write(shared.plan, "summary", "Un forno")
    plan_submit(plan=shared.plan, by=shared.owner)
    version = shared.plan.versions.get()
    assert (version.number, version.reason, version.frozen) == (1, Reason.SUBMITTED, False)
    texts = {p["key"]: p["text"] for p in version.data["sections"]}
    assert texts["summary"] == "Un forno"


def test_save_a_version_on_request_and_a_double_click_makes_one(shared):
    client = shared.client("owner")
    first = client.post(_url(shared.plan, "versions/"), {"label": "Prima della banca"})
    second = client.post(
        _url(shared.plan, "versions/"), {"label": "Prima della banca"}, follow=True
    )
    assert first.status_code == 302
    assert "Nothing has changed since version 1" in second.content.decode()
    version = shared.plan.versions.get()
    assert (version.reason, version.label, version.created_by) == (
        Reason.REQUESTED,
        "Prima della banca",
        shared.owner,
    )
    _write(shared.plan, "summary", "Cambiato")
    client.post(_url(shared.plan, "versions/"), {"label": ""})
    assert list(shared.plan.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    page = client.get(_url(shared.plan, "versions/")).content.decode()
    assert "Prima della banca" in page and "Version 2" in page


def test_a_too_long_label_is_refused_and_kept(shared):
    label = "x" * 200
    response = shared.client("owner").post(_url(shared.plan, "versions/"), {"label": label})
    assert response.status_code == 400
    assert label in response.content.decode()
    assert not shared.plan.versions.exists()


def test_version_numbers_rise_one_by_one(shared):
    numbers = [
        version_create(plan=shared.plan, by=shared.owner, reason=Reason.REQUESTED).number
        for _ in range(3)
    ]
    assert numbers == [1, 2, 3]


# --- Compare ----------------------------------------------------------------------------------


def _two_versions(people):
    plan = people.plan
    _write(plan, "summary", "Vendo pane a domicilio.")
    _write(plan, "market", "Le famiglie.")
    cost = _cost(plan, "1000.00")
    a, _ = version_request(plan=plan, by=people.owner, label="A")
    _write(plan, "summary", "Vendo pane e dolci a domicilio.")
    cost.amount = Decimal("1500.00")
    cost.save()
    _cost(plan, "300.00", description="Vetrina")
    b, _ = version_request(plan=plan, by=people.owner, label="B")
    return a, b


def test_compare_marks_words_taken_away_and_put_in_and_counts_the_changes(shared):
    a, b = _two_versions(shared)
    with translation.override("en"):
        comparison = versions_compare(a, b)
    changed = [c for c in comparison.sections if c.changed]
    assert [c.key for c in changed] == ["summary"]
    summary = changed[0]
    assert "<ins>" in summary.after and "dolci" in summary.after
    assert "<del>" not in summary.after
    assert "added:" in summary.after  # said in words, not by colour alone
    assert (summary.removed, summary.added) == (0, 2)
    lines = {row.label: row for row in comparison.lines}
    forno = lines["Start-up cost: Forno (Machinery, tools and furniture)"]
    assert (forno.before, forno.after, forno.difference) == (
        Decimal("1000.00"),
        Decimal("1500.00"),
        Decimal("500.00"),
    )
    vetrina = lines["Start-up cost: Vetrina (Machinery, tools and furniture)"]
    assert (vetrina.before, vetrina.after, vetrina.difference) == (None, Decimal("300.00"), None)
    totals = {row.label: row for row in comparison.totals}
    # 1000 → 1500 + 300 = 1800 before VAT: 800 more.
    assert totals["Start-up costs before VAT"].difference == Decimal("800.00")


def test_the_comparison_page_side_by_side_with_a_summary(shared):
    a, b = _two_versions(shared)
    response = shared.client("owner").get(_url(shared.plan, f"compare/?a={a.number}&b={b.number}"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 section changed" in page
    assert "<ins>" in page and "dolci" in page
    assert "Start-up cost: Forno" in page
    assert "+500" in page
    assert "Section summary" in page


def test_html_in_a_section_is_compared_as_text(shared):
    _write(shared.plan, "summary", "<b>prima</b>")
    a, _ = version_request(plan=shared.plan, by=shared.owner)
    _write(shared.plan, "summary", "<script>alert(1)</script>")
    b, _ = version_request(plan=shared.plan, by=shared.owner)
    page = shared.client("owner").get(_url(shared.plan, f"compare/?a={a.number}&b={b.number}"))
    html = page.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "query", ["a=1&b=99", "a=x&b=1", "a=&b=1", "a=-1&b=1", "a=1", "a=1&b=1e9", "b=2"]
)
def test_bad_version_numbers_are_a_404(shared, query):
    version_create(plan=shared.plan, by=shared.owner, reason=Reason.REQUESTED)
    response = shared.client("owner").get(_url(shared.plan, f"compare/?{query}"))
    assert response.status_code == 404


def test_another_plans_version_is_a_404(shared, site):
    version_create(plan=shared.plan, by=shared.owner, reason=Reason.REQUESTED)
    mine = make_plan(participant=shared.plan.participant, title="Secondo")
    version_create(plan=mine, by=shared.owner, reason=Reason.REQUESTED)
    version_create(plan=mine, by=shared.owner, reason=Reason.REQUESTED)
    client = shared.client("owner")
    assert client.get(_url(shared.plan, "compare/?a=1&b=2")).status_code == 404
    assert client.get(_url(shared.plan, "versions/2/")).status_code == 404
    assert client.get(_url(mine, "compare/?a=1&b=2")).status_code == 200


# --- Restore ----------------------------------------------------------------------------------


def test_restore_keeps_the_present_brings_the_old_back_as_a_new_version(shared):
    plan = shared.plan
    _write(plan, "summary", "Testo vecchio", done=True)
    cost = _cost(plan, "1000.00")
    old, _ = version_request(plan=plan, by=shared.owner)
    _write(plan, "summary", "Testo nuovo", done=False)
    cost.amount = Decimal("2000.00")
    cost.save()
    # Another tab is open on the section as it is now.
    stale = plan.sections.get(kind="section", key="summary")

    client = shared.client("owner")
    confirm = client.get(_url(plan, f"versions/{old.number}/restore/"))
    assert confirm.status_code == 200
    assert "Restore version 1?" in confirm.content.decode()
    assert plan.versions.count() == 1  # asking changes nothing
    response = client.post(_url(plan, f"versions/{old.number}/restore/"))
    assert response.status_code == 302

    versions = list(plan.versions.order_by("number"))
    assert [(v.number, v.reason) for v in versions] == [
        (1, Reason.REQUESTED),
        (2, Reason.BEFORE_RESTORE),
        (3, Reason.RESTORED),
    ]
    assert versions[2].restored_from == old
    kept = {p["key"]: p["text"] for p in versions[1].data["sections"]}
    assert kept["summary"] == "Testo nuovo"
    section = plan.sections.get(kind="section", key="summary")
    assert (section.text, section.done) == ("Testo vecchio", True)
    assert section.revision == stale.revision + 1
    assert [c.amount for c in plan.startup_costs.all()] == [Decimal("1000.00")]

    # The other tab saves from its old page: kept as a conflict, the restored text stays.
    result = section_save(
        section=stale, text="Dal vecchio tab", base_revision=stale.revision, done=None, by=None
    )
    assert not result.saved
    section.refresh_from_db()
    assert section.text == "Testo vecchio"
    assert result.conflict.text == "Dal vecchio tab"


def test_a_version_kept_before_a_field_existed_restores_with_its_defaults(shared):
    """A snapshot from an older release lacks fields (and holds nulls): restoring it and
    opening its forecast form take the model's defaults instead of failing."""
    plan = shared.plan
    _cost(plan, "1000.00")
    old, _ = version_request(plan=plan, by=shared.owner)
    finance = old.data["finance"]
    finance["startup_costs"] = [
        {"category": "equipment", "description": "Forno", "amount": "800", "vat_rate": ""}
    ]
    finance["funding"] = [{"kind": "savings", "amount": None}]
    finance["running_costs"] = [{"description": "Affitto", "monthly_amount": "300"}]
    finance["forecast"] = {"monthly_revenue": ["1000", "", None], "growth_year2": None}
    PlanVersion.objects.filter(pk=old.pk).update(data=old.data)
    old.refresh_from_db()

    response = shared.client("owner").post(_url(plan, f"versions/{old.number}/restore/"))
    assert response.status_code == 302

    cost = plan.startup_costs.get()
    assert (cost.amount, cost.vat_rate, cost.vat_recoverable) == (Decimal("800"), "22", False)
    assert plan.funding.get().amount == Decimal("0")
    assert plan.running_costs.get().starts_month == 1
    forecast = plan.forecast
    forecast.refresh_from_db()
    assert forecast.monthly_revenue[:3] == ["1000.00", "0.00", "0.00"]
    assert forecast.growth_year2 == Decimal("0")
    page = shared.client("owner").get(_url(plan, "money/forecast/"))
    assert page.status_code == 200


def test_restore_only_while_the_plan_is_editable(shared):
    old = version_create(plan=shared.plan, by=shared.owner, reason=Reason.REQUESTED)
    plan_submit(plan=shared.plan, by=shared.owner)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        version_restore(plan=shared.plan, version=old, by=shared.owner)
    assert "cannot be changed now" in error.value.messages[0]
    response = shared.client("owner").post(_url(shared.plan, f"versions/{old.number}/restore/"))
    assert response.status_code == 400
    assert "cannot be changed now" in response.content.decode()
    assert shared.plan.versions.count() == 2


def test_only_the_owner_restores(shared):
    old = version_create(plan=shared.plan, by=shared.owner, reason=Reason.REQUESTED)
    for who in ("mentor", "coordinator", "stranger"):
        url = _url(shared.plan, f"versions/{old.number}/restore/")
        assert shared.client(who).post(url).status_code == 404
    with pytest.raises(PermissionDenied):
        version_restore(plan=shared.plan, version=old, by=shared.mentor)
    assert shared.plan.versions.count() == 1


# --- Freeze -----------------------------------------------------------------------------------


def test_only_a_ready_plan_freezes_and_its_frozen_version_never_changes(shared):
    _write(shared.plan, "summary", "Versione per il bando")
    _cost(shared.plan, "900.00")
    with pytest.raises(ValidationError):
        plan_freeze(plan=shared.plan, by=shared.owner)
    plan_submit(plan=shared.plan, by=shared.owner)
    with pytest.raises(ValidationError):
        plan_freeze(plan=shared.plan, by=shared.owner)
    plan_mark_ready(plan=shared.plan, by=shared.mentor)
    frozen = plan_freeze(plan=shared.plan, by=shared.owner)
    assert (frozen.frozen, frozen.reason) == (True, Reason.FROZEN)
    assert plan_freeze(plan=shared.plan, by=shared.owner) == frozen  # asked twice: one
    data = frozen.data

    plan_reopen(plan=shared.plan, by=shared.owner)
    _write(shared.plan, "summary", "Cambiato dopo")
    shared.plan.startup_costs.update(amount=Decimal("5.00"))
    old = shared.plan.versions.get(number=1)
    version_restore(plan=shared.plan, version=old, by=shared.owner)

    frozen.refresh_from_db()
    assert frozen.data == data
    assert frozen.frozen
    texts = {p["key"]: p["text"] for p in frozen.data["sections"]}
    assert texts["summary"] == "Versione per il bando"
    assert frozen.data["finance"]["startup_costs"][0]["amount"] == "900.00"


# --- Who reads ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ("owner", "mentor", "coordinator"))
def test_the_owner_the_mentor_and_coordinators_read_versions(shared, who):
    a, b = _two_versions(shared)
    client = shared.client(who)
    for tail in (
        "versions/",
        f"versions/{a.number}/",
        f"compare/?a={a.number}&b={b.number}",
        "history/",
    ):
        response = client.get(_url(shared.plan, tail))
        assert response.status_code == 200, tail
    page = client.get(_url(shared.plan, f"versions/{a.number}/")).content.decode()
    assert "Vendo pane a domicilio." in page
    assert ("Save a version" in client.get(_url(shared.plan, "versions/")).content.decode()) == (
        who == "owner"
    )


@pytest.mark.parametrize("who", ("mentor", "coordinator"))
def test_readers_do_not_save_versions(shared, who):
    assert (
        shared.client(who).post(_url(shared.plan, "versions/"), {"label": "x"}).status_code == 404
    )
    assert not shared.plan.versions.exists()


@pytest.mark.parametrize("who", ("stranger", "other_mentor", "elsewhere_coordinator"))
def test_anyone_else_gets_a_404_on_versions(shared, who):
    a, b = _two_versions(shared)
    client = shared.client(who)
    for tail in (
        "versions/",
        f"versions/{a.number}/",
        f"compare/?a={a.number}&b={b.number}",
        "history/",
    ):
        assert client.get(_url(shared.plan, tail)).status_code == 404, tail


def test_a_mentor_it_was_never_shared_with_gets_a_404(site, other_site):
    people = make_people(site=site, other_site=other_site)  # not shared
    version_create(plan=people.plan, by=people.owner, reason=Reason.REQUESTED)
    assert people.client("mentor").get(_url(people.plan, "versions/")).status_code == 404


def _versions_queries(people, count) -> int:
    for _ in range(count):
        version_create(plan=people.plan, by=people.owner, reason=Reason.REQUESTED)
    client = people.client("owner")
    client.get(_url(people.plan, "versions/"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(people.plan, "versions/")).status_code == 200
    return len(queries)


def test_the_versions_list_makes_as_many_queries_for_six_versions_as_for_two(site, other_site):
    few = _versions_queries(make_people(site=site, other_site=other_site), 2)
    many = _versions_queries(make_people(site=site, other_site=other_site), 6)
    assert few == many
