"""The access matrix: every role against every coaching URL and admin view.

Participant: own record only. Coordinator: participants of their own site(s). Mentor: no
coaching record at all (what a mentor sees of their mentees is the mentors app's, through
matches: ``tests/mentors/test_mentee_access.py``). Editor and finance officer, of either site
or none: no participant records. Special-category data:
coordinators only, every view logged. The rule behind the sites: ``selectors.staff_site_ids``;
``test_site_scoping.py`` walks every coaching URL across the two sites.
"""

import datetime
from urllib.parse import urlencode

import pytest
from wagtail.models import Site

from coaching import services
from coaching.models import AccessLog, ChecklistItem, Cohort, FollowUp
from tests.coaching.factories import CohortFactory, assign, make_participant, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "owner",
    "other_participant",
    "mentor",
    "other_mentor",
    "editor",
    "finance_officer",
    "coordinator",
    "other_site_coordinator",
    "site_finance_officer",
    "other_site_finance_officer",
    "other_site_mentor",
]

# URL template -> expected status per role (same order as ROLES). 302 = sent to sign in
# (or, in the admin, away from a page the role has no permission for: Wagtail turns
# PermissionDenied into a redirect to the dashboard). A 404 in the admin is checked after
# following redirects: the host's LocaleMiddleware first tries the /it/-prefixed path.
# fmt: off
MATRIX = {
    "/it/path/dashboard/": [302, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "/it/path/join/contact/": [302, 200, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    "/it/path/join/review/": [302, 200, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    "/it/path/consents/": [302, 200, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    "/it/path/my-data/": [302, 200, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    "/it/path/follow-up/{follow_up}/": [302, 200, 404, 404, 404, 404, 404, 200, 404, 404, 404, 404],
    "/it/path/staff/enrol/": [302, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403],
    "/it/path/staff/{pk}/contact/": [302, 403, 403, 403, 403, 403, 403, 200, 404, 403, 403, 403],
    "/it/path/staff/{pk}/review/": [302, 403, 403, 403, 403, 403, 403, 200, 404, 403, 403, 403],
    "/admin/coaching_participant/": [302, 302, 302, 302, 302, 302, 302, 200, 200, 302, 302, 302],
    "/admin/coaching_participant/edit/{pk}/": [
        302, 302, 302, 302, 302, 302, 302, 200, 404, 302, 302, 302,
    ],
    "/admin/coaching_participant/inspect/{pk}/": [
        302, 302, 302, 302, 302, 302, 302, 200, 404, 302, 302, 302,
    ],
    "/admin/coaching_participant/history/{pk}/": [
        302, 302, 302, 302, 302, 302, 302, 200, 404, 302, 302, 302,
    ],
    "/admin/coaching_participant/usage/{pk}/": [
        302, 302, 302, 302, 302, 302, 302, 200, 404, 302, 302, 302,
    ],
    "/admin/coaching/participant/{pk}/manage/": [
        302, 302, 302, 302, 302, 302, 302, 200, 404, 302, 302, 302,
    ],
    "/admin/coaching/participant/{pk}/sensitive/": [
        302, 302, 302, 302, 302, 302, 302, 200, 404, 302, 302, 302,
    ],
    "/admin/coaching_access_log/": [302, 302, 302, 302, 302, 302, 302, 200, 200, 302, 302, 302],
    "/admin/coaching_cohort/": [302, 302, 302, 302, 302, 302, 302, 200, 200, 302, 302, 302],
    "/admin/coaching_checklist/": [302, 302, 302, 302, 302, 302, 302, 200, 200, 302, 302, 302],
}
# fmt: on
CASES = [(url, role, codes[i]) for url, codes in MATRIX.items() for i, role in enumerate(ROLES)]


@pytest.fixture
def world(site, other_site, user_with_role, site_coordinator, editor, finance_officer):
    owner = user_with_role("Participant")
    person = make_participant(user=owner, status="eligible", by=site_coordinator)
    mentor = user_with_role("Mentor")
    services.participant_exit(
        participant=person, by=site_coordinator, exit_date=datetime.date(2026, 1, 31)
    )
    other = make_participant(user=user_with_role("Participant"))
    users = {
        "anonymous": None,
        "owner": owner,
        "other_participant": other.user,
        "mentor": mentor,
        "other_mentor": user_with_role("Mentor"),
        "editor": editor,
        "finance_officer": finance_officer,
        "coordinator": site_coordinator,
        "other_site_coordinator": assign(
            user_with_role("Coordinator", is_staff=True), site=other_site
        ),
        # Finance officers and mentors work for sites too: an assignment gives them no
        # participant records today, on their own site or another.
        "site_finance_officer": assign(user_with_role("Finance officer", is_staff=True), site),
        "other_site_finance_officer": assign(
            user_with_role("Finance officer", is_staff=True), site=other_site
        ),
        "other_site_mentor": assign(user_with_role("Mentor"), site=other_site),
    }
    return {
        "users": users,
        "pk": person.pk,
        "follow_up": FollowUp.objects.filter(participant=person).first().pk,
        "person": person,
    }


#: People who are not staff: the admin is not for them at all.
NOT_STAFF = {"owner", "other_participant", "mentor", "other_mentor", "other_site_mentor"}


def expected_location(url: str, role: str) -> str:
    """Where a 302 of the matrix must lead: the sign-in page, the account page or the
    dashboard, depending on who is refused."""
    if role == "anonymous":
        return "/it/account/login/?" + urlencode({"next": url}, safe="/")
    if role in NOT_STAFF:
        # Their account page says that their account cannot open the administration.
        return "/it/account/profile/"
    if any(view in url for view in ("/inspect/", "/history/", "/usage/")):
        # These views look the participant up among the user's own site's records first:
        # none, so a 404, which the host's LocaleMiddleware first retries under /it/.
        return "/it" + url
    # Staff without the permission: Wagtail sends them to the dashboard, with a message.
    return "/admin/"


@pytest.mark.parametrize(("url", "role", "expected"), CASES)
def test_access_matrix(client, world, url, role, expected):
    user = world["users"][role]
    if user is not None:
        sign_in(client, user)
    follow = url.startswith("/admin/") and expected == 404
    url = url.format(pk=world["pk"], follow_up=world["follow_up"])
    response = client.get(url, follow=follow)
    assert response.status_code == expected, (role, url)
    if expected == 302:
        location = expected_location(url, role)
        assert response["Location"] == location, (role, url)
        if location.startswith("/it/admin/"):
            assert client.get(location).status_code == 404, (role, url)


def test_coordinator_list_shows_only_their_sites_participants(client, world):
    coordinator = world["users"]["coordinator"]
    sign_in(client, world["users"]["other_site_coordinator"])
    html = client.get("/admin/coaching_participant/").content.decode()
    assert world["person"].reference not in html
    sign_in(client, coordinator)
    html = client.get("/admin/coaching_participant/").content.decode()
    assert world["person"].reference in html


def test_every_view_of_special_category_data_is_logged(client, world):
    sign_in(client, world["users"]["coordinator"])
    client.get(f"/admin/coaching/participant/{world['pk']}/sensitive/")
    client.get(f"/admin/coaching/participant/{world['pk']}/sensitive/")
    logs = AccessLog.objects.filter(action="view_sensitive", participant_id=world["pk"])
    assert logs.count() == 2
    assert client.get("/admin/coaching_access_log/").status_code == 200


def test_special_category_data_appears_nowhere_but_the_coordinators_view(client, world):
    person = world["person"]
    services.intake_save_step(
        participant=person,
        step="special",
        data={"disability": "yes", "minority": "roma_sinti_camminanti"},
        by=person.user,
    )
    marker = "Sì: rom, sinti o caminanti"
    sign_in(client, world["users"]["coordinator"])
    assert (
        marker
        not in client.get(f"/admin/coaching_participant/inspect/{person.pk}/").content.decode()
    )
    export = client.get("/admin/coaching_participant/?export=csv")
    body = (
        b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    )
    assert person.reference in body
    assert "roma" not in body
    assert (
        marker in client.get(f"/admin/coaching/participant/{person.pk}/sensitive/").content.decode()
    )


def test_editor_and_finance_officer_cannot_export_participants(client, world):
    for role in ("editor", "finance_officer"):
        sign_in(client, world["users"][role])
        response = client.get("/admin/coaching_participant/?export=csv")
        assert response.status_code == 302


def test_coordinator_decides_from_the_admin(client, world):
    person = make_participant(user=UserFactory(preferred_language="en"), status="submitted")
    sign_in(client, world["users"]["coordinator"])
    url = f"/admin/coaching/participant/{person.pk}/manage/"
    response = client.post(url, {"action": "decide", "decide-decision": "decline"})
    assert response.status_code == 400
    response = client.post(
        url, {"action": "decide", "decide-decision": "decline", "decide-reason": "Out of area"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == "declined"


def test_staff_opening_the_special_questions_is_logged(client, world):
    """The staff intake's special step is pre-filled with the stored answers: a view."""
    person = world["person"]
    services.intake_save_step(
        participant=person,
        step="special",
        data={"disability": "yes", "minority": "roma_sinti_camminanti"},
        by=person.user,
    )
    sign_in(client, world["users"]["coordinator"])
    response = client.get(f"/it/path/staff/{person.pk}/special/")
    assert response.status_code == 200
    assert AccessLog.objects.filter(
        action="view_sensitive", participant=person, actor=world["users"]["coordinator"]
    ).exists()


def test_coordinator_cannot_file_or_see_cohorts_and_steps_of_another_site(client, world, site):
    other_site = Site.objects.get(hostname="altro.example.org")
    theirs = CohortFactory(site=other_site, name="Their cohort")
    their_step = ChecklistItem.objects.create(site=other_site, stage="training", text="Theirs")
    coordinator = world["users"]["coordinator"]
    sign_in(client, coordinator)
    for url in (
        f"/admin/coaching_cohort/edit/{theirs.pk}/",
        f"/admin/coaching_cohort/history/{theirs.pk}/",
        f"/admin/coaching_checklist/edit/{their_step.pk}/",
        f"/admin/coaching_checklist/delete/{their_step.pk}/",
    ):
        assert client.get(url, follow=True).status_code == 404, url
    assert "Their cohort" not in client.get("/admin/coaching_cohort/").content.decode()
    assert "Theirs" not in client.get("/admin/coaching_checklist/").content.decode()
    # Nor in the participant list's filter choices.
    assert "Their cohort" not in client.get("/admin/coaching_participant/").content.decode()
    response = client.post(
        "/admin/coaching_cohort/new/",
        {
            "site": other_site.pk,
            "name": "Sneaked in",
            "starts_on": "2026-03-01",
            "ends_on": "2026-06-30",
            "capacity": "10",
        },
    )
    assert response.status_code == 200  # the form refuses the other site
    assert not Cohort.objects.filter(name="Sneaked in").exists()
    client.post(
        "/admin/coaching_cohort/new/",
        {
            "site": site.pk,
            "name": "Ours",
            "starts_on": "2026-03-01",
            "ends_on": "2026-06-30",
            "capacity": "10",
        },
    )
    assert Cohort.objects.get(name="Ours").site == site
