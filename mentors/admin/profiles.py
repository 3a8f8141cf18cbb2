"""Mentors in the Wagtail admin: the coordinators' list of applications and memberships, the
page to read a mentor's profile and decide, and each site's list of skills.

Scoped like coaching's site-owned records (``coaching.wagtail_hooks.ScopedViewSetMixin``): a
coordinator lists, reads and changes only their own sites' memberships and skills, and files
skills only under those sites; another site's coordinator gets a 404. Every decision goes
through ``mentors.services.profiles`` (which asks the site scoping rule again) and is kept in
Wagtail's log on the membership; no one edits a membership's status by hand, adds one (a
person applies) or deletes one (ended is how it ends).
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.models import ModelLogEntry

from coaching.models import Gender, Language, MeetingMode, Need, Sector
from coaching.selectors import scope_to_sites
from coaching.wagtail_hooks import (
    ROLE,
    ReadOnlyRowsMixin,
    ScopedIndexView,
    ScopedInspectView,
    ScopedViewSetMixin,
)
from mentors.admin.plan import MilestoneViewSet
from mentors.admin.scoped import SiteScopedSnippetViewSet
from mentors.models import REASON_MAX_LENGTH, MentorMembership, Skill
from mentors.services import profiles as services

Status = MentorMembership.Status

#: The coordinator's moves on a membership, the statuses they apply to, and their service.
DECISIONS = {
    "approve": (
        _("Approve"),
        {Status.APPLIED},
        lambda m, by, reason: services.membership_decide(
            membership=m, by=by, approve=True, reason=reason
        ),
    ),
    "reject": (
        _("Do not accept"),
        {Status.APPLIED},
        lambda m, by, reason: services.membership_decide(
            membership=m, by=by, approve=False, reason=reason
        ),
    ),
    "pause": (
        _("Pause"),
        {Status.APPROVED},
        lambda m, by, reason: services.membership_pause(membership=m, by=by, reason=reason),
    ),
    "resume": (
        _("Resume"),
        {Status.PAUSED},
        lambda m, by, reason: services.membership_resume(membership=m, by=by, reason=reason),
    ),
    "end": (
        _("End"),
        {Status.APPROVED, Status.PAUSED},
        lambda m, by, reason: services.membership_end(membership=m, by=by, reason=reason),
    ),
}


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to refuse, pause or end. The mentor reads it."),
    )


def _labels(codes, choices) -> str:
    labels = dict(choices)
    return ", ".join(str(labels[code]) for code in codes or () if code in labels) or "—"


class MembershipIndexView(ReadOnlyRowsMixin, ScopedIndexView):
    list_select_related = ("profile__user", "site")


class MembershipInspectView(ScopedInspectView):
    """The mentor's profile, their motivation and history, and the decisions open now."""

    template_name = "mentors/profiles/admin/membership.html"

    def get_object(self, queryset=None):
        membership = super().get_object(queryset)
        return (
            MentorMembership.objects.select_related("profile__user", "site", "decided_by")
            .prefetch_related("profile__skills")
            .get(pk=membership.pk)
        )

    def get_edit_url(self):
        return None

    def get_delete_url(self):
        return None

    def get_page_subtitle(self):
        return str(self.object.profile)

    def decisions(self):
        if not self.permission_policy.user_has_permission(self.request.user, "change"):
            return []
        return [
            (key, label)
            for key, (label, statuses, _move) in DECISIONS.items()
            if self.object.status in statuses
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        profile = self.object.profile
        context.update(
            membership=self.object,
            profile=profile,
            rows=[
                (_("Kind of mentor"), profile.get_kind_display()),
                (_("Organisation"), profile.organisation or "—"),
                (_("About"), profile.bio or "—"),
                (_("Sectors"), _labels(profile.sectors, Sector.choices)),
                (_("Skills"), ", ".join(skill.name for skill in profile.skills.all()) or "—"),
                (_("Languages"), _labels(profile.languages, Language.choices)),
                (_("Meets"), _labels(profile.meeting_modes, MeetingMode.choices)),
                (_("Where"), profile.municipality or "—"),
                (_("Mentees at a time"), profile.capacity),
                (_("Gender"), _labels([profile.gender], Gender.choices)),
                (_("E-mail"), profile.user.email),
                (_("Why they want to mentor"), self.object.motivation or "—"),
            ],
            history=ModelLogEntry.objects.for_instance(self.object)
            .select_related("user")
            .order_by("-timestamp"),
            decisions=self.decisions(),
            form=kwargs.get("form") or DecisionForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        if action not in dict(self.decisions()):
            raise PermissionDenied
        form = DecisionForm(request.POST)
        if form.is_valid():
            move = DECISIONS[action][2]
            try:
                move(self.object, request.user, form.cleaned_data["reason"])
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("reason" if hasattr(error, "error_dict") else None, message)
            else:
                messages.success(
                    request,
                    gettext("%(mentor)s: %(status)s")
                    % {
                        "mentor": self.object.profile,
                        "status": MentorMembership.objects.get(
                            pk=self.object.pk
                        ).get_status_display(),
                    },
                )
                return redirect(request.path)
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 400
        return response


class MembershipViewSet(ScopedViewSetMixin, ModelViewSet):
    """Applications and memberships: read, decide, pause, resume, end; never edited by hand."""

    model = MentorMembership
    icon = "user"
    menu_label = _("Mentors and applications")
    index_view_class = MembershipIndexView
    inspect_view_class = MembershipInspectView
    inspect_view_enabled = True
    list_display = [
        Column("mentor", label=_("Mentor"), accessor="profile"),
        "site",
        "status",
        "applied_at",
        "decided_at",
    ]
    list_filter = ["status"]
    search_fields = [
        "profile__user__first_name",
        "profile__user__last_name",
        "profile__user__email",
    ]
    search_backend_name = None
    ordering = ["-applied_at"]
    form_fields = ["motivation"]

    def _refused(self, request, *args, **kwargs):
        raise PermissionDenied

    def _to_inspect(self, request, pk):
        return redirect(self.get_url_name("inspect"), pk)

    @property
    def add_view(self):
        return self._refused

    @property
    def edit_view(self):
        return self._to_inspect

    @property
    def delete_view(self):
        return self._refused


# --- Skills ----------------------------------------------------------------------------------


class SkillForm(WagtailAdminModelForm):
    meets_needs = forms.MultipleChoiceField(
        label=_("Helps with these needs"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The needs participants tick in their application that this skill helps with."),
    )


class SkillViewSet(SiteScopedSnippetViewSet):
    """Each site's list of mentor skills, translatable like any snippet."""

    model = Skill
    icon = "tag"
    menu_label = _("Mentor skills")
    copy_view_enabled = False
    list_display = ["name", "site", Column("locale", label=_("Language"), accessor="locale")]
    ordering = ["site", "sort_order", "name"]
    edit_handler = ObjectList(
        [
            FieldPanel("site"),
            FieldPanel("name"),
            FieldPanel("meets_needs"),
            FieldPanel("sort_order"),
        ],
        base_form_class=SkillForm,
    )


class MentorsGroup(ModelViewSetGroup):
    menu_label = _("Mentors")
    menu_icon = "user"
    menu_order = 155
    items = [MembershipViewSet("mentors_membership"), SkillViewSet(), MilestoneViewSet()]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return MentorsGroup()


@hooks.register("before_delete_snippet")
def refuse_deleting_other_sites_skills(request, instances):
    """The bulk delete of snippets looks objects up by id alone: refuse it (and its
    confirmation page, which names them) for another site's skills."""
    skills = [obj for obj in instances if isinstance(obj, Skill)]
    if not skills:
        return None
    allowed = scope_to_sites(
        request.user, Skill.objects.filter(pk__in=[s.pk for s in skills]), role=ROLE
    ).count()
    if allowed != len(skills):
        raise PermissionDenied
    return None


@hooks.register("register_log_actions")
def register_log_actions(actions):
    """A membership's moves (``mentors.services.profiles``), in its history."""
    actions.register_action(services.LOG_APPLY, _("Apply to mentor"), _("Applied to mentor"))
    actions.register_action(services.LOG_APPROVE, _("Approve mentor"), _("Mentor approved"))
    actions.register_action(
        services.LOG_REJECT, _("Refuse mentor application"), _("Mentor application refused")
    )
    actions.register_action(services.LOG_PAUSE, _("Pause mentor"), _("Mentor paused"))
    actions.register_action(services.LOG_RESUME, _("Resume mentor"), _("Mentor resumed"))
    actions.register_action(services.LOG_END, _("End mentor membership"), _("Mentor left"))
