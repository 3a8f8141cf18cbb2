"""The coordinator's side in the Wagtail admin: participants, cohorts, checklists, audit."""

import django_filters
from django.contrib.admin.utils import unquote
from django.db import router
from django.db.models import DateField, ProtectedError, Q
from django.db.models.deletion import Collector
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import include, path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_filters.utils import label_for_filter
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import LogFormatter
from wagtail.models import Site

from coaching import admin_views, roles, selectors
from coaching.display import value_in_words
from coaching.exports import SafeSpreadsheetExportMixin
from coaching.forms import STEP_TITLES
from coaching.models import (
    AccessLog,
    ChecklistItem,
    Cohort,
    Participant,
    PrivacyNotice,
    StaffSiteAssignment,
    Stage,
)
from coaching.personal_data import HOOK_NAME
from coaching.services.audit import access_log_export, access_log_record
from coaching.services.personal_data import CoachingPersonalData

#: The coaching admin is the coordinators' work: every listing is scoped in that role.
ROLE = selectors.StaffRole.COORDINATOR


class SiteScopedMixin:
    """Limit lists, single objects and the municipality choices to the coordinator's site(s).

    Applied to every view of a site-owned model, including Wagtail's history and usage views,
    which otherwise look objects up by id alone. The rows are what the viewset's ``scope``
    keeps (``ScopedViewSetMixin``): the site scoping rule, ``selectors.staff_site_ids``.
    """

    list_select_related: tuple[str, ...] = ()
    #: Set by the viewset: ``(user, queryset) -> queryset``.
    scope = None

    def scoped(self, queryset):
        return self.scope(self.request.user, queryset)

    def get_object(self, queryset=None):
        return get_object_or_404(
            self.scoped(self.model._default_manager.all()),
            pk=unquote(str(self.kwargs[getattr(self, "pk_url_kwarg", "pk")])),
        )


class ScopedIndexView(SafeSpreadsheetExportMixin, SiteScopedMixin, generic.IndexView):
    def get_base_queryset(self):
        return self.scoped(super().get_base_queryset()).select_related(*self.list_select_related)


class ReadOnlyRowsMixin:
    """An index whose rows are read, never added, copied or deleted here: the row's link
    opens its inspect page."""

    def get_add_url(self):
        return None

    def get_edit_url(self, instance):
        return self.get_inspect_url(instance)

    def get_copy_url(self, instance):
        return None

    def get_delete_url(self, instance):
        return None


class ScopedFormMixin(SiteScopedMixin):
    """A coordinator may file a cohort or a checklist item only under their own site(s)."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        field = form.fields.get("site")
        if field is not None and selectors.staff_site_ids(self.request.user, ROLE) is not None:
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
    """Every view of the viewset goes through ``SiteScopedMixin``, which keeps the rows
    ``scope`` returns: by default those of the coordinator's sites, found by ``site_lookup``."""

    site_lookup = "site_id"

    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    inspect_view_class = ScopedInspectView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView

    def scope(self, user, queryset):
        return selectors.scope_to_sites(user, queryset, role=ROLE, site_lookup=self.site_lookup)

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(scope=self.scope, **kwargs)


def _staff_cohorts(request):
    return selectors.scope_to_sites(request.user, Cohort.objects.all(), role=ROLE)


def _staff_sites(request):
    return selectors.scope_to_sites(request.user, Site.objects.all(), role=ROLE, site_lookup="pk")


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

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            access_log_export(
                actor=self.request.user,
                export_format=self.request.GET["export"],
                rows=context["object_list"].count(),
                filter_form=self.filters.form if self.is_filtering else None,
                active_filters=self.active_filters,
                search=self.search_query,
            )
        return super().render_to_response(context, **response_kwargs)


class LoggedParticipantViewMixin:
    """A page that shows one participant's stored data: each GET is an access-log entry.

    The response is a ``TemplateResponse``, rendered after this returns: the entry is written
    before anything is shown. A failed POST shows back what staff typed, so it is not logged.
    """

    log_page = ""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        access_log_record(
            actor=request.user,
            participant=self.object,
            action=AccessLog.Action.VIEW_PARTICIPANT,
            details={"page": self.log_page},
        )
        return response


class ParticipantInspectView(LoggedParticipantViewMixin, ScopedInspectView):
    """Every value in words and every time in the site's time zone.

    Wagtail's inspect template formats values with ``localize``, which turns a date and time
    into text before the template would move it to local time, and shows an empty answer as
    "None".
    """

    log_page = "inspect"

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        # An answer the person left empty, or a moment that has not come.
        empty = "—" if isinstance(field, DateField) else gettext("Not given")
        return value_in_words(value, empty=empty)


class ParticipantEditView(LoggedParticipantViewMixin, ScopedEditView):
    log_page = "edit"


class ParticipantHistoryView(LoggedParticipantViewMixin, ScopedHistoryView):
    """The participant's change history names them and what staff did to their record."""

    log_page = "history"


class ParticipantDeleteView(ScopedDeleteView):
    """A participant with a history is refused with a message, not a server error.

    The consent, stage, access, correction and exit records are PROTECT: the programme must
    keep them, so the way to honour a person's request is erasure, which anonymises.
    """

    def form_valid(self, form):
        # Asked of Django's deletion collector first: Wagtail's own check of the reference
        # index would otherwise answer a bare "no permission" when the index knows the rows.
        try:
            Collector(using=router.db_for_write(Participant)).collect([self.object])
            return super().form_valid(form)
        except ProtectedError as error:
            kept = sorted({str(obj._meta.verbose_name_plural) for obj in error.protected_objects})
            messages.error(
                self.request,
                gettext(
                    "This participant cannot be deleted: records the programme must keep "
                    "refer to them (%(records)s). Erase their personal data instead."
                )
                % {"records": ", ".join(kept)},
            )
            return HttpResponseRedirect(reverse("coaching_admin:manage", args=[self.object.pk]))


class ParticipantViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Participant
    icon = "user"
    menu_label = _("Participants")
    index_view_class = ParticipantIndexView
    inspect_view_class = ParticipantInspectView
    edit_view_class = ParticipantEditView
    history_view_class = ParticipantHistoryView
    delete_view_class = ParticipantDeleteView
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
    search_fields = [
        "reference",
        "preferred_name",
        "legal_name",
        "user__email",
        "user__first_name",
        "user__last_name",
    ]
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
    form_fields = ["preferred_name", "legal_name", "phone", "municipality", "languages"]
    inspect_view_fields = [
        "reference",
        "preferred_name",
        "legal_name",
        "status",
        "stage",
        "cohort",
        "municipality",
        "languages",
        "gender",
        "citizenship",
        "labour_status",
        "education_level",
        "idea_sector",
        "idea_stage",
        "idea_description",
        "preferred_languages",
        "meeting_modes",
        "availability",
        "mentor_gender",
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


class PrivacyNoticeScopedMixin:
    """Staff see their own site's notices and the shared ones (no site), which apply to every
    site without its own. Only superusers publish notices (``0005``)."""

    def scoped(self, queryset):
        site_ids = selectors.staff_site_ids(self.request.user, ROLE)
        if site_ids is None:
            return queryset
        return queryset.filter(Q(site__isnull=True) | Q(site_id__in=site_ids))


class PrivacyNoticeIndexView(PrivacyNoticeScopedMixin, ScopedIndexView):
    list_select_related = ("site",)


class PrivacyNoticeEditView(PrivacyNoticeScopedMixin, ScopedEditView):
    pass


class PrivacyNoticeDeleteView(PrivacyNoticeScopedMixin, ScopedDeleteView):
    pass


class PrivacyNoticeInspectView(PrivacyNoticeScopedMixin, ScopedInspectView):
    pass


class PrivacyNoticeHistoryView(PrivacyNoticeScopedMixin, ScopedHistoryView):
    pass


class PrivacyNoticeUsageView(PrivacyNoticeScopedMixin, ScopedUsageView):
    pass


class PrivacyNoticeViewSet(ScopedViewSetMixin, ModelViewSet):
    model = PrivacyNotice
    icon = "doc-full"
    menu_label = _("Privacy notices")
    index_view_class = PrivacyNoticeIndexView
    edit_view_class = PrivacyNoticeEditView
    delete_view_class = PrivacyNoticeDeleteView
    inspect_view_class = PrivacyNoticeInspectView
    history_view_class = PrivacyNoticeHistoryView
    usage_view_class = PrivacyNoticeUsageView
    list_display = ["version", "site", "published_at"]
    list_filter = ["site"]
    form_fields = ["site", "version", "url", "summary", "published_at"]
    copy_view_enabled = False


class StaffSiteAssignmentIndexView(ScopedIndexView):
    list_select_related = ("user", "site")


class StaffSiteAssignmentFormMixin(ScopedFormMixin):
    """Their own site(s), and people who work for them or for no site yet."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if selectors.staff_site_ids(self.request.user, ROLE) is not None:
            form.fields["user"].queryset = selectors.assignable_staff(self.request.user)
        return form


class StaffSiteAssignmentCreateView(StaffSiteAssignmentFormMixin, generic.CreateView):
    pass


class StaffSiteAssignmentEditView(StaffSiteAssignmentFormMixin, generic.EditView):
    pass


class StaffSiteAssignmentViewSet(ScopedViewSetMixin, ModelViewSet):
    """Staff with access see and file assignments of their own site(s) only."""

    model = StaffSiteAssignment
    icon = "site"
    menu_label = _("Staff per municipality")
    index_view_class = StaffSiteAssignmentIndexView
    add_view_class = StaffSiteAssignmentCreateView
    edit_view_class = StaffSiteAssignmentEditView
    list_display = ["user", "site"]
    list_filter = ["site"]
    form_fields = ["user", "site"]
    copy_view_enabled = False


class AccessLogIndexView(ScopedIndexView):
    list_select_related = ("actor", "participant__user")


def _log_subject(entry: AccessLog) -> str:
    """Who the entry is about: the participant, or how many rows an export held."""
    if entry.participant_id:
        return str(entry.participant)
    rows = entry.details.get("rows")
    if rows is None:
        return ""
    return ngettext("%(count)d row", "%(count)d rows", rows) % {"count": rows}


LOG_PAGES = {
    "inspect": _("Details page"),
    "edit": _("Edit form"),
    "manage": _("Manage page"),
    "history": _("History"),
    # The mentoring app's page of a mentee, read by their mentor.
    "mentee": _("Mentee page (mentor)"),
    # A coordinator opening a business plan from the admin's list (coaching.plans.admin).
    "business_plan": _("Business plan"),
}


def _filter_label(name: str) -> str:
    """The participant list's filter label, in the reader's language (as on the list)."""
    filter_ = ParticipantFilterSet.base_filters.get(name)
    if filter_ is None:
        return name
    return filter_.label or label_for_filter(
        Participant, filter_.field_name, filter_.lookup_expr, filter_.exclude
    )


def _log_summary(entry: AccessLog) -> str:
    """What was seen: the page or intake step, or an export's format and filters."""
    details = entry.details
    if "format" in details:
        parts = [details["format"].upper()]
        for name, applied in details.get("filters", {}).items():
            parts.append(f"{capfirst(_filter_label(name))}: {applied['label']}")
        if details.get("search"):
            parts.append(gettext("search “%(text)s”") % {"text": details["search"]})
        if len(parts) == 1:
            parts.append(gettext("no filter"))
        return " · ".join(parts)
    if details.get("page") in LOG_PAGES:
        return str(LOG_PAGES[details["page"]])
    step = details.get("step")
    if step == "review":
        return gettext("Intake: %(step)s") % {"step": gettext("Check and send")}
    if step in STEP_TITLES:
        return gettext("Intake: %(step)s") % {"step": STEP_TITLES[step]}
    return ""


class AccessLogViewSet(ScopedViewSetMixin, ModelViewSet):
    """Read-only: nobody is given add, change or delete permissions on the audit trail."""

    def scope(self, user, queryset):
        """Entries about the coordinator's site(s), and the exports they made themselves.

        An export names no participant, only the rows of the exporter's own site(s).
        """
        site_ids = selectors.staff_site_ids(user, ROLE)
        if site_ids is None:
            return queryset
        return queryset.filter(
            Q(participant__site_id__in=site_ids) | Q(participant__isnull=True, actor=user)
        )

    model = AccessLog
    icon = "history"
    menu_label = _("Access log")
    index_view_class = AccessLogIndexView
    list_display = [
        "created_at",
        "actor",
        "action",
        Column("subject", label=capfirst(_("participant")), accessor=_log_subject),
        Column("summary", label=capfirst(_("details")), accessor=_log_summary),
    ]
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


# --- The admin home: what each role must act on ---------------------------------------------

#: Rows a dashboard panel lists before pointing to the full list.
PANEL_ROWS = 10


class CoachingPanel(Component):
    """A dashboard panel listing the first rows of a queryset scoped to the user's sites."""

    rows = None

    def get_context_data(self, parent_context=None):
        request = parent_context["request"]
        queryset = self.rows(request.user)
        return {"rows": list(queryset[:PANEL_ROWS]), "total": queryset.count()}


class AwaitingDecisionPanel(CoachingPanel):
    name = "coaching_awaiting_decision"
    order = 10
    template_name = "coaching/admin/panels/awaiting_decision.html"
    rows = staticmethod(selectors.applications_awaiting_decision)


class FollowUpsDuePanel(CoachingPanel):
    name = "coaching_follow_ups_due"
    order = 20
    template_name = "coaching/admin/panels/follow_ups_due.html"
    rows = staticmethod(selectors.follow_ups_due_for_staff)


class FinancePanel(Component):
    """Finance officers have nothing to act on until the microgrants arrive: say so plainly."""

    name = "coaching_finance"
    order = 10
    template_name = "coaching/admin/panels/finance.html"


@hooks.register("construct_homepage_panels")
def add_homepage_panels(request, panels):
    """Coordinators land on the applications to decide and the follow-ups due; finance
    officers on what will appear for them."""
    if selectors.can_manage_participants(request.user):
        panels[:0] = [AwaitingDecisionPanel(), FollowUpsDuePanel()]
    if selectors.is_finance_officer(request.user):
        panels.insert(0, FinancePanel())


class StageChangeFormatter(LogFormatter):
    label = _("Change stage")

    def format_message(self, log_entry):
        stages = dict(Stage.choices)
        return gettext("Stage changed from %(from)s to %(to)s") % {
            "from": stages.get(log_entry.data.get("from"), "-"),
            "to": stages.get(log_entry.data.get("to"), "-"),
        }


@hooks.register("register_log_actions")
def register_log_actions(actions):
    """The participant's state changes (``services.audit.participant_log_action``)."""
    actions.register_action("coaching.accept", _("Accept application"), _("Application accepted"))
    actions.register_action("coaching.decline", _("Decline application"), _("Application declined"))
    actions.register_action("coaching.stage_change")(StageChangeFormatter)
    actions.register_action("coaching.exit", _("Record exit"), _("Exit recorded"))
    actions.register_action(
        "coaching.entry_correction", _("Correct entry answers"), _("Entry answers corrected")
    )
    actions.register_action("coaching.erase", _("Erase personal data"), _("Personal data erased"))


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


@hooks.register(HOOK_NAME)
def register_personal_data():
    return CoachingPersonalData()


@hooks.register("register_avvio_roles")
def register_roles():
    """Coordinators, mentors, participants and finance officers (``coaching.roles``)."""
    return roles.roles()
