"""After the path: the follow-up form the person or a coordinator fills in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coaching.forms.base import YES_NO, AccessibleFormMixin, radio_field
from coaching.models import FollowUp


class FollowUpForm(AccessibleFormMixin, forms.Form):
    situation = radio_field(FollowUp.Situation.choices, _("What is your situation now?"))
    business_active = forms.TypedChoiceField(
        label=_("Is your business still active?"),
        choices=[*YES_NO, ("none", _("I have no business"))],
        widget=forms.RadioSelect,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
    )
    notes = forms.CharField(
        label=_("Anything else you want to tell us?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
