"""The one rule for files people upload to a grant (an application's documents, an expense
report's receipts): a PDF, JPG or PNG by its content, not empty, no bigger than
``GRANT_UPLOAD_MAX_SIZE``. Forms check it before the service does, so a refused file shows
its reason next to the field and nothing is stored."""

import uuid

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from coaching.conf import app_settings

#: The content types accepted, with the extension each is stored under (never the
#: uploaded name: it is kept apart, for downloads).
ACCEPTED_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def upload_content_type(upload) -> str:
    """The type of ``upload`` as its content shows it, or ``ValidationError`` saying why it
    is refused: the name and the browser's word prove nothing, and staff open these files."""
    if upload is None:
        raise ValidationError(_("Choose the file to upload."), code="required")
    if upload.size > app_settings.GRANT_UPLOAD_MAX_SIZE:
        raise ValidationError(
            _("The file is bigger than %(limit)s: scan it at a lower resolution.")
            % {"limit": filesizeformat(app_settings.GRANT_UPLOAD_MAX_SIZE)},
            code="too_big",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    kind = filetype.guess(upload.read(2048))
    upload.seek(0)
    if kind is None or kind.mime not in ACCEPTED_TYPES:
        raise ValidationError(
            _(
                "The file's content is not a PDF, JPG or PNG, whatever its name says. "
                "Save or scan the document as one of those and upload that file."
            ),
            code="content_type",
        )
    return kind.mime


def stored_name(upload) -> str:
    """A random name with the extension of ``upload``'s checked content type."""
    return uuid.uuid4().hex + ACCEPTED_TYPES[upload_content_type(upload)]
