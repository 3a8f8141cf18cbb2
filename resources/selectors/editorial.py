"""The editors' work in progress: pages waiting in moderation and drafts not yet sent."""

from django.db.models import CharField, Exists, OuterRef, QuerySet
from django.db.models.functions import Cast
from wagtail.models import Page, WorkflowState, get_default_page_content_type
from wagtail.permission_policies.pages import PagePermissionPolicy


def may_edit_pages(user) -> bool:
    """Editors: people who may add or change some page (superusers too)."""
    return PagePermissionPolicy().user_has_any_permission(user, {"add", "change"})


def _pages_with_moderation(user) -> QuerySet:
    in_moderation = WorkflowState.objects.active().filter(
        base_content_type_id=get_default_page_content_type().id,
        # A generic relation's object id is text: compare it with the page id as text.
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    return (
        PagePermissionPolicy()
        .instances_user_has_permission_for(user, "change")
        .annotate(in_moderation=Exists(in_moderation))
    )


def pages_in_moderation(user) -> QuerySet[Page]:
    """Pages the editor may change that wait for approval, the most recently edited first."""
    return (
        _pages_with_moderation(user)
        .filter(in_moderation=True)
        .order_by("-latest_revision_created_at", "-pk")
    )


def drafts_to_send(user) -> QuerySet[Page]:
    """Pages the editor may change with changes not yet published nor sent for approval."""
    return (
        _pages_with_moderation(user)
        .filter(has_unpublished_changes=True, in_moderation=False)
        .order_by("-latest_revision_created_at", "-pk")
    )


def moderation_states(pages) -> dict[int, WorkflowState]:
    """The in-progress workflow state of each page, by page id (with its current task)."""
    states = WorkflowState.objects.active().filter(
        base_content_type_id=get_default_page_content_type().id,
        object_id__in=[str(page.pk) for page in pages],
    )
    return {
        int(state.object_id): state
        for state in states.select_related("current_task_state__task", "requested_by")
    }
