"""Editorial workflow: an editor submits, a coordinator approves; nothing goes live without it."""

import datetime

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import Page, Site, TaskState, WorkflowState

from coaching.models import StaffSiteAssignment
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


def test_coordinator_can_reject(client, draft_lesson, editor, coordinator):
    draft_lesson.save_revision(user=editor)
    workflow_state = draft_lesson.get_workflow().start(draft_lesson, editor)
    task_state = workflow_state.current_task_state
    task = task_state.task.specific
    assert "reject" not in [name for name, *_ in task.get_actions(draft_lesson, editor)]

    # The coordinator rejects through the admin, as a person does (the view checks that
    # they may act on this task).
    sign_in_with_totp(client, coordinator)
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(draft_lesson.pk, "reject", task_state.pk),
        ),
        {"comment": "Manca la fonte delle cifre."},
    )
    assert response.status_code == 302
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.finished_by == coordinator
    workflow_state.refresh_from_db()
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    draft_lesson.refresh_from_db()
    assert not draft_lesson.live
    assert draft_lesson.live_revision is None


def test_an_approved_page_scheduled_for_later_goes_live_only_then(
    client, draft_lesson, editor, coordinator
):
    sign_in_with_totp(client, editor)
    response = client.get(f"/admin/pages/{draft_lesson.pk}/edit/")
    assert response.status_code == 200
    # The editor's form offers the publishing schedule.
    assert 'name="go_live_at"' in response.text
    assert 'name="expire_at"' in response.text

    # Revisions keep times to the millisecond.
    go_live_at = (timezone.now() + datetime.timedelta(days=2)).replace(microsecond=0)
    draft_lesson.go_live_at = go_live_at
    draft_lesson.save_revision(user=editor)
    workflow_state = draft_lesson.get_workflow().start(draft_lesson, editor)
    task_state = workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, coordinator, "approve")

    lesson = LessonPage.objects.get(pk=draft_lesson.pk)
    assert not lesson.live
    assert lesson.get_latest_revision().approved_go_live_at == go_live_at
    call_command("publish_scheduled")
    assert not LessonPage.objects.get(pk=lesson.pk).live

    with freeze_time(go_live_at + datetime.timedelta(minutes=1)):
        call_command("publish_scheduled")
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.live
    assert lesson.go_live_at == go_live_at


def test_a_page_locked_by_one_editor_cannot_be_saved_by_another(
    client, draft_lesson, editor, user_with_role
):
    other_editor = user_with_role("Editor", is_staff=True, email="seconda@example.org")
    StaffSiteAssignment.objects.create(
        user=other_editor, site=Site.objects.get(is_default_site=True)
    )
    assert draft_lesson.permissions_for_user(editor).can_lock()

    sign_in_with_totp(client, editor)
    client.post(reverse("wagtailadmin_pages:lock", args=(draft_lesson.pk,)))
    draft_lesson.refresh_from_db()
    assert draft_lesson.locked
    assert draft_lesson.locked_by == editor
    assert draft_lesson.get_lock().for_user(other_editor)
    assert not draft_lesson.get_lock().for_user(editor)

    client.logout()
    cache.clear()
    sign_in_with_totp(client, other_editor)
    revisions = draft_lesson.revisions.count()
    changes = {
        "title": "Titolo cambiato",
        "slug": draft_lesson.slug,
        "summary": "Altro.",
        "level": "beginner",
        "content_language": "it",
        "body-count": "0",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
    }
    response = client.post(f"/admin/pages/{draft_lesson.pk}/edit/", changes)
    assert response.status_code == 200
    assert response.context["page_locked"] is True
    assert draft_lesson.revisions.count() == revisions
    latest = LessonPage.objects.get(pk=draft_lesson.pk).get_latest_revision_as_object()
    assert latest.title == "Bozza"

    # The same changes from the editor holding the lock are saved: only the lock stopped them.
    client.logout()
    cache.clear()
    sign_in_with_totp(client, editor)
    response = client.post(f"/admin/pages/{draft_lesson.pk}/edit/", changes)
    assert response.status_code == 302
    latest = LessonPage.objects.get(pk=draft_lesson.pk).get_latest_revision_as_object()
    assert latest.title == "Titolo cambiato"


def test_coordinator_approves_but_cannot_edit_pages_directly(draft_lesson, coordinator):
    permissions = draft_lesson.permissions_for_user(coordinator)
    assert permissions.can_publish()
    assert not permissions.can_edit()
    assert not permissions.can_add_subpage()
