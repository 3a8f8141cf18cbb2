"""Consents: which privacy notice a person read, and each explicit consent, over time."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from coaching.conf import app_settings
from coaching.models.path import DECLARATION_MAX_LENGTH, AppendOnlyModel, length_at_most


class PrivateFileSystemStorage(FileSystemStorage):
    """Local files with no URL at all: they are served only through permission-checked views.

    For S3-compatible storage in production, point ``COACHING_PRIVATE_STORAGE_ROOT`` at a
    folder outside the web root or replace this class with a private bucket.
    """

    def url(self, name):
        raise ValueError("Private files have no public URL.")


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = PrivateFileSystemStorage(location=app_settings.PRIVATE_STORAGE_ROOT)


private_storage = PrivateStorage()


def _private_storage():
    return private_storage


class ConsentRecord(AppendOnlyModel):
    """One consent given or withdrawn. The current state of a kind is its latest record.

    Append-only: withdrawing adds a record with ``granted=False``, so the history of what the
    person agreed to, and when, is never lost.
    """

    class Kind(models.TextChoices):
        PRIVACY_NOTICE = "privacy_notice", _("Privacy notice read")
        SPECIAL_CATEGORY = "special_category", _("Questions on disability and minority background")
        SHARE_WITH_MENTOR = "share_with_mentor", _("Share my progress with my mentor")
        FOLLOW_UP_CONTACT = "follow_up_contact", _("Contact me after the path to ask how I am")

    class Method(models.TextChoices):
        ONLINE = "online", _("Online, by the person")
        PAPER_FORM = "paper_form", _("Signed paper form")
        DECLARATION = "declaration", _("Spoken consent, declared by staff")

    participant = models.ForeignKey(
        "coaching.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="consents",
    )
    kind = models.CharField(_("consent"), max_length=30, choices=Kind.choices)
    granted = models.BooleanField(_("given"))
    notice = models.ForeignKey(
        "coaching.PrivacyNotice",
        verbose_name=_("privacy notice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    method = models.CharField(
        _("how"), max_length=20, choices=Method.choices, default=Method.ONLINE
    )
    document = models.FileField(
        _("signed form"),
        storage=_private_storage,
        upload_to="consents/%Y/%m/",
        blank=True,
    )
    declaration = models.TextField(_("staff declaration"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["participant", "kind", "-created_at", "-pk"]
        constraints = [
            length_at_most(
                "declaration", DECLARATION_MAX_LENGTH, "coaching_consent_declaration_max_length"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.granted}"
