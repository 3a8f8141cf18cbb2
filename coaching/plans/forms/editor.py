"""The forms of the plan list, the section editor, the lean canvas and a conflict's choice.

They check the shape of what was sent; the rules (who may, how long a text may be, what a
stale revision means) are ``coaching.plans.services``: a text is never cut by a ``maxlength``
here, since the service refuses a long one with a message and the form keeps it.
"""

import uuid

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from coaching.forms.base import AccessibleFormMixin, OnceKeyField
from coaching.plans.models.plan import TITLE_MAX_LENGTH

KEEP_MINE = "mine"
KEEP_CURRENT = "current"
KEEP_MERGED = "merged"


def _language_choices():
    return [(code, _(name)) for code, name in settings.LANGUAGES]


#: The largest revision the database stores (a positive 32-bit integer): a page never sends
#: more, and a hand-made larger number is a form error, not a database error.
REVISION_MAX = 2_147_483_647


class _TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_language_display()})"


class PlanCreateForm(AccessibleFormMixin, forms.Form):
    """Name, language, template and call of a new plan, and a one-time key."""

    title = forms.CharField(
        label=_("Name of the plan"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("For example the name of your business, or “Bakery in via Roma”."),
        error_messages={"required": _("Give your plan a name: you can change it later.")},
    )
    language = forms.ChoiceField(
        label=_("Language of the plan"),
        help_text=_("The language you will write in, and of its PDF."),
    )
    template = _TemplateChoiceField(
        label=_("Outline"),
        queryset=None,
        required=False,
        empty_label=_("The one suggested for the plan's language"),
        help_text=_("The sections your plan will have."),
    )
    call_rules = forms.ModelChoiceField(
        label=_("Call you aim at"),
        queryset=None,
        required=False,
        empty_label=_("None yet"),
        help_text=_("The plan will warn you when its budget breaks the call's rules."),
    )
    key = OnceKeyField()

    def __init__(self, *args, templates, calls, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("key", uuid.uuid4())
        active = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        initial.setdefault("language", active)
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _language_choices()
        self.fields["template"].queryset = templates
        self.fields["call_rules"].queryset = calls

    def clean(self):
        cleaned = super().clean()
        template, language = cleaned.get("template"), cleaned.get("language")
        if template is not None and language and template.language != language:
            self.add_error(
                "template",
                _(
                    "This outline is written in %(template)s: choose one in the plan's "
                    "language, or the suggested one."
                )
                % {"template": template.get_language_display()},
            )
        return cleaned


class PlanSettingsForm(AccessibleFormMixin, forms.Form):
    title = PlanCreateForm.base_fields["title"]
    call_rules = forms.ModelChoiceField(
        label=_("Call you aim at"),
        queryset=None,
        required=False,
        empty_label=_("None yet"),
        help_text=_("The plan will warn you when its budget breaks the call's rules."),
    )

    def __init__(self, *args, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call_rules"].queryset = calls


class SectionForm(AccessibleFormMixin, forms.Form):
    """A section's text, whether it is done, and the revision it was written on."""

    text = forms.CharField(
        label=_("Your text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    done = forms.BooleanField(
        label=_("This section is done"),
        required=False,
        help_text=_("Tick it when you are happy with it; you can still change it."),
    )
    revision = forms.IntegerField(min_value=0, max_value=REVISION_MAX, widget=forms.HiddenInput)

    def __init__(self, *args, with_done=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_done:
            del self.fields["done"]

    def full_clean(self):
        super().full_clean()
        if "revision" in self.errors:
            # Only a hand-made request lacks it: say what to do, not the field's name.
            self.errors.pop("revision")
            self.add_error(None, _("This page is out of date: open it again to go on."))


class CanvasBoxForm(SectionForm):
    """One box of the lean canvas (prefixed by its code); its label is the box's title."""

    def __init__(self, *args, title, hint, **kwargs):
        super().__init__(*args, with_done=False, **kwargs)
        self.fields["text"].label = title
        self.fields["text"].help_text = hint
        self.fields["text"].widget.attrs.update(
            rows=5, **{"aria-describedby": f"id_{self.add_prefix('text')}_help"}
        )


class ConflictForm(AccessibleFormMixin, forms.Form):
    """Which text to keep; ``merged`` is the text the person put together."""

    keep = forms.ChoiceField(
        choices=[(KEEP_MINE, KEEP_MINE), (KEEP_CURRENT, KEEP_CURRENT), (KEEP_MERGED, KEEP_MERGED)],
        error_messages={
            "required": _("Choose which text to keep."),
            "invalid_choice": _("Choose which text to keep."),
        },
    )
    merged = forms.CharField(
        label=_("Put the two together"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Copy what you want from both, then keep this text."),
    )
