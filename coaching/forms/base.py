"""Shared form helpers: accessible Bootstrap Italia markup for every public form."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


class AccessibleFormMixin:
    """Adds Bootstrap Italia classes and links each field to its help text and errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            if field.help_text and not isinstance(widget, CHOICE_WIDGETS):
                widget.attrs["aria-describedby"] = f"id_{self.add_prefix(name)}_help"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            if isinstance(widget, CHOICE_WIDGETS):
                continue
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
            described = widget.attrs.get("aria-describedby", "")
            error_id = f"id_{self.add_prefix(name)}_error"  # the id field.html gives the error
            widget.attrs["aria-describedby"] = f"{described} {error_id}".strip()


def radio_field(choices, label, **kwargs):
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, **kwargs)


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class OnceKeyField(forms.UUIDField):
    """The hidden one-time key of a form shown once: the service stores it with what the form
    made, so a second submit (a double click, a retried request) finds that instead of doing it
    again. A missing or broken key (a form kept open for days, a hand-made request) gets a
    message the person can act on, not a field name."""

    def __init__(self, **kwargs):
        message = _("This form has expired: please send it once more.")
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("initial", uuid.uuid4)
        kwargs.setdefault("label", _("Form key"))
        kwargs.setdefault("error_messages", {"required": message, "invalid": message})
        super().__init__(**kwargs)
