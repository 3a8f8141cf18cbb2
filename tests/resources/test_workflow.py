"""Editorial workflow: an editor submits, a coordinator approves; nothing goes live without it."""

import pytest
from wagtail.models import Page, Site, WorkflowState

from portal_site.accounts.models import SiteRoleGroup
from resources.models import LessonPage
from tests.resources.factories import LessonPageFactory
from tests.site.helpers_mfa import sign_in_with_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_lesson(course):
    lesson = LessonPageFactory(parent=course, title="Bozza", live=False)
    lesson.save_revision()
    return lesson


def test_library_is_covered_by_the_two_step_workflow(draft_lesson):
    workflow = draft_lesson.get_workflow()
    assert workflow is not None and workflow.active
    tasks = [task.specific for task in workflow.tasks]
    assert len(tasks) == 1
    # The site's own coordinators approve, not every coordinator of every municipality.
    site = Site.objects.get(is_default_site=True)
    approvers = SiteRoleGroup.objects.get(site=site, role="Coordinator").group
    assert list(tasks[0].groups.all()) == [approvers]
    assert site.root_page.get_workflow() == workflow
    assert Page.objects.get(depth=1).get_workflow() is None


def test_editor_cannot_publish_without_approval(draft_lesson, editor, coordinator):
    permissions = draft_lesson.permissions_for_user(editor)
    assert permissions.can_edit()
    assert not permissions.can_publish()

    workflow = draft_lesson.get_workflow()
    revision = draft_lesson.save_revision(user=editor)
    workflow_state = workflow.start(draft_lesson, editor)
    assert workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    draft_lesson.refresh_from_db()
    assert not draft_lesson.live

    task_state = workflow_state.current_task_state
    task = task_state.task.specific
    editor_actions = [name for name, *_ in task.get_actions(draft_lesson, editor)]
    assert "approve" not in editor_actions

    coordinator_actions = [name for name, *_ in task.get_actions(draft_lesson, coordinator)]
    assert "approve" in coordinator_actions
    task.on_action(task_state, coordinator, "approve")
    lesson = LessonPage.objects.get(pk=draft_lesson.pk)
    assert lesson.live
    assert lesson.live_revision_id == revision.pk
    workflow_state.refresh_from_db()
    assert workflow_state.status == WorkflowState.STATUS_APPROVED


def test_coordinator_can_reject(draft_lesson, editor, coordinator):
    draft_lesson.save_revision(user=editor)
    workflow_state = draft_lesson.get_workflow().start(draft_lesson, editor)
    task_state = workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, coordinator, "reject")
    draft_lesson.refresh_from_db()
    assert not draft_lesson.live
    workflow_state.refresh_from_db()
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES


def test_scheduled_publishing_and_locking_are_available(client, draft_lesson, editor):
    permissions = draft_lesson.permissions_for_user(editor)
    assert permissions.can_lock()
    sign_in_with_totp(client, editor)
    response = client.get(f"/admin/pages/{draft_lesson.pk}/edit/")
    assert response.status_code == 200
    # The editor's form offers the publishing schedule.
    assert 'name="go_live_at"' in response.text
    assert 'name="expire_at"' in response.text


def test_coordinator_approves_but_cannot_edit_pages_directly(draft_lesson, coordinator):
    permissions = draft_lesson.permissions_for_user(coordinator)
    assert permissions.can_publish()
    assert not permissions.can_edit()
    assert not permissions.can_add_subpage()
