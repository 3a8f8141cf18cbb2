"""The form of a message in the thread of a match; the rules are
``mentors.services.messages``."""

import uuid

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from coaching.forms.base import AccessibleFormMixin, OnceKeyField
from mentors.models import MESSAGE_MAX_LENGTH
from mentors.services.messages import message_problem


class MessageForm(AccessibleFormMixin, forms.Form):
    """The text, and the form's one-time key (a double click sends once)."""

    body = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        strip=False,
        help_text=format_lazy(
            _("Up to {limit} characters. There is no way to send documents or photos here."),
            limit=MESSAGE_MAX_LENGTH,
        ),
        error_messages={"required": _("Write your message before sending it.")},
    )
    form_key = OnceKeyField()

    def __init__(self, *args, **kwargs):
        # Drawn once per form shown, so the page's form and a re-render keep the same key.
        kwargs.setdefault("initial", {}).setdefault("form_key", uuid.uuid4())
        super().__init__(*args, **kwargs)

    def clean_body(self):
        body = self.cleaned_data["body"]
        problem = message_problem(body)
        if problem:
            raise forms.ValidationError(problem)
        return body.strip()
