"""Site scoping, the one rule (``selectors.staff_site_ids``), and every coaching URL under it.

The walk below finds the URLs by asking Django's URL resolver, not from a list: a staff view
added later that forgets the rule fails here without anyone writing a test for it.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from coaching import services
from coaching.models import (
    AccessLog,
    ChecklistItem,
    ConsentRecord,
    FollowUp,
    PrivacyNotice,
    StaffSiteAssignment,
)
from coaching.selectors import StaffRole, scope_to_sites, staff_site_ids
from coaching.services.audit import access_log_record
from tests.coaching.factories import CohortFactory, assign, make_participant, sign_in
from tests.factories import UserFactory
from tests.mentors.factories import make_match, make_mentor

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


# --- The rule ------------------------------------------------------------------------------


def test_each_role_acts_only_on_the_sites_it_is_assigned_to(site, other_site, user_with_role):
    coordinator = assign(user_with_role("Coordinator", is_staff=True), site)
    finance = assign(user_with_role("Finance officer", is_staff=True), other_site)
    unassigned_finance = user_with_role("Finance officer", is_staff=True)
    mentor = assign(user_with_role("Mentor"), other_site)
    both = assign(assign(user_with_role("Coordinator", is_staff=True), site), other_site)

    assert staff_site_ids(coordinator, StaffRole.COORDINATOR) == {site.pk}
    assert staff_site_ids(both, StaffRole.COORDINATOR) == {site.pk, other_site.pk}
    assert staff_site_ids(finance, StaffRole.FINANCE_OFFICER) == {other_site.pk}
    assert staff_site_ids(unassigned_finance, StaffRole.FINANCE_OFFICER) == set()
    assert staff_site_ids(mentor, StaffRole.MENTOR) == {other_site.pk}
    # An assignment gives a site in the roles the person holds, not in the others.
    assert staff_site_ids(coordinator, StaffRole.FINANCE_OFFICER) == set()
    assert staff_site_ids(finance, StaffRole.COORDINATOR) == set()
    assert staff_site_ids(mentor, StaffRole.COORDINATOR) == set()


def test_superusers_act_on_every_site_and_nobody_else_on_any(site, user_with_role):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    for role in StaffRole:
        assert staff_site_ids(superuser, role) is None
    inactive = assign(user_with_role("Coordinator", is_staff=True, is_active=False), site)
    participant = assign(user_with_role("Participant"), site)
    for user in (inactive, participant):
        for role in StaffRole:
            assert staff_site_ids(user, role) == set()


def test_scope_to_sites_follows_a_lookup_to_the_site(site, other_site, user_with_role):
    coordinator = assign(user_with_role("Coordinator", is_staff=True), other_site)
    ours = make_participant(site=other_site)
    make_participant(site=site)
    follow_ups = FollowUp.objects.all()
    consents = scope_to_sites(
        coordinator,
        ConsentRecord.objects.all(),
        role=StaffRole.COORDINATOR,
        site_lookup="participant__site_id",
    )
    assert {record.participant_id for record in consents} == {ours.pk}
    assert not scope_to_sites(
        coordinator, follow_ups, role=StaffRole.FINANCE_OFFICER, site_lookup="participant__site_id"
    ).exists()


def _grant(user, *codenames):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="coaching", codename__in=codenames)
    )
    return user


def test_staff_site_assignments_list_and_offer_only_the_staff_members_sites(
    client, site, other_site, user_with_role, site_coordinator
):
    """Coordinators hold no permission on assignments today; if they are given one, the
    listing and the form still stay inside their own site(s)."""
    theirs = assign(
        user_with_role("Coordinator", is_staff=True, email="altro@example.org"), other_site
    )
    newcomer = user_with_role("Editor", is_staff=True, email="nuova@example.org")
    _grant(
        site_coordinator,
        "view_staffsiteassignment",
        "add_staffsiteassignment",
        "change_staffsiteassignment",
    )
    sign_in(client, site_coordinator)
    listing = client.get("/admin/coaching_staff_site/").content.decode()
    assert str(site_coordinator) in listing
    assert str(theirs) not in listing
    form = client.get("/admin/coaching_staff_site/new/")
    assert form.status_code == 200
    site_field = form.context["form"].fields["site"]
    assert list(site_field.queryset) == [site]
    people = set(form.context["form"].fields["user"].queryset)
    assert newcomer in people and site_coordinator in people
    assert theirs not in people
    their_row = StaffSiteAssignment.objects.get(user=theirs)
    response = client.get(f"/admin/coaching_staff_site/edit/{their_row.pk}/", follow=True)
    assert response.status_code == 404
    client.post("/admin/coaching_staff_site/new/", {"user": newcomer.pk, "site": other_site.pk})
    assert not StaffSiteAssignment.objects.filter(user=newcomer).exists()
    client.post("/admin/coaching_staff_site/new/", {"user": newcomer.pk, "site": site.pk})
    assert StaffSiteAssignment.objects.get(user=newcomer).site == site


def test_the_checklist_form_offers_only_the_coordinators_sites(
    client, site, other_site, site_coordinator
):
    sign_in(client, site_coordinator)
    form = client.get("/admin/coaching_checklist/new/").context["form"]
    assert list(form.fields["site"].queryset) == [site]
    form = client.get("/admin/coaching_cohort/new/").context["form"]
    assert list(form.fields["site"].queryset) == [site]


# --- Every coaching URL, across two sites ---------------------------------------------------


def _patterns(patterns, namespace="", route=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, inner, route + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", route + str(entry.pattern), entry


def coaching_url_names():
    """Every named URL coaching registers: its admin viewsets and views, its public pages."""
    names = {}
    for name, route, entry in _patterns(get_resolver().url_patterns):
        if name.startswith("coaching") or "admin/coaching" in route:
            names[name] = sorted(entry.pattern.regex.groupindex)
    return names


@pytest.fixture
def site_a(client, site, other_site, user_with_role, site_coordinator):
    """Records of site A (the default site) of every kind coaching has, and their markers."""
    owner = user_with_role("Participant", first_name="Annunziata", last_name="Sitoa")
    person = make_participant(user=owner, status="eligible", by=site_coordinator)
    cohort = CohortFactory(site=site, name="Coorte di Sitoa")
    person.cohort = cohort
    person.save(update_fields=["cohort"])
    # Site A's mentor, shown on the manage page by the mentors app's panel.
    mentor = make_mentor(
        site=site, user=user_with_role("Mentor", first_name="Marisa", last_name="Sitoa")
    )
    make_match(mentor=mentor, participant=person, site=site)
    services.participant_exit(
        participant=person, by=site_coordinator, exit_date=datetime.date(2026, 1, 31)
    )
    step = ChecklistItem.objects.create(site=site, stage="training", text="Passo di Sitoa")
    log = access_log_record(
        actor=site_coordinator, participant=person, action=AccessLog.Action.VIEW_PARTICIPANT
    )
    sign_in(client, site_coordinator)
    response = client.post(
        "/it/path/staff/enrol/",
        {
            "first_name": "Bartolomea",
            "last_name": "Sitoa",
            "email": "",
            "language": "it",
            "consent_method": "paper_form",
            "document": SimpleUploadedFile("consenso.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    client.logout()
    record = ConsentRecord.objects.exclude(document="").get(participant__site=site)
    notice = None
    if any(f.name == "site" for f in PrivacyNotice._meta.get_fields()):
        notice = PrivacyNotice.objects.filter(site=site).first()
    objects = {
        "coaching_participant": person.pk,
        "coaching_admin": person.pk,
        "coaching_cohort": cohort.pk,
        "coaching_checklist": step.pk,
        "coaching_access_log": log.pk,
        "coaching_staff_site": StaffSiteAssignment.objects.get(user=site_coordinator).pk,
        # Site A's notice once notices belong to a site; a notice for everyone is no one's.
        "coaching_privacy_notice": notice.pk if notice else None,
        "coaching:follow_up": FollowUp.objects.filter(participant=person).first().pk,
        "coaching:consent_document": record.pk,
        "coaching:": person.pk,
    }
    markers = [
        person.reference,
        "Annunziata",
        "Bartolomea",
        "Marisa",
        owner.email,
        "Coorte di Sitoa",
        "Passo di Sitoa",
        site_coordinator.email,
        str(site_coordinator),
    ]
    return {"objects": objects, "markers": markers}


def _object_for(name, objects):
    for key in (name, name.split(":")[0], name.rsplit(":", 1)[0] + ":"):
        if key in objects:
            return key, objects[key]
    return None, None


def _urls(objects):
    """(url name, url, whether it carries one of site A's records) for every coaching URL."""
    urls = []
    with translation.override("it"):
        for name, params in sorted(coaching_url_names().items()):
            if not params:
                urls.append((name, reverse(name), False))
                continue
            key, pk = _object_for(name, objects)
            unknown = set(params) - {"pk", "step"}
            assert key and not unknown, (
                f"{name} takes {params}: tell this test which record of site A it shows"
            )
            kwargs = {"step": "contact"} if "step" in params else {}
            if "pk" in params:
                if pk is None:
                    continue
                kwargs["pk"] = pk
            urls.append((name, reverse(name, kwargs=kwargs), "pk" in params))
    return urls


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def test_a_coordinator_of_another_site_reaches_none_of_site_as_records(
    client, site_a, other_site, user_with_role
):
    """Signed in with the second factor as a coordinator of site B who holds every coaching
    permission there is, so that only the site rule stands between them and site A."""
    intruder = assign(user_with_role("Coordinator", is_staff=True), other_site)
    intruder.user_permissions.add(*Permission.objects.filter(content_type__app_label="coaching"))
    sign_in(client, intruder)
    urls = _urls(site_a["objects"])
    walked = {name for name, _, _ in urls}
    # The walk really covers the admin, the admin views and the public staff pages.
    assert {
        "coaching_participant:edit",
        "coaching_participant:history",
        "coaching_cohort:delete",
        "coaching_checklist:edit",
        "coaching_access_log:index",
        "coaching_staff_site:edit",
        "coaching_admin:manage",
        "coaching_admin:sensitive",
        "coaching:staff_intake_step",
        "coaching:staff_intake_review",
        "coaching:consent_document",
        "coaching:follow_up",
        "coaching:assisted_enrol",
    } <= walked
    leaks = []
    for name, url, of_site_a in urls:
        targets = [url]
        if name.endswith(":index"):
            targets += [f"{url}?export=csv", f"{url}?export=xlsx"]
        for target in targets:
            response = client.get(target)
            if of_site_a and response.status_code not in (302, 403, 404, 405):
                leaks.append((target, response.status_code))
            elif response.status_code == 200 and "xlsx" not in target:
                body = _body(response)
                shown = [marker for marker in site_a["markers"] if marker in body]
                if shown:
                    leaks.append((target, shown))
    assert not leaks


def test_the_walk_sees_site_as_records_as_their_own_coordinator(client, site_a, site_coordinator):
    """The same walk finds the markers for site A's coordinator: the test above can fail."""
    sign_in(client, site_coordinator)
    seen = {}
    for name, url, of_site_a in _urls(site_a["objects"]):
        if of_site_a or name.endswith(":index"):
            response = client.get(url)
            if response.status_code == 200:
                seen[name] = [m for m in site_a["markers"] if m in _body(response)]
    assert seen["coaching_participant:edit"]
    assert seen["coaching_admin:manage"]
    assert seen["coaching_participant:index"]
    assert seen["coaching_cohort:index"]
    assert seen["coaching:staff_intake_review"]
