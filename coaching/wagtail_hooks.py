"""The coordinator's side in the Wagtail admin: participants, cohorts, checklists, audit."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton

from coaching import admin_views, selectors
from coaching.models import (
    AccessLog,
    ChecklistItem,
    Cohort,
    Participant,
    PrivacyNotice,
    StaffSiteAssignment,
)


class SiteScopedMixin:
    """Limit lists and single objects to the coordinator's own site(s)."""

    site_lookup = "site_id"

    def scoped(self, queryset):
        site_ids = selectors.coordinator_site_ids(self.request.user)
        if site_ids is None:
            return queryset
        return queryset.filter(**{f"{self.site_lookup}__in": site_ids})


class ScopedIndexView(SiteScopedMixin, generic.IndexView):
    def get_base_queryset(self):
        return self.scoped(super().get_base_queryset())


class ScopedEditView(SiteScopedMixin, generic.EditView):
    def get_queryset(self):
        return self.scoped(self.model._default_manager.all())


class ScopedInspectView(SiteScopedMixin, generic.InspectView):
    def get_object(self, queryset=None):
        from django.shortcuts import get_object_or_404

        return get_object_or_404(self.scoped(self.model._default_manager.all()), pk=self.pk)


class ScopedDeleteView(SiteScopedMixin, generic.DeleteView):
    def get_queryset(self):
        return self.scoped(self.model._default_manager.all())


class ParticipantIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "site", "cohort")

    def get_edit_url(self, instance):
        return reverse("coaching_admin:manage", args=[instance.pk])

    def get_header_buttons(self):
        return [
            *super().get_header_buttons(),
            HeaderButton(
                _("Enrol a person"), url=reverse("coaching:assisted_enrol"), icon_name="plus"
            ),
        ]


class ParticipantViewSet(ModelViewSet):
    model = Participant
    icon = "user"
    menu_label = _("Participants")
    index_view_class = ParticipantIndexView
    edit_view_class = ScopedEditView
    inspect_view_class = ScopedInspectView
    delete_view_class = ScopedDeleteView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "reference",
        Column("full_name", label=_("Name"), accessor="full_name"),
        "status",
        "stage",
        "cohort",
        "submitted_at",
    ]
    list_filter = ["status", "stage", "cohort", "site"]
    search_fields = ["reference", "user__email", "user__first_name", "user__last_name"]
    search_backend_name = None
    list_per_page = 50
    ordering = ["-created_at"]
    list_export = [
        "reference",
        "full_name",
        "site",
        "status",
        "stage",
        "cohort",
        "municipality",
        "gender",
        "citizenship",
        "labour_status",
        "isced_group",
        "idea_sector",
        "idea_stage",
        "submitted_at",
        "decided_at",
    ]
    export_headings = {"full_name": _("Name"), "isced_group": _("ISCED level")}
    export_filename = "participants"
    # Contact corrections only; status, stage, mentor and decisions go through services
    # from the "Manage" page.
    form_fields = ["phone", "municipality", "languages"]
    inspect_view_fields = [
        "reference",
        "status",
        "stage",
        "cohort",
        "assigned_mentor",
        "municipality",
        "languages",
        "gender",
        "citizenship",
        "labour_status",
        "education_level",
        "idea_sector",
        "idea_stage",
        "idea_description",
        "submitted_at",
        "decided_at",
        "decision_reason",
        "erasure_requested_at",
    ]


class CohortViewSet(ModelViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Cohorts")
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    list_display = ["name", "site", "starts_on", "ends_on", "capacity"]
    list_filter = ["site"]
    form_fields = ["site", "name", "starts_on", "ends_on", "capacity"]
    copy_view_enabled = False


class ChecklistItemViewSet(ModelViewSet):
    model = ChecklistItem
    icon = "list-ul"
    menu_label = _("Next steps per stage")
    list_display = ["text", "stage", "site", "sort_order"]
    list_filter = ["stage", "site"]
    form_fields = ["site", "stage", "text", "sort_order"]


class PrivacyNoticeViewSet(ModelViewSet):
    model = PrivacyNotice
    icon = "doc-full"
    menu_label = _("Privacy notices")
    list_display = ["version", "published_at"]
    form_fields = ["version", "url", "summary", "published_at"]
    copy_view_enabled = False


class StaffSiteAssignmentViewSet(ModelViewSet):
    model = StaffSiteAssignment
    icon = "site"
    menu_label = _("Staff per municipality")
    list_display = ["user", "site"]
    list_filter = ["site"]
    form_fields = ["user", "site"]
    copy_view_enabled = False


class AccessLogIndexView(ScopedIndexView):
    site_lookup = "participant__site_id"

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("actor", "participant__user")


class AccessLogViewSet(ModelViewSet):
    """Read-only: nobody is given add, change or delete permissions on the audit trail."""

    model = AccessLog
    icon = "history"
    menu_label = _("Access log")
    index_view_class = AccessLogIndexView
    list_display = ["created_at", "actor", "action", "participant"]
    list_filter = ["action"]
    form_fields = ["action"]
    copy_view_enabled = False


class CoachingGroup(ModelViewSetGroup):
    menu_label = _("Self-employment path")
    menu_icon = "user"
    menu_order = 150
    items = [
        ParticipantViewSet("coaching_participant"),
        CohortViewSet("coaching_cohort"),
        ChecklistItemViewSet("coaching_checklist"),
        PrivacyNoticeViewSet("coaching_privacy_notice"),
        StaffSiteAssignmentViewSet("coaching_staff_site"),
        AccessLogViewSet("coaching_access_log"),
    ]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return CoachingGroup()


admin_urls = (
    [
        path("participant/<int:pk>/manage/", admin_views.manage, name="manage"),
        path("participant/<int:pk>/sensitive/", admin_views.sensitive, name="sensitive"),
    ],
    "coaching_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("coaching/", include(admin_urls))]
