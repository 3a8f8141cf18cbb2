"""A person's request to erase their data, and what became of it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ErasureRequest(models.Model):
    """One request to erase a participation's personal data.

    The person files it from a confirmation page that says what goes and what is kept, and may
    withdraw it until a coordinator erases the data. The row outlives the erasure: it is the
    accountability for it (linked only to the participant reference). The coordinators' queue
    reads ``Participant.erasure_requested_at``, which the services keep equal to the open
    request's time (``coaching.services.data``).
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        WITHDRAWN = "withdrawn", _("Withdrawn by the person")
        DONE = "done", _("Data erased")

    #: The only moves a request can make: an open request is withdrawn or carried out.
    TRANSITIONS = {Status.REQUESTED: {Status.WITHDRAWN, Status.DONE}}

    participant = models.ForeignKey(
        "coaching.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="erasure_requests",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    requested_at = models.DateTimeField(_("requested at"))
    closed_at = models.DateTimeField(_("withdrawn or carried out at"), null=True, blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # A double submit, or two tabs, file one request.
            models.UniqueConstraint(
                fields=["participant"],
                condition=models.Q(status="requested"),
                name="coaching_erasure_request_one_open",
            ),
            models.CheckConstraint(
                condition=models.Q(status="requested", closed_at__isnull=True)
                | (~models.Q(status="requested") & models.Q(closed_at__isnull=False)),
                name="coaching_erasure_request_closed_when_not_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} · {self.get_status_display()}"

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())
