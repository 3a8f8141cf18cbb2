"""Mentors: who they are, what they know, when they are free, and the sites they work for."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import TranslatableMixin

from coaching.models import Gender, Need, Weekday
from coaching.models.path import length_at_most

BIO_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 2000


class Skill(TranslatableMixin, models.Model):
    """One entry of the list of skills a site's coordinators manage (marketing, accounting and
    tax, legal, digital, green, crafts, food…). Mentors pick theirs from it; ``meets_needs``
    says which of a participant's needs (``coaching.models.Need``) the skill helps with, which
    is how matching compares needs with skills. Translated like a snippet: the copies of one
    skill in each language share a ``translation_key``, the code matching uses."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="mentor_skills",
    )
    name = models.CharField(_("name"), max_length=80)
    meets_needs = models.JSONField(
        _("helps with these needs"),
        default=list,
        blank=True,
        help_text=_("The needs participants tick in their application that this skill helps with."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("mentor skill")
        verbose_name_plural = _("mentor skills")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = set(self.meets_needs or ()) - set(Need.values)
        if unknown:
            raise ValidationError({"meets_needs": _("Choose needs from the list.")})


class MentorProfile(models.Model):
    """A volunteer or professional who mentors participants: one profile per person, shown to
    coordinators and to their mentees, and read by matching. The sites the mentor works for
    and their standing on each are in ``MentorMembership``."""

    class Kind(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volunteer")
        PROFESSIONAL = "professional", _("Professional (accountant, business adviser…)")
        ENTREPRENEUR = "entrepreneur", _("Entrepreneur who made the same step")
        SOCIAL_ECONOMY = "social_economy", _("From a social-economy organisation")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="mentor_profile",
    )
    kind = models.CharField(_("kind of mentor"), max_length=20, choices=Kind.choices)
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    bio = models.TextField(_("about you"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="mentors/photos/", blank=True)
    photo_alt = models.CharField(
        _("description of the photo"),
        max_length=200,
        blank=True,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    gender = models.CharField(
        _("gender"),
        max_length=20,
        choices=Gender.choices,
        blank=True,
        help_text=_("Only used when a participant asks for a mentor of a given gender."),
    )
    sectors = models.JSONField(_("sectors you know"), default=list, blank=True)
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True)
    languages = models.JSONField(_("languages you speak"), default=list, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    meeting_modes = models.JSONField(_("how you meet"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("mentees at a time"),
        default=2,
        help_text=_("How many participants you can follow at the same time."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("mentor profile")
        verbose_name_plural = _("mentor profiles")
        ordering = ["user__last_name", "user__first_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=20), name="mentors_capacity_range"
            ),
            length_at_most("bio", BIO_MAX_LENGTH, "mentors_bio_max_length"),
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class MentorMembership(models.Model):
    """A mentor's standing with one site (municipality): applied, approved, paused or ended.

    A coordinator of the site decides; the mentor may pause or leave. Only approved members
    receive proposals; pausing or ending flags their mentees for a new match. The transitions
    are ``TRANSITIONS``, the one place that says so (``mentors.services.profiles``)."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Waiting for approval")
        APPROVED = "approved", _("Active")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")
        REJECTED = "rejected", _("Not accepted")

    TRANSITIONS = {
        Status.APPLIED: {Status.APPROVED, Status.REJECTED},
        Status.APPROVED: {Status.PAUSED, Status.ENDED},
        Status.PAUSED: {Status.APPROVED, Status.ENDED},
        Status.ENDED: {Status.APPLIED},
        Status.REJECTED: {Status.APPLIED},
    }

    profile = models.ForeignKey(
        MentorProfile,
        verbose_name=_("mentor"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="mentor_memberships",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLIED
    )
    motivation = models.TextField(_("why you want to mentor"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentor membership")
        verbose_name_plural = _("mentor memberships")
        ordering = ["site_id", "profile_id"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "site"], name="mentors_one_membership"),
            length_at_most("motivation", BIO_MAX_LENGTH, "mentors_motivation_max_length"),
            length_at_most("reason", REASON_MAX_LENGTH, "mentors_membership_reason_max_length"),
        ]
        indexes = [models.Index(fields=["site", "status"])]

    def __str__(self) -> str:
        return f"{self.profile} @ {self.site}"


class AvailabilityWindow(models.Model):
    """A weekly recurring time the mentor is free, in Europe/Rome time (e.g. Tuesday
    15:00–18:00). Sessions are booked inside these windows, except on the mentor's
    exceptions and on Italian public holidays."""

    profile = models.ForeignKey(
        MentorProfile,
        verbose_name=_("mentor"),
        on_delete=models.CASCADE,
        related_name="windows",
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("to"))

    class Meta:
        verbose_name = _("weekly availability")
        verbose_name_plural = _("weekly availability")
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="mentors_window_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class AvailabilityException(models.Model):
    """Days the mentor is away (holidays, illness) although the weekly windows say free."""

    profile = models.ForeignKey(
        MentorProfile,
        verbose_name=_("mentor"),
        on_delete=models.CASCADE,
        related_name="exceptions",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to (included)"))
    note = models.CharField(_("note"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("time away")
        verbose_name_plural = _("time away")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="mentors_exception_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on}"
