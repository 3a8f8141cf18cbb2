"""One rule for "a coordinator who may manage participants", public pages and admin alike."""

import pytest
from django.contrib.auth.models import Group, Permission

from coaching.selectors import can_manage_participants
from tests.coaching.factories import assign, make_participant, sign_in

pytestmark = pytest.mark.django_db


def test_the_group_without_the_permission_is_not_enough(client, user_with_role):
    """A Coordinator group stripped of the permission opens neither the admin nor the staff
    pages of the public site (before, the public pages looked at the group only)."""
    person = make_participant(status="submitted")
    member = assign(user_with_role("Coordinator", is_staff=True))
    group = Group.objects.get(name="Coordinator")
    group.permissions.remove(Permission.objects.get(codename="change_participant"))
    member = type(member).objects.get(pk=member.pk)  # fresh permission cache

    assert not can_manage_participants(member)
    sign_in(client, member)
    assert client.get(f"/it/path/staff/{person.pk}/contact/").status_code == 403
    assert client.get("/it/path/staff/enrol/").status_code == 403


def test_the_permission_without_the_group_is_not_enough(client, user_with_role):
    """Someone given the permission by hand but not in the group cannot manage people in the
    admin either (before, the admin looked at the permission only)."""
    person = make_participant(status="submitted")
    editor = assign(user_with_role("Editor", is_staff=True))
    editor.user_permissions.add(Permission.objects.get(codename="change_participant"))
    editor = type(editor).objects.get(pk=editor.pk)

    assert not can_manage_participants(editor)
    sign_in(client, editor)
    response = client.get(f"/admin/coaching/participant/{person.pk}/manage/")
    # Wagtail answers a refusal in the admin by sending people to the dashboard, with a message.
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    html = client.get(response["Location"]).content.decode()
    assert "Spiacente, non hai i permessi per accedere a questa area." in html
    assert "Gestisci partecipante" not in html


def test_a_coordinator_of_the_site_may_manage(site_coordinator):
    assert can_manage_participants(site_coordinator)
