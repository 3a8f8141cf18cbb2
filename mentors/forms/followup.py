"""The forms after a session: the mentor's report with its action items, and the
participant's feedback. They check what a person can fix in place and say so in words; the
rules are ``mentors.services.followup`` (the forms use its limits and messages). The action
items are a formset that works without JavaScript: "add another" posts the form back with one
more row (``mentors.forms.profiles.with_one_more_row``)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coaching.forms.base import AccessibleFormMixin
from mentors.forms.profiles import PrefixedAccessibleMixin, RowsFormSet
from mentors.models import NOTE_MAX_LENGTH, SUMMARY_MAX_LENGTH, ActionItem, Session
from mentors.services.followup import (
    ATTENDANCE,
    FEEDBACK_COMMENT_MAX_LENGTH,
    ITEM_TEXT_MAX_LENGTH,
    MINUTES_MAX,
    MINUTES_MIN,
    USEFUL_MAX,
    USEFUL_MIN,
    ActionItemRow,
    too_long_messages,
)

ITEMS_PREFIX = "items"
ITEMS_MAX = 30


def _too_long(name: str) -> dict:
    return {"max_length": too_long_messages()[name]}


class SessionReportForm(AccessibleFormMixin, forms.Form):
    """Attendance (only while it is not recorded yet), minutes, summary and private note."""

    attendance = forms.ChoiceField(
        label=_("Did the meeting take place?"),
        choices=[(status.value, status.label) for status in ATTENDANCE],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the meeting was held.")},
    )
    minutes_held = forms.IntegerField(
        label=_("Minutes held"),
        required=False,
        min_value=MINUTES_MIN,
        max_value=MINUTES_MAX,
        help_text=_(
            "Only if the meeting was held. The programme counts these minutes as the "
            "mentoring given."
        ),
        error_messages={"invalid": _("Write the minutes as a number, for example 60.")},
    )
    summary = forms.CharField(
        label=_("Summary for the participant"),
        required=False,
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you talked about and agreed. The participant can read it."),
        error_messages=_too_long("summary"),
    )
    note = forms.CharField(
        label=_("Private note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Only you can read it: not the participant, not the coordinators of the programme."
        ),
        error_messages=_too_long("note"),
    )

    def __init__(self, *args, recorded: str | None = None, **kwargs):
        """``recorded``: the attendance already recorded, if any; it is then not asked again."""
        super().__init__(*args, **kwargs)
        self.recorded = recorded
        if recorded:
            del self.fields["attendance"]
        out_of_range = gettext("A meeting lasts from %(min)s to %(max)s minutes.") % {
            "min": MINUTES_MIN,
            "max": MINUTES_MAX,
        }
        self.fields["minutes_held"].error_messages.update(
            min_value=out_of_range, max_value=out_of_range
        )

    def clean(self):
        cleaned = super().clean()
        attendance = self.recorded or cleaned.get("attendance")
        if (
            attendance == Session.Status.HELD
            and cleaned.get("minutes_held") is None
            and "minutes_held" not in self.errors
        ):
            self.add_error("minutes_held", _("Write how many minutes the meeting lasted."))
        cleaned["attendance"] = attendance
        return cleaned


class ActionItemForm(PrefixedAccessibleMixin, forms.Form):
    """One action item: what, who, by when. ``item`` is the id of an existing item."""

    item = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("What is to be done"),
        required=False,
        max_length=ITEM_TEXT_MAX_LENGTH,
        error_messages=_too_long("text"),
    )
    owner = forms.ChoiceField(
        label=_("Who does it"),
        choices=ActionItem.Owner.choices,
        initial=ActionItem.Owner.PARTICIPANT,
        error_messages={"required": _("Say who does it: the participant or the mentor.")},
    )
    due_on = forms.DateField(
        label=_("By"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Write the date as day, month and year.")},
    )

    def clean(self):
        cleaned = super().clean()
        removing = cleaned.get("DELETE")
        if not removing and not (cleaned.get("text") or "").strip() and "text" not in self.errors:
            self.add_error("text", _("Write what is to be done, or remove the row."))
        due_on, initial_due = cleaned.get("due_on"), self.initial.get("due_on")
        if due_on and due_on != initial_due and due_on < timezone.localdate():
            self.add_error("due_on", _("The date cannot be in the past."))
        return cleaned


class BaseActionItemFormSet(RowsFormSet):
    row_label = _("Action item")

    def rows(self) -> list[ActionItemRow]:
        """The rows the mentor wrote or changed, as the service takes them; untouched rows
        (the empty one at the end, the items not changed) are left out."""
        rows = []
        for form in self.forms:
            if not form.has_changed():
                continue
            data = form.cleaned_data
            rows.append(
                ActionItemRow(
                    text=data.get("text") or "",
                    owner=data.get("owner") or "",
                    due_on=data.get("due_on"),
                    item_id=data.get("item"),
                    remove=bool(data.get("DELETE")),
                )
            )
        return rows


ActionItemFormSet = forms.formset_factory(
    ActionItemForm, formset=BaseActionItemFormSet, extra=1, can_delete=True, max_num=ITEMS_MAX
)


def action_items_initial(items) -> list[dict]:
    return [
        {"item": item.pk, "text": item.text, "owner": item.owner, "due_on": item.due_on}
        for item in items
    ]


class SessionFeedbackForm(AccessibleFormMixin, forms.Form):
    """The participant's two questions."""

    useful = forms.TypedChoiceField(
        label=_("How useful was the meeting for you?"),
        help_text=_("From 1 (not useful) to 5 (very useful)."),
        choices=[(n, str(n)) for n in range(USEFUL_MIN, USEFUL_MAX + 1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a number from 1 to 5."),
            "invalid_choice": _("Choose a number from 1 to 5."),
        },
    )
    comment = forms.CharField(
        label=_("What would help you more next time?"),
        required=False,
        max_length=FEEDBACK_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your answers help the programme improve its mentoring."),
        error_messages=_too_long("comment"),
    )
