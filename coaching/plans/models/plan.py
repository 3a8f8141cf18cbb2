"""A participant's business plan: its sections (lean canvas boxes included) and the texts a
conflicting save kept."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: About 8,000 words: far more than any section needs; a longer text is refused with a
#: message, in the form that keeps it, never cut.
SECTION_MAX_LENGTH = 50_000
TITLE_MAX_LENGTH = 120


class BusinessPlan(models.Model):
    """A participant's plan: narrative sections from a template, a lean canvas and a financial
    model, reviewed by their mentor and, once ready, attachable to a grant application.

    draft → submitted (for review) → changes requested → submitted → … → ready. Ready can be
    reopened by the owner as a draft (a new round); every move is in Wagtail's log entries,
    which are the plan's history, and a submission keeps a version.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        READY = "ready", _("Ready")

    #: Allowed moves: the one place that says so (who may make each: ``services.review``).
    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.CHANGES_REQUESTED, Status.READY, Status.DRAFT},
        Status.CHANGES_REQUESTED: {Status.SUBMITTED},
        Status.READY: {Status.DRAFT},
    }
    #: The owner may edit the text only in these statuses; a submitted plan waits for the mentor.
    EDITABLE = (Status.DRAFT, Status.CHANGES_REQUESTED)

    participant = models.ForeignKey(
        "coaching.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="business_plans",
    )
    template = models.ForeignKey(
        "plans.PlanTemplate",
        verbose_name=_("template"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plans",
    )
    title = models.CharField(_("name of the plan"), max_length=TITLE_MAX_LENGTH)
    language = models.CharField(
        _("language of the plan"), max_length=10, choices=settings.LANGUAGES
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    #: The mentor the owner shared the plan with: they read and comment while they are still
    #: the owner's mentor (``selectors``), and never edit.
    shared_with = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shared with"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plans_shared_with_me",
    )
    call_rules = models.ForeignKey(
        "plans.CallRules",
        verbose_name=_("aimed at the call"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plans",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("business plan")
        verbose_name_plural = _("business plans")
        ordering = ("-updated_at", "-pk")

    def __str__(self):
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class PlanSection(models.Model):
    """One text of a plan: a section of its template or a box of its lean canvas.

    ``revision`` rises on every save; a save that started from an older revision does not
    overwrite: its text is kept as a ``SectionConflict`` for the person to compare and choose.
    """

    class Kind(models.TextChoices):
        CANVAS = "canvas", _("Lean canvas box")
        SECTION = "section", _("Section")

    class Progress(models.TextChoices):
        EMPTY = "empty", _("Not started")
        STARTED = "started", _("Started")
        DONE = "done", _("Done")

    plan = models.ForeignKey(BusinessPlan, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    key = models.SlugField(_("code"), max_length=40)
    #: Copied from the template when the plan starts: a template edited or deleted later
    #: leaves the plan readable.
    title = models.CharField(_("title"), max_length=120, blank=True)
    template_section = models.ForeignKey(
        "plans.PlanTemplateSection",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(_("text"), blank=True, max_length=SECTION_MAX_LENGTH)
    done = models.BooleanField(_("done"), default=False)
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(_("saved"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("plan section")
        verbose_name_plural = _("plan sections")
        ordering = ("kind", "position", "pk")
        constraints = [
            models.UniqueConstraint(fields=("plan", "kind", "key"), name="plans_section_once")
        ]

    def __str__(self):
        return self.title or self.key

    @property
    def progress(self) -> str:
        if self.done and self.text.strip():
            return self.Progress.DONE
        return self.Progress.STARTED if self.text.strip() else self.Progress.EMPTY


class SectionConflict(models.Model):
    """A text that was saved from an older copy of a section (another tab or device) and so
    did not overwrite the newer one. Kept until the person keeps it, merges it or lets it go."""

    section = models.ForeignKey(PlanSection, on_delete=models.CASCADE, related_name="conflicts")
    text = models.TextField(_("text"), max_length=SECTION_MAX_LENGTH)
    base_revision = models.PositiveIntegerField()
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("conflicting save")
        verbose_name_plural = _("conflicting saves")
        ordering = ("-created_at", "-pk")
        indexes = [
            models.Index(
                fields=("section",),
                condition=Q(resolved_at__isnull=True),
                name="plans_open_conflicts",
            )
        ]

    def __str__(self):
        return str(_("Kept text of %(section)s") % {"section": self.section})
