"""Matches between a participant and a mentor, with their whole history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coaching.models.path import length_at_most
from mentors.models.profiles import REASON_MAX_LENGTH, MentorProfile


class Match(models.Model):
    """A participant paired with a mentor, from the proposal to its end.

    proposed (by matching or a coordinator) → confirmed (by a coordinator) → accepted or
    declined (by the mentor) → ended (by anyone, with a reason). A participant has at most one
    open match (proposed, confirmed or accepted); a declined or ended match sends them back to
    the pool. ``score`` and ``terms`` are the matching score at the proposal and its terms
    (codes and facts, turned into sentences in the reader's language when shown). Every change
    is a ``MatchEvent``; the mentor sees the participant only while the match is accepted.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Waiting for the mentor")
        ACCEPTED = "accepted", _("Active")
        DECLINED = "declined", _("Declined by the mentor")
        ENDED = "ended", _("Ended")

    OPEN = (Status.PROPOSED, Status.CONFIRMED, Status.ACCEPTED)
    TRANSITIONS = {
        Status.PROPOSED: {Status.CONFIRMED, Status.ENDED},
        Status.CONFIRMED: {Status.ACCEPTED, Status.DECLINED, Status.ENDED},
        Status.ACCEPTED: {Status.ENDED},
        Status.DECLINED: set(),
        Status.ENDED: set(),
    }

    participant = models.ForeignKey(
        "coaching.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="mentor_matches",
    )
    mentor = models.ForeignKey(
        MentorProfile,
        verbose_name=_("mentor"),
        on_delete=models.PROTECT,
        related_name="matches",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    score = models.FloatField(_("fit"), default=0)
    terms = models.JSONField(_("reasons"), default=list, blank=True)
    #: Set when the mentor paused or left: the coordinator should find a new mentor.
    needs_rematch = models.BooleanField(_("needs a new mentor"), default=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.TextField(_("reason for ending"), blank=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(status__in=["proposed", "confirmed", "accepted"]),
                name="mentors_one_open_match",
            ),
            length_at_most("end_reason", REASON_MAX_LENGTH, "mentors_end_reason_max_length"),
        ]
        indexes = [models.Index(fields=["mentor", "status"])]

    def __str__(self) -> str:
        return f"{self.participant.reference} – {self.mentor}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class MatchEvent(models.Model):
    """One step of a match's history: who moved it where, when and why. Never changed."""

    match = models.ForeignKey(
        Match, verbose_name=_("match"), on_delete=models.CASCADE, related_name="events"
    )
    status = models.CharField(_("status"), max_length=20, choices=Match.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("match event")
        verbose_name_plural = _("match events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.match_id} {self.status} {self.at:%Y-%m-%d}"


class ChangeRequest(models.Model):
    """A participant asks for another mentor, with a reason, or for a previous one again."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the coordinator")
        DONE = "done", _("Handled")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    participant = models.ForeignKey(
        "coaching.Participant",
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="mentor_change_requests",
    )
    match = models.ForeignKey(
        Match,
        verbose_name=_("current match"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change_requests",
    )
    wanted_mentor = models.ForeignKey(
        MentorProfile,
        verbose_name=_("mentor asked for"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("request to change mentor")
        verbose_name_plural = _("requests to change mentor")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(status="open"),
                name="mentors_one_open_change_request",
            ),
            length_at_most("reason", REASON_MAX_LENGTH, "mentors_change_reason_max_length"),
        ]

    def __str__(self) -> str:
        return f"{self.participant.reference} {self.get_status_display()}"


__all__ = ["REASON_MAX_LENGTH", "ChangeRequest", "Match", "MatchEvent"]
