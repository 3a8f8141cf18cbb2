"""Forms of the review and of versions: a comment, a request for changes, a version's label.
The rules (who, when, how long) are ``services.review`` and ``services.versions``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coaching.forms.base import AccessibleFormMixin, OnceKeyField
from coaching.plans.models import COMMENT_MAX_LENGTH
from coaching.plans.models.versions import LABEL_MAX_LENGTH


class CommentForm(AccessibleFormMixin, forms.Form):
    """A new thread or a reply; the one-time key makes a double click write once."""

    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        # Longer texts reach the service, which says how long they are (and keeps them here).
        max_length=COMMENT_MAX_LENGTH * 2,
        error_messages={"required": _("Write your comment before sending it.")},
    )
    form_key = OnceKeyField()

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["body"].label = label


class RequestChangesForm(AccessibleFormMixin, forms.Form):
    message = forms.CharField(
        label=_("What should change"),
        help_text=_(
            "A few sentences for the owner: what to improve first. Comment on single "
            "sections on their pages."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=COMMENT_MAX_LENGTH * 2,
        error_messages={
            "required": _("Write what should change, so the owner knows where to start.")
        },
    )


class VersionForm(AccessibleFormMixin, forms.Form):
    label = forms.CharField(
        label=_("Name of the version (optional)"),
        help_text=_("For example “before the meeting with the bank”."),
        max_length=LABEL_MAX_LENGTH,
        required=False,
    )
