"""Each municipality's staff act on that municipality's pages only (two sites, two staffs)."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import GroupPagePermission, Page, WorkflowState

from coaching.models import StaffSiteAssignment
from portal_site.accounts import services
from portal_site.accounts.models import SiteRoleGroup
from tests.factories import StandardPageFactory
from tests.site.helpers_mfa import sign_in_with_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(home_page, other_site):
    ours = StandardPageFactory(parent=home_page, title="Bando A", slug="bando-a")
    theirs = StandardPageFactory(parent=other_site.root_page, title="Bando B", slug="bando-b")
    return {"ours": ours, "theirs": theirs}


@pytest.fixture
def other_coordinator(user_with_role, other_site):
    user = user_with_role("Coordinator", is_staff=True)
    StaffSiteAssignment.objects.create(user=user, site=other_site)
    return user


@pytest.fixture
def other_editor(user_with_role, other_site):
    user = user_with_role("Editor", is_staff=True)
    StaffSiteAssignment.objects.create(user=user, site=other_site)
    return user


def test_no_role_holds_page_permissions_on_the_root(db, other_site):
    root = Page.objects.get(depth=1)
    assert not GroupPagePermission.objects.filter(page=root).exists()
    assert root.get_workflow() is None


def test_another_sites_coordinator_cannot_unpublish_our_pages(client, pages, other_coordinator):
    sign_in_with_totp(client, other_coordinator)
    response = client.get(f"/admin/pages/{pages['ours'].pk}/unpublish/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    response = client.post(f"/admin/pages/{pages['ours'].pk}/unpublish/")
    assert Page.objects.get(pk=pages["ours"].pk).live
    # Their own site's pages they may unpublish.
    response = client.get(f"/admin/pages/{pages['theirs'].pk}/unpublish/")
    assert response.status_code == 200


def test_our_coordinator_cannot_publish_the_other_sites_pages(pages, coordinator):
    assert pages["ours"].permissions_for_user(coordinator).can_publish()
    assert not pages["theirs"].permissions_for_user(coordinator).can_publish()
    assert not pages["theirs"].permissions_for_user(coordinator).can_unpublish()


def test_editors_edit_their_own_sites_pages_only(pages, editor, other_editor):
    assert pages["ours"].permissions_for_user(editor).can_edit()
    assert not pages["theirs"].permissions_for_user(editor).can_edit()
    assert pages["theirs"].permissions_for_user(other_editor).can_edit()
    assert not pages["ours"].permissions_for_user(other_editor).can_edit()


def test_translations_of_a_sites_home_belong_to_the_site(english_home, editor):
    page = StandardPageFactory(parent=english_home, title="Call", slug="call")
    assert page.permissions_for_user(editor).can_edit()
    assert page.get_workflow() == english_home.get_workflow() is not None


def test_each_site_approves_its_own_pages(pages, editor, coordinator, other_coordinator):
    page = pages["ours"]
    page.save_revision(user=editor)
    workflow = page.get_workflow()
    assert workflow != pages["theirs"].get_workflow()
    state = workflow.start(page, editor)
    task = state.current_task_state.task.specific
    assert task.get_actions(page, other_coordinator) == []
    assert not task.user_can_access_editor(page, other_coordinator)
    assert "approve" in [name for name, *_ in task.get_actions(page, coordinator)]
    task.on_action(state.current_task_state, coordinator, "approve")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


def test_leaving_a_site_or_a_role_takes_its_page_permissions_away(pages, coordinator, site):
    assert pages["ours"].permissions_for_user(coordinator).can_publish()
    StaffSiteAssignment.objects.filter(user=coordinator, site=site).delete()
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    assert not pages["ours"].permissions_for_user(coordinator).can_publish()

    StaffSiteAssignment.objects.create(user=coordinator, site=site)
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    assert pages["ours"].permissions_for_user(coordinator).can_publish()
    coordinator.groups.remove(Group.objects.get(name="Coordinator"))
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    assert not pages["ours"].permissions_for_user(coordinator).can_publish()
    assert not coordinator.groups.exists()


def test_syncing_twice_changes_nothing(pages, editor, coordinator, other_coordinator):
    def snapshot():
        return (
            sorted(Group.objects.values_list("pk", "name")),
            sorted(GroupPagePermission.objects.values_list("group_id", "page_id", "permission_id")),
            sorted(SiteRoleGroup.objects.values_list("site_id", "role", "group_id")),
            sorted(Group.objects.values_list("pk", "user")),
            sorted(Page.objects.values_list("pk", "workflowpage__workflow_id")),
        )

    before = snapshot()
    services.site_roles_sync_all()
    call_command("migrate", verbosity=0)
    assert snapshot() == before


def test_renaming_a_site_renames_its_groups(other_site):
    other_site.site_name = "Nuovo nome"
    other_site.save()
    names = set(SiteRoleGroup.objects.filter(site=other_site).values_list("group__name", flat=True))
    assert names == {"Redattore · Nuovo nome", "Coordinatore · Nuovo nome"}


@pytest.mark.parametrize("action", ["edit", "delete", "move", "copy", "unpublish", "history"])
def test_another_sites_editor_is_turned_away_from_every_page_action(
    client, pages, other_editor, action
):
    sign_in_with_totp(client, other_editor)
    response = client.get(f"/admin/pages/{pages['ours'].pk}/{action}/")
    assert response.status_code == 302, action
    assert response["Location"] == "/admin/"


def test_emptying_a_role_group_takes_the_site_rights_away(pages, coordinator):
    Group.objects.get(name="Coordinator").user_set.clear()
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    assert not pages["ours"].permissions_for_user(coordinator).can_publish()
    assert not coordinator.groups.exists()


def test_deleting_a_role_group_takes_the_site_rights_away(pages, editor):
    Group.objects.get(name="Editor").delete()
    editor = type(editor).objects.get(pk=editor.pk)
    assert not pages["ours"].permissions_for_user(editor).can_edit()
    assert not editor.groups.exists()


def test_a_site_group_ticked_by_hand_is_taken_back(pages, coordinator, other_site):
    theirs = SiteRoleGroup.objects.get(site=other_site, role="Coordinator").group
    coordinator.groups.add(theirs)
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    assert theirs not in coordinator.groups.all()
    assert not pages["theirs"].permissions_for_user(coordinator).can_publish()
    theirs.user_set.add(coordinator)
    assert not theirs.user_set.filter(pk=coordinator.pk).exists()


def test_deleting_a_site_deletes_its_groups(pages, other_site, other_coordinator):
    group_ids = list(SiteRoleGroup.objects.filter(site=other_site).values_list("group", flat=True))
    other_site.delete()
    assert not Group.objects.filter(pk__in=group_ids).exists()
    other_coordinator = type(other_coordinator).objects.get(pk=other_coordinator.pk)
    assert not pages["theirs"].permissions_for_user(other_coordinator).can_publish()


def test_moving_a_sites_root_moves_its_rights_and_workflow(pages, other_site, other_editor):
    old_root = other_site.root_page
    new_root = StandardPageFactory(parent=old_root, title="Nuova radice", slug="radice")
    other_site.root_page = new_root
    other_site.save()
    assert old_root.specific.get_workflow() is None
    assert new_root.get_workflow() is not None
    assert not pages["theirs"].permissions_for_user(other_editor).can_edit()
    child = StandardPageFactory(parent=new_root, title="Sotto", slug="sotto")
    assert child.permissions_for_user(other_editor).can_edit()


def test_a_long_site_name_still_gives_groups_that_fit(other_site):
    other_site.site_name = "Comune " + "di Lunghissimo Nome " * 11
    other_site.save()
    for link in SiteRoleGroup.objects.filter(site=other_site).select_related("group"):
        assert len(link.group.name) <= Group._meta.get_field("name").max_length
        assert link.group.name.endswith("…")
