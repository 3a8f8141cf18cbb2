"""How a municipality runs the programme: cohorts, staff per site, checklists, privacy notices."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from coaching.models.path import Stage


class Cohort(models.Model):
    """A group of participants who start the path together, with a limited number of places."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="coaching_cohorts",
    )
    name = models.CharField(_("name"), max_length=120, help_text=_("For example 'Spring 2026'."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveIntegerField(
        _("places"), help_text=_("How many participants this cohort can take.")
    )

    panels = [
        FieldPanel("site"),
        FieldPanel("name"),
        FieldPanel("starts_on"),
        FieldPanel("ends_on"),
        FieldPanel("capacity"),
    ]

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="coaching_cohort_unique_name"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="coaching_cohort_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StaffSiteAssignment(models.Model):
    """Which municipality (Wagtail site) a staff member works for.

    Coordinators see only its participants; editors and coordinators get their page
    permissions on its pages (the host keeps a group per site and role in step with these
    rows). One row per person and site; a person may work for several sites. Superusers see
    every site. Kept in coaching (not on the user) so the app stays reusable.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="coaching_site_assignments",
    )
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="coaching_staff_assignments",
    )

    panels = [FieldPanel("user"), FieldPanel("site")]

    class Meta:
        verbose_name = _("staff site assignment")
        verbose_name_plural = _("staff site assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "site"], name="coaching_staff_site_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.site}"


class ChecklistItem(models.Model):
    """A next step shown to participants at one stage of the path; coordinators write these."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty to show this step in every municipality."),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    text = models.CharField(
        _("text"),
        max_length=200,
        help_text=_("One short action in plain words, e.g. 'Book your first meeting'."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    panels = [FieldPanel("site"), FieldPanel("stage"), FieldPanel("text"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["stage", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.text


class PrivacyNotice(models.Model):
    """A version of the privacy notice: consents record which version the person accepted.

    Each municipality is a separate data controller, so a notice belongs to a site; a notice
    without a site is the shared one, in force on every site that has none of its own.
    """

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coaching_privacy_notices",
        help_text=_(
            "The municipality whose notice this is. Leave empty for the notice used by every "
            "municipality that has not published its own."
        ),
    )
    version = models.CharField(_("version"), max_length=20, help_text=_("For example '2026-01'."))
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("full text page"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "The site page with the full privacy notice. People reading in another language "
            "are sent to its translation."
        ),
    )
    url = models.URLField(
        _("full text address"),
        blank=True,
        help_text=_(
            "Link to the full privacy notice elsewhere (for example on the municipality's "
            "main website), if it is not a page of this site."
        ),
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("A few plain sentences shown to the person before they accept."),
    )
    published_at = models.DateTimeField(_("in force from"))

    panels = [
        FieldPanel("site"),
        FieldPanel("version"),
        FieldPanel("page"),
        FieldPanel("url"),
        FieldPanel("summary"),
        FieldPanel("published_at"),
    ]

    #: What people agree to: once someone accepted this version, these never change.
    frozen_fields = ("site_id", "version", "page_id", "url", "summary", "published_at")

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        ordering = ["-published_at"]
        get_latest_by = "published_at"
        constraints = [
            models.UniqueConstraint(
                fields=["version"],
                condition=models.Q(site__isnull=True),
                name="coaching_privacynotice_shared_version_once",
            ),
            models.UniqueConstraint(
                fields=["site", "version"],
                condition=models.Q(site__isnull=False),
                name="coaching_privacynotice_site_version_once",
            ),
        ]

    def __str__(self) -> str:
        return self.version

    def save(self, *args, **kwargs):
        # The same rule for code that skips the form: what someone accepted stays as it was.
        self.clean()
        super().save(*args, **kwargs)

    def full_text_url(self, request=None) -> str:
        """Where to read the whole notice: the page in the active language, else the link."""
        if self.page_id:
            page = self.page.localized
            if page.live:
                return page.get_url(request) or ""
        return self.url

    @property
    def is_accepted(self) -> bool:
        from coaching.models.consent import ConsentRecord

        return self.pk is not None and ConsentRecord.objects.filter(notice_id=self.pk).exists()

    def _changes_accepted_text(self) -> bool:
        if self.pk is None or self._state.adding or not self.is_accepted:
            return False
        stored = type(self).objects.filter(pk=self.pk).values(*self.frozen_fields).first()
        return stored is not None and any(
            stored[field] != getattr(self, field) for field in self.frozen_fields
        )

    def clean(self):
        super().clean()
        if self._changes_accepted_text():
            raise ValidationError(
                _(
                    "People have already accepted this version, so it cannot be changed. "
                    "Add a new version with the new text instead."
                )
            )
