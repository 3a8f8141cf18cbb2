"""Handing an account enrolled by staff over to the person: a one-time code, stored hashed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HandoverCode(models.Model):
    """A one-time code that lets a person take over the account staff created for them.

    Only a hash of the code is stored. ``lookup`` is the public half printed next to the code,
    so a wrong guess can be counted against one hand-over and lock it after too many tries.
    """

    class Channel(models.TextChoices):
        PRINTED = "printed", _("Printed and handed over")
        EMAIL = "email", _("Sent by e-mail")

    participant = models.ForeignKey(
        "coaching.Participant",
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="handover_codes",
    )
    lookup = models.CharField(_("reference"), max_length=16, unique=True)
    code_hash = models.CharField(_("code hash"), max_length=128)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    #: The one-time key of the staff form that asked for this code: a double click sends the
    #: same key, and the second request finds this row instead of replacing the code.
    request_key = models.UUIDField(
        _("request key"), null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        verbose_name = _("hand-over code")
        verbose_name_plural = _("hand-over codes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.lookup
