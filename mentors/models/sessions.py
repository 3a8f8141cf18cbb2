"""Mentoring sessions and what follows them: reminders, notes, action items, feedback."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coaching.models import MeetingMode
from coaching.models.path import length_at_most
from mentors.models.matches import Match
from mentors.models.profiles import REASON_MAX_LENGTH, MentorProfile

SUMMARY_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 5000
MESSAGE_MAX_LENGTH = 4000


class Session(models.Model):
    """A meeting of a mentor and their mentee, in person (a place) or online (a link).

    One side asks (``requested_by``), the other confirms. A mentor or a participant is never
    in two sessions at once: on PostgreSQL an exclusion constraint over the time range says so
    (migration ``0002``), on SQLite the booking service checks inside its transaction. The
    minutes held are stored as evidence of the coaching delivered.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("Participant did not come")
        LATE_CANCELLED = "late_cancelled", _("Cancelled at the last minute")

    #: The statuses that hold the time: no other session of either person may overlap them.
    BUSY = (Status.REQUESTED, Status.CONFIRMED, Status.HELD, Status.NO_SHOW)
    TRANSITIONS = {
        Status.REQUESTED: {Status.CONFIRMED, Status.CANCELLED},
        Status.CONFIRMED: {
            Status.HELD,
            Status.NO_SHOW,
            Status.CANCELLED,
            Status.LATE_CANCELLED,
        },
        Status.CANCELLED: set(),
        Status.HELD: set(),
        Status.NO_SHOW: set(),
        Status.LATE_CANCELLED: set(),
    }

    match = models.ForeignKey(
        Match, verbose_name=_("match"), on_delete=models.PROTECT, related_name="sessions"
    )
    # Copies of the match's two people, so the database can forbid overlaps per person.
    mentor = models.ForeignKey(
        MentorProfile, verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="+"
    )
    participant = models.ForeignKey(
        "coaching.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="mentor_sessions",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    mode = models.CharField(_("how"), max_length=20, choices=MeetingMode.choices)
    place = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(_("link to the call"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    #: The one-time key of the booking form: a second POST of it finds this session.
    booking_key = models.UUIDField(_("booking form key"), null=True, blank=True, unique=True)
    #: Raised at every change of time or status, for calendar clients (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    summary = models.TextField(_("summary shared with the participant"), blank=True)
    minutes_held = models.PositiveSmallIntegerField(_("minutes held"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("mentoring session")
        verbose_name_plural = _("mentoring sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="mentors_session_order"
            ),
            models.CheckConstraint(
                condition=Q(minutes_held__isnull=True) | Q(minutes_held__lte=600),
                name="mentors_session_minutes_range",
            ),
            length_at_most("summary", SUMMARY_MAX_LENGTH, "mentors_summary_max_length"),
            length_at_most("cancel_reason", REASON_MAX_LENGTH, "mentors_cancel_reason_max_length"),
        ]
        indexes = [
            models.Index(fields=["mentor", "starts_at"]),
            models.Index(fields=["participant", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} – {self.participant.reference} {self.starts_at:%Y-%m-%d %H:%M}"


class SessionReminder(models.Model):
    """A reminder e-mail queued for a session, a day or an hour before. ``starts_at`` is the
    session's start when it was queued: a moved session gets new rows, and the task sends
    nothing when the session no longer starts then or was cancelled; ``sent_at`` is set once."""

    class Kind(models.TextChoices):
        DAY = "day", _("A day before")
        HOUR = "hour", _("An hour before")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    starts_at = models.DateTimeField(_("session start when queued"))
    send_at = models.DateTimeField(_("send at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("session reminder")
        verbose_name_plural = _("session reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "kind", "starts_at"], name="mentors_one_reminder"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.kind} {self.send_at:%Y-%m-%d %H:%M}"


class MentorNote(models.Model):
    """The mentor's private notes on a session: the mentor's alone, not the coordinators',
    not the participant's."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("private mentor note")
        verbose_name_plural = _("private mentor notes")
        ordering = ["created_at", "pk"]
        constraints = [length_at_most("body", NOTE_MAX_LENGTH, "mentors_note_max_length")]

    def __str__(self) -> str:
        return f"{self.session_id} {self.created_at:%Y-%m-%d}"


class ActionItem(models.Model):
    """Something to do after a session, by the mentor or the participant, by a date."""

    class Owner(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        MENTOR = "mentor", _("Mentor")

    match = models.ForeignKey(
        Match, verbose_name=_("match"), on_delete=models.CASCADE, related_name="action_items"
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    text = models.CharField(_("what"), max_length=300)
    owner = models.CharField(_("who"), max_length=20, choices=Owner.choices)
    due_on = models.DateField(_("by"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["done_at", "due_on", "pk"]

    def __str__(self) -> str:
        return self.text


class SessionFeedback(models.Model):
    """The participant's two answers after a session."""

    session = models.OneToOneField(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="feedback"
    )
    useful = models.PositiveSmallIntegerField(
        _("how useful was the session"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("what would help you more next time"), blank=True)
    created_at = models.DateTimeField(_("given at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session feedback")
        verbose_name_plural = _("session feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(useful__gte=1, useful__lte=5), name="mentors_feedback_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.useful}/5"


class CalendarFeed(models.Model):
    """A person's private iCal feed of their sessions. The URL holds ``token``; revoking it
    deletes the row, so the old URL answers 404, and a new feed gets a new token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="mentor_calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user_id)


class Message(models.Model):
    """A message in the thread of a match, so neither side must share a phone or an address."""

    match = models.ForeignKey(
        Match, verbose_name=_("match"), on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("from"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    body = models.TextField(_("message"))
    #: The one-time key of the form that sent it: a double click sends once.
    form_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        constraints = [length_at_most("body", MESSAGE_MAX_LENGTH, "mentors_message_max_length")]
        indexes = [models.Index(fields=["match", "created_at"])]

    def __str__(self) -> str:
        return f"{self.match_id} {self.created_at:%Y-%m-%d %H:%M}"


__all__ = [
    "MESSAGE_MAX_LENGTH",
    "NOTE_MAX_LENGTH",
    "REASON_MAX_LENGTH",
    "SUMMARY_MAX_LENGTH",
    "ActionItem",
    "CalendarFeed",
    "MentorNote",
    "Message",
    "Session",
    "SessionFeedback",
    "SessionReminder",
]
