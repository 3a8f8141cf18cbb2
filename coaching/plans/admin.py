"""Business plans in the Wagtail admin: each site's plan templates and the budget rules of its
calls, kept by its coordinators, and a read-only list of its participants' plans.

Scoped like coaching's site-owned records (``coaching.wagtail_hooks.ScopedViewSetMixin``, the
one scoping mechanism): a coordinator lists, opens and changes only their own sites' rows and
files new ones only under those sites; another site's row is a 404. Plans are never written
here: the owner writes them on the public site, and a coordinator reads them there (READ in
``selectors.access_to``). Every download of the list and every plan opened from it is in
coaching's access log, as the participant list's are.

``wagtail_hooks`` imports this module, which registers its own hooks.
"""

import json

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.models import Site

from coaching.models import AccessLog
from coaching.plans import canvas
from coaching.plans import selectors as plan_selectors
from coaching.plans.models import BusinessPlan, CallRules, PlanTemplate
from coaching.selectors import StaffRole, scope_to_sites
from coaching.services.audit import access_log_record, export_filters_describe
from coaching.wagtail_hooks import (
    ReadOnlyRowsMixin,
    ScopedIndexView,
    ScopedInspectView,
    ScopedViewSetMixin,
)

#: The access log's ``details["page"]`` for a plan opened from the admin list.
LOG_PAGE = "business_plan"
#: The access log's ``details["report"]`` for a download of the list.
LOG_REPORT = "business_plans"


class CanvasBoxesWidget(forms.CheckboxSelectMultiple):
    """The lean canvas boxes a template section draws on, as ticks, for a JSON list of codes.

    The model field is a ``JSONField``, whose form field reads and writes JSON text: the
    widget turns the ticked codes into that text and back. A code that is not one of the nine
    boxes (a hand-made request) is dropped, so only known codes are stored.
    """

    def __init__(self, attrs=None):
        super().__init__(attrs, choices=canvas.CHOICES)

    def value_from_datadict(self, data, files, name):
        ticked = super().value_from_datadict(data, files, name) or []
        return json.dumps([code for code in canvas.CODES if code in ticked])

    def format_value(self, value):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                value = []
        return super().format_value(value if isinstance(value, list) else [])


# --- Plan templates --------------------------------------------------------------------------


def _lesson_label(page) -> str:
    return f"{page.title} ({page.locale.language_code})"


class TemplateSectionForm(WagtailAdminModelForm):
    """A template section offers as lessons the pages ``PlanTemplateForm`` gives it (its
    coordinator's sites', in the saved template's language) and any it links already."""

    def __init__(self, *args, lessons=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("lessons")
        if field is not None and lessons is not None:
            # Any lesson linked already stays a choice, so that saving again keeps it.
            linked = [page.pk for page in self.instance.lessons.all()] if self.instance.pk else []
            field.queryset = (lessons | field.queryset.filter(pk__in=linked)).order_by("title")
            field.label_from_instance = _lesson_label


class PlanTemplateForm(WagtailAdminModelForm):
    """Every lesson a section links to is a page of the template's own site: the site's
    participants open it from the editor, and cannot open another site's pages. (Checked here,
    where the chosen site is known, after the sections' own checks.)"""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The choices are worked out once for every section form, the blank one too.
        self.formsets["sections"].form_kwargs["lessons"] = self._lesson_choices()

    def _lesson_choices(self):
        sites = scope_to_sites(
            self.for_user,
            Site.objects.select_related("root_page"),
            role=StaffRole.COORDINATOR,
            site_lookup="pk",
        )
        lessons = plan_selectors.lessons_of_sites(sites).select_related("locale")
        if self.instance.pk:
            # A saved template's sections offer the lessons in its own language.
            lessons = lessons.filter(locale__language_code=self.instance.language)
        return lessons

    def is_valid(self):
        valid = super().is_valid()
        site = self.cleaned_data.get("site")
        return self._lessons_in_site(site) and valid if site is not None else valid

    def _lessons_in_site(self, site) -> bool:
        trees = plan_selectors.site_tree_paths([site])
        formset = self.formsets["sections"]
        ok = True
        for form in formset.forms:
            if not hasattr(form, "cleaned_data") or formset._should_delete_form(form):
                continue
            outside = [
                lesson.title
                for lesson in form.cleaned_data.get("lessons") or []
                if not plan_selectors.in_trees(lesson, trees)
            ]
            if outside:
                ok = False
                form.add_error(
                    "lessons",
                    _("Not a page of %(site)s: %(pages)s. Choose lessons of the template's site.")
                    % {"site": site.site_name or site.hostname, "pages": ", ".join(outside)},
                )
        return ok


class SectionsPanel(InlinePanel):
    """The template's sections, with forms that know the user (for their sites' lessons)."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name].update(
            form=TemplateSectionForm,
            inherit_kwargs=["for_user"],
        )
        return options


class PlanTemplateIndexView(ScopedIndexView):
    list_select_related = ("site",)


class PlanTemplateViewSet(ScopedViewSetMixin, ModelViewSet):
    """Each site's outlines of a plan, one language each, with their sections in order."""

    model = PlanTemplate
    icon = "doc-full"
    menu_label = _("Plan templates")
    index_view_class = PlanTemplateIndexView
    copy_view_enabled = False
    list_display = ["name", "site", "language", "is_default", "updated_at"]
    list_filter = ["language"]
    ordering = ["site", "language", "name"]
    edit_handler = ObjectList(
        [
            FieldPanel("site"),
            FieldPanel("name"),
            FieldPanel("language"),
            FieldPanel("description"),
            FieldPanel("is_default"),
            SectionsPanel(
                "sections",
                heading=_("Sections"),
                label=_("Section"),
                min_num=1,
                panels=[
                    FieldPanel("key"),
                    FieldPanel("title"),
                    FieldPanel("prompt"),
                    FieldPanel("example"),
                    FieldPanel("words_min"),
                    FieldPanel("words_max"),
                    FieldPanel("canvas_boxes", widget=CanvasBoxesWidget),
                    FieldPanel("lessons"),
                ],
            ),
        ],
        base_form_class=PlanTemplateForm,
    )


# --- Budget rules of calls -------------------------------------------------------------------


class CallRulesIndexView(ScopedIndexView):
    list_select_related = ("site",)


class CallRulesViewSet(ScopedViewSetMixin, ModelViewSet):
    """Each site's calls: the grant's limits and the rule of each budget category."""

    model = CallRules
    icon = "list-ul"
    menu_label = _("Budget rules of calls")
    index_view_class = CallRulesIndexView
    copy_view_enabled = False
    list_display = ["name", "site", "min_grant", "max_grant", "is_open_for_plans"]
    list_filter = ["is_open_for_plans"]
    ordering = ["site", "name"]
    panels = [
        FieldPanel("site"),
        FieldPanel("name"),
        FieldPanel("min_grant"),
        FieldPanel("max_grant"),
        FieldPanel("is_open_for_plans"),
        InlinePanel("caps", heading=_("Budget categories"), label=_("Rule")),
    ]


# --- The site's business plans (read only) ---------------------------------------------------


class BusinessPlanIndexView(ReadOnlyRowsMixin, ScopedIndexView):
    """The coordinator's list of their sites' plans; a download of it is logged first."""

    list_select_related = ("participant", "call_rules")

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            details = {
                "format": self.request.GET["export"],
                "rows": context["object_list"].count(),
                "report": LOG_REPORT,
                "filters": export_filters_describe(
                    form=self.filters.form if self.is_filtering else None,
                    active_filters=self.active_filters,
                ),
            }
            if self.search_query:
                details["search"] = self.search_query
            access_log_record(
                actor=self.request.user,
                participant=None,
                action=AccessLog.Action.EXPORT_PARTICIPANTS,
                details=details,
            )
        return super().render_to_response(context, **response_kwargs)


class BusinessPlanOpenView(ScopedInspectView):
    """Opening a plan from the list: logged as a read of the participant's record, then the
    plan's overview on its own site, where coordinators read it (``selectors.access_to``).
    Another site's plan is a 404 before anything is logged (``SiteScopedMixin``)."""

    def get(self, request, *args, **kwargs):
        plan = self.object
        access_log_record(
            actor=request.user,
            participant=plan.participant,
            action=AccessLog.Action.VIEW_PARTICIPANT,
            details={"page": LOG_PAGE, "plan": plan.pk},
        )
        site = plan.participant.site
        url = reverse("plans:overview", args=[plan.pk])
        if Site.find_for_request(request) != site:
            url = f"{site.root_url}{url}"  # another municipality's host
        return HttpResponseRedirect(url)


class BusinessPlanViewSet(ScopedViewSetMixin, ModelViewSet):
    """Read only: the owner writes the plan, so no one adds, edits or deletes one here."""

    model = BusinessPlan
    icon = "doc-full-inverse"
    menu_label = _("Business plans")
    site_lookup = "participant__site_id"
    index_view_class = BusinessPlanIndexView
    inspect_view_class = BusinessPlanOpenView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "title",
        Column("reference", label=_("Participant"), accessor="participant.reference"),
        "status",
        "language",
        "call_rules",
        "updated_at",
    ]
    list_filter = ["status", "language"]
    search_fields = ["title", "participant__reference"]
    search_backend_name = None
    list_per_page = 50
    ordering = ["-updated_at"]
    list_export = [
        "title",
        "participant.reference",
        "get_status_display",
        "get_language_display",
        "call_rules",
        "created_at",
        "updated_at",
    ]
    export_headings = {
        "title": _("Name of the plan"),
        "participant.reference": _("Participant"),
        "get_status_display": _("Status"),
        "get_language_display": _("Language of the plan"),
        "call_rules": _("Aimed at the call"),
        "created_at": _("Created"),
        "updated_at": _("Updated"),
    }
    export_filename = "business-plans"
    # Never used: the add, edit and delete views are refused below.
    form_fields = ["title"]

    def _refused(self, request, *args, **kwargs):
        raise PermissionDenied

    @property
    def add_view(self):
        return self._refused

    @property
    def edit_view(self):
        return self._refused

    @property
    def delete_view(self):
        return self._refused


class BusinessPlansGroup(ModelViewSetGroup):
    """Next to the path and mentoring menus: the coordinators' side of business plans."""

    menu_label = _("Business plans")
    menu_icon = "doc-full-inverse"
    menu_order = 165
    items = [
        BusinessPlanViewSet("plans_business_plan"),
        PlanTemplateViewSet("plans_template"),
        CallRulesViewSet("plans_call_rules"),
    ]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return BusinessPlansGroup()
