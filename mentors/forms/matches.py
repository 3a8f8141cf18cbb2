"""The forms of the people's side of a match: the mentor's answer, the participant's requests,
ending a match. Plain Django forms with coaching's accessible markup; the rules are in
``mentors.services.matches`` and ``mentors.services.requests``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coaching.forms.base import AccessibleFormMixin
from mentors.models import REASON_MAX_LENGTH


def _reason(label, help_text="", required=True, message=None):
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        required=required,
        help_text=help_text,
        error_messages={"required": message or _("Write the reason.")},
    )


class MatchAnswerForm(AccessibleFormMixin, forms.Form):
    """The mentor accepts or declines; a no needs a reason, for the coordinator."""

    ACCEPT, DECLINE = "accept", "decline"

    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (ACCEPT, _("Yes, I will be this person's mentor")),
            (DECLINE, _("No, I cannot")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    reason = _reason(
        _("Why not?"),
        help_text=_("Only if you decline. The coordinator reads it to find a better mentor."),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.DECLINE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why, so the coordinator can find a better mentor."))
        return data


class ChangeRequestForm(AccessibleFormMixin, forms.Form):
    """The participant asks for another mentor."""

    reason = _reason(
        _("Why would you like another mentor?"),
        help_text=_("Only the coordinators of the programme read it, not your mentor."),
        message=_("Say why, so the coordinator can find the right mentor for you."),
    )


class AskAgainForm(AccessibleFormMixin, forms.Form):
    """The participant asks for a mentor they had before; only those are offered."""

    wanted_mentor = forms.ModelChoiceField(
        label=_("Which mentor?"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose the mentor you would like again."),
            "invalid_choice": _("You can ask again only for a mentor who mentored you before."),
        },
    )
    reason = _reason(
        _("Why would you like this mentor again?"),
        help_text=_("Only the coordinators of the programme read it."),
        message=_("Say why, so the coordinator can find the right mentor for you."),
    )

    def __init__(self, *args, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wanted_mentor"].queryset = mentors


class MatchEndForm(AccessibleFormMixin, forms.Form):
    reason = _reason(
        _("Why does the mentoring end?"),
        help_text=_("The other person and the coordinators of the programme can read it."),
        message=_("Say why the mentoring ends."),
    )
