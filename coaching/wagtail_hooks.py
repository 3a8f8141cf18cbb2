"""The coordinator's side in the Wagtail admin: participants, cohorts, checklists, audit."""

import django_filters
from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton
from wagtail.models import Site

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
    """Limit lists, single objects and the municipality choices to the coordinator's site(s).

    Applied to every view of a site-owned model, including Wagtail's history and usage views,
    which otherwise look objects up by id alone.
    """

    site_lookup = "site_id"
    list_select_related: tuple[str, ...] = ()

    def scoped(self, queryset):
        return selectors.scope_to_staff_sites(self.request.user, queryset, self.site_lookup)

    def get_object(self, queryset=None):
        return get_object_or_404(
            self.scoped(self.model._default_manager.all()),
            pk=unquote(str(self.kwargs[getattr(self, "pk_url_kwarg", "pk")])),
        )


class ScopedIndexView(SiteScopedMixin, generic.IndexView):
    def get_base_queryset(self):
        return self.scoped(super().get_base_queryset()).select_related(*self.list_select_related)


class ScopedFormMixin(SiteScopedMixin):
    """A coordinator may file a cohort or a checklist item only under their own site(s)."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        field = form.fields.get("site")
        if field is not None and selectors.coordinator_site_ids(self.request.user) is not None:
            field.queryset = _staff_sites(self.request).order_by("site_name")
            field.required = True
        return form


class ScopedCreateView(ScopedFormMixin, generic.CreateView):
    pass


class ScopedEditView(ScopedFormMixin, generic.EditView):
    pass


class ScopedInspectView(SiteScopedMixin, generic.InspectView):
    pass


class ScopedDeleteView(SiteScopedMixin, generic.DeleteView):
    pass


class ScopedHistoryView(SiteScopedMixin, history.HistoryView):
    pass


class ScopedUsageView(SiteScopedMixin, usage.UsageView):
    pass


class ScopedViewSetMixin:
    """Every view of the viewset goes through ``SiteScopedMixin``."""

    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    inspect_view_class = ScopedInspectView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView


def _staff_cohorts(request):
    return selectors.scope_to_staff_sites(request.user, Cohort.objects.all())


def _staff_sites(request):
    return selectors.scope_to_staff_sites(request.user, Site.objects.all(), "pk")


class ParticipantFilterSet(WagtailFilterSet):
    """The filter choices list only the coordinator's own cohorts and municipalities."""

    cohort = django_filters.ModelChoiceFilter(label=_("cohort"), queryset=_staff_cohorts)
    site = django_filters.ModelChoiceFilter(label=_("municipality"), queryset=_staff_sites)
    # The coordinator's erasure queue: requests made on the path or from the account page.
    erasure_requested = django_filters.BooleanFilter(
        label=_("erasure requested"),
        field_name="erasure_requested_at",
        lookup_expr="isnull",
        exclude=True,
    )

    class Meta:
        model = Participant
        fields = ["status", "stage", "cohort", "site"]


class ParticipantIndexView(ScopedIndexView):
    list_select_related = ("user", "site", "cohort")

    def get_edit_url(self, instance):
        return reverse("coaching_admin:manage", args=[instance.pk])

    def get_header_buttons(self):
        return [
            *super().get_header_buttons(),
            HeaderButton(
                _("Enrol a person"), url=reverse("coaching:assisted_enrol"), icon_name="plus"
            ),
        ]


class ParticipantViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Participant
    icon = "user"
    menu_label = _("Participants")
    index_view_class = ParticipantIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "reference",
        Column("full_name", label=_("Name"), accessor="full_name"),
        "status",
        "stage",
        "cohort",
        "submitted_at",
        "erasure_requested_at",
    ]
    filterset_class = ParticipantFilterSet
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


class CohortIndexView(ScopedIndexView):
    list_select_related = ("site",)


class CohortViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Cohorts")
    index_view_class = CohortIndexView
    list_display = ["name", "site", "starts_on", "ends_on", "capacity"]
    form_fields = ["site", "name", "starts_on", "ends_on", "capacity"]
    copy_view_enabled = False


class ChecklistItemIndexView(ScopedIndexView):
    list_select_related = ("site",)


class ChecklistItemViewSet(ScopedViewSetMixin, ModelViewSet):
    """Coordinators keep their own site's steps; steps for every site are for superusers."""

    model = ChecklistItem
    icon = "list-ul"
    menu_label = _("Next steps per stage")
    index_view_class = ChecklistItemIndexView
    list_display = ["text", "stage", "site", "sort_order"]
    list_filter = ["stage"]
    form_fields = ["site", "stage", "text", "sort_order"]
    copy_view_enabled = False


class PrivacyNoticeViewSet(ModelViewSet):
    model = PrivacyNotice
    icon = "doc-full"
    menu_label = _("Privacy notices")
    list_display = ["version", "published_at"]
    form_fields = ["version", "url", "summary", "published_at"]
    copy_view_enabled = False


class StaffSiteAssignmentIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "site")


class StaffSiteAssignmentViewSet(ModelViewSet):
    model = StaffSiteAssignment
    icon = "site"
    menu_label = _("Staff per municipality")
    index_view_class = StaffSiteAssignmentIndexView
    list_display = ["user", "site"]
    list_filter = ["site"]
    form_fields = ["user", "site"]
    copy_view_enabled = False


class AccessLogIndexView(ScopedIndexView):
    site_lookup = "participant__site_id"
    list_select_related = ("actor", "participant__user")


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
