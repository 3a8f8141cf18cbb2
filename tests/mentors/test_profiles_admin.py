"""The coordinators' mentors admin: applications and memberships, and each site's skills, of
their own sites only. Another site's coordinator sees and changes nothing."""

import pytest
from wagtail.models import Locale

from coaching.conf import app_settings
from mentors.models import MentorMembership, Skill
from tests.coaching.factories import assign, sign_in
from tests.mentors.factories import make_mentor

pytestmark = pytest.mark.django_db

Status = MentorMembership.Status
LIST = "/admin/mentors_membership/"
SKILLS = "/admin/snippets/mentors/skill/"


@pytest.fixture
def other_coordinator(other_site, user_with_role):
    return assign(user_with_role("Coordinator", is_staff=True), other_site)


@pytest.fixture
def applications(site, other_site):
    ours = make_mentor(status=Status.APPLIED, organisation="Studio Nostro")
    theirs = make_mentor(site=other_site, status=Status.APPLIED, organisation="Studio Altrove")
    return ours.memberships.get(), theirs.memberships.get()


def _skill(site, name):
    return Skill.objects.create(site=site, name=name, locale=Locale.get_default())


def test_the_list_shows_the_coordinators_sites_only_and_filters_by_status(
    client, site, coordinator, applications
):
    ours, theirs = applications
    approved = make_mentor()
    sign_in(client, coordinator)
    body = client.get(LIST).content.decode()
    assert str(ours.profile) in body
    assert str(approved) in body
    assert str(theirs.profile) not in body
    body = client.get(LIST, {"status": "applied"}).content.decode()
    assert str(ours.profile) in body
    assert str(approved) not in body


def test_the_coordinator_reads_the_profile_and_approves(client, site, coordinator, applications):
    ours, _theirs = applications
    sign_in(client, coordinator)
    url = f"{LIST}inspect/{ours.pk}/"
    body = client.get(url).content.decode()
    assert "Studio Nostro" in body
    assert 'value="approve"' in body and 'value="pause"' not in body
    response = client.post(url, {"action": "approve", "reason": ""})
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.status == Status.APPROVED
    assert ours.profile.user.groups.filter(name=app_settings.MENTOR_GROUP).exists()
    body = client.get(url).content.decode()
    assert 'value="pause"' in body and 'value="end"' in body


def test_refusing_without_a_reason_is_sent_back_with_a_message(
    client, site, coordinator, applications
):
    ours, _theirs = applications
    sign_in(client, coordinator)
    response = client.post(f"{LIST}inspect/{ours.pk}/", {"action": "reject", "reason": ""})
    assert response.status_code == 400
    assert MentorMembership.objects.get(pk=ours.pk).status == Status.APPLIED
    # A move the status does not allow is not offered, and refused if posted.
    response = client.post(f"{LIST}inspect/{ours.pk}/", {"action": "end", "reason": "x"})
    assert (response.status_code, response["Location"]) == (302, "/admin/")  # refused
    assert MentorMembership.objects.get(pk=ours.pk).status == Status.APPLIED


def test_pause_and_end_from_the_admin(client, site, coordinator):
    membership = make_mentor().memberships.get()
    sign_in(client, coordinator)
    url = f"{LIST}inspect/{membership.pk}/"
    client.post(url, {"action": "pause", "reason": "Verifica in corso"})
    assert MentorMembership.objects.get(pk=membership.pk).status == Status.PAUSED
    client.post(url, {"action": "end", "reason": "Non più disponibile"})
    assert MentorMembership.objects.get(pk=membership.pk).status == Status.ENDED
    body = client.get(url).content.decode()
    assert "Non più disponibile" in body


def test_another_sites_coordinator_sees_and_changes_nothing(
    client, site, other_coordinator, applications
):
    ours, theirs = applications
    sign_in(client, other_coordinator)
    body = client.get(LIST).content.decode()
    assert str(ours.profile) not in body
    assert str(theirs.profile) in body
    for url in (f"{LIST}inspect/{ours.pk}/", f"{LIST}history/{ours.pk}/"):
        assert client.get(url, follow=True).status_code == 404, url
    response = client.post(
        f"{LIST}inspect/{ours.pk}/", {"action": "approve", "reason": ""}, follow=True
    )
    assert response.status_code == 404
    assert MentorMembership.objects.get(pk=ours.pk).status == Status.APPLIED


def test_no_one_adds_edits_or_deletes_a_membership_by_hand(client, site, coordinator, applications):
    ours, _theirs = applications
    sign_in(client, coordinator)
    for response in (client.get(f"{LIST}new/"), client.post(f"{LIST}delete/{ours.pk}/")):
        assert (response.status_code, response["Location"]) == (302, "/admin/")  # refused
    response = client.get(f"{LIST}edit/{ours.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}inspect/{ours.pk}/"
    assert MentorMembership.objects.filter(pk=ours.pk).exists()


def test_the_menu_is_for_people_with_the_permission(client, site, coordinator, user_with_role):
    sign_in(client, coordinator)
    assert LIST in client.get("/admin/").content.decode()
    editor = assign(user_with_role("Editor", is_staff=True), site)
    sign_in(client, editor)
    body = client.get("/admin/").content.decode()
    assert LIST not in body
    assert SKILLS not in body
    assert client.get(LIST).status_code in (302, 403)


# --- Skills ----------------------------------------------------------------------------------


def test_skills_of_the_coordinators_sites_only(client, site, other_site, coordinator):
    ours = _skill(site, "Contabilità")
    theirs = _skill(other_site, "Legale altrove")
    sign_in(client, coordinator)
    body = client.get(SKILLS).content.decode()
    assert "Contabilità" in body
    assert "Legale altrove" not in body
    assert client.get(f"{SKILLS}edit/{ours.pk}/").status_code == 200
    for view in ("edit", "delete", "history", "usage"):
        assert client.get(f"{SKILLS}{view}/{theirs.pk}/", follow=True).status_code == 404, view
    response = client.post(
        f"{SKILLS}edit/{theirs.pk}/",
        {"site": site.pk, "name": "Preso", "sort_order": 0},
        follow=True,
    )
    assert response.status_code == 404
    assert Skill.objects.get(pk=theirs.pk).name == "Legale altrove"


def test_a_coordinator_files_skills_only_under_their_sites(client, site, other_site, coordinator):
    sign_in(client, coordinator)
    response = client.get(f"{SKILLS}add/")
    site_field = response.context["form"].fields["site"]
    assert list(site_field.queryset) == [site]
    response = client.post(
        f"{SKILLS}add/",
        {"site": other_site.pk, "name": "Intrusa", "meets_needs": ["legal"], "sort_order": 0},
    )
    assert response.status_code == 200
    assert not Skill.objects.filter(name="Intrusa").exists()
    response = client.post(
        f"{SKILLS}add/",
        {"site": site.pk, "name": "Legale", "meets_needs": ["legal"], "sort_order": 1},
    )
    assert response.status_code == 302
    skill = Skill.objects.get(name="Legale")
    assert skill.site == site
    assert skill.meets_needs == ["legal"]
    assert skill.locale == Locale.get_default()


def test_bulk_delete_of_another_sites_skill_is_refused(client, site, other_site, coordinator):
    theirs = _skill(other_site, "Legale altrove")
    sign_in(client, coordinator)
    response = client.get(f"/admin/bulk/mentors/skill/delete/?id={theirs.pk}", {"next": SKILLS})
    assert response.status_code in (403, 302)
    client.post(f"/admin/bulk/mentors/skill/delete/?id={theirs.pk}")
    assert Skill.objects.filter(pk=theirs.pk).exists()
