"""The forms of booking, confirming, moving and cancelling a session. Plain Django forms with
coaching's accessible markup; every rule is in ``mentors.services.sessions`` (a time the form
accepts may still be refused there, with its own message)."""

from datetime import UTC, datetime, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from coaching.forms.base import AccessibleFormMixin, OnceKeyField
from coaching.models import MeetingMode
from mentors.models import REASON_MAX_LENGTH
from mentors.selectors_sessions import zone

#: How a slot travels in a form: its start in UTC, to the minute.
SLOT_FORMAT = "%Y%m%dT%H%MZ"


def slot_value(starts_at: datetime) -> str:
    return starts_at.astimezone(UTC).strftime(SLOT_FORMAT)


def _modes(modes):
    labels = dict(MeetingMode.choices)
    codes = [code for code in modes or () if code in labels] or list(labels)
    return [(code, labels[code]) for code in codes]


def _within_reach(starts: datetime) -> bool:
    """No booking form reaches further than a year, either way: a far date (year 9999, year 1)
    would overflow the time arithmetic and means a typing slip anyway."""
    now = datetime.now(UTC)
    return now - timedelta(days=366) <= starts <= now + timedelta(days=366)


class _Keyed(forms.Form):
    """A one-time key per form shown: a second submit of it does nothing more."""

    key = OnceKeyField()


class SlotForm(AccessibleFormMixin, forms.Form):
    """The participant picks one of the free slots (radio buttons grouped by day, drawn by the
    template). The value is checked by the booking service, not against the list shown: a
    slot taken meanwhile gets the service's clear message, not "invalid choice"."""

    slot = forms.CharField(
        label=_("Choose a time"),
        error_messages={"required": _("Choose one of the free times.")},
    )

    def clean_slot(self):
        try:
            starts = datetime.strptime(self.cleaned_data["slot"], SLOT_FORMAT).replace(tzinfo=UTC)
        except ValueError:
            raise forms.ValidationError(_("Choose one of the free times.")) from None
        if not _within_reach(starts):
            raise forms.ValidationError(_("Choose one of the free times."))
        return starts

    @property
    def starts_at(self):
        return self.cleaned_data["slot"]


class ParticipantBookingForm(_Keyed, SlotForm):
    mode = forms.ChoiceField(
        label=_("How would you like to meet?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose in person or online.")},
    )
    place = forms.CharField(
        label=_("Where would you like to meet?"),
        max_length=200,
        required=False,
        help_text=_(
            "Only for a meeting in person. If you leave it empty, your mentor suggests it."
        ),
    )

    def __init__(self, *args, modes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = _modes(modes)


class DateTimeForm(AccessibleFormMixin, forms.Form):
    """A day and a time in the programme's zone (Europe/Rome), as the mentor types them."""

    day = forms.DateField(
        label=_("Day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Write the day."),
            "invalid": _("Write the day as 31/12/2026."),
        },
    )
    time = forms.TimeField(
        label=_("Start time"),
        help_text=_("Italian time. The session lasts an hour."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Write the time."), "invalid": _("Write the time as 15:30.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("time"):
            wall = datetime.combine(data["day"], data["time"])
            starts = wall.replace(tzinfo=zone())
            if not _within_reach(starts):
                self.add_error("day", _("Choose a day within the next twelve months."))
            elif starts.astimezone(UTC).astimezone(zone()).replace(tzinfo=None) != wall:
                # The hour skipped when the clocks go forward (e.g. 02:30 on the last Sunday
                # of March) does not exist in Italian time.
                self.add_error(
                    "time",
                    _("This time does not exist that day: the clocks go forward. Choose another."),
                )
            else:
                data["starts_at"] = starts
        return data

    @property
    def starts_at(self):
        return self.cleaned_data["starts_at"]


class MentorProposalForm(_Keyed, DateTimeForm):
    mode = forms.ChoiceField(
        label=_("How will you meet?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose in person or online.")},
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("For a meeting in person: the address, and the room if it helps."),
    )
    link = forms.URLField(
        label=_("Link to the call"),
        required=False,
        assume_scheme="https",
        help_text=_("For an online meeting: the full link, starting with https://."),
        error_messages={"invalid": _("Write the full link to the call, starting with https://.")},
    )

    def __init__(self, *args, modes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = _modes(modes)


class ConfirmForm(AccessibleFormMixin, forms.Form):
    """The mentor may add the place or the link when confirming; the participant just
    confirms (the form then has no fields)."""

    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    link = forms.URLField(
        label=_("Link to the call"),
        required=False,
        assume_scheme="https",
        help_text=_("The full link, starting with https://."),
        error_messages={"invalid": _("Write the full link to the call, starting with https://.")},
    )

    def __init__(self, *args, ask: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        for name in [name for name in self.fields if name not in ask]:
            del self.fields[name]


class CancelForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why are you cancelling?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        help_text=_("The other person reads it."),
        error_messages={"required": _("Say why the session is cancelled.")},
    )
