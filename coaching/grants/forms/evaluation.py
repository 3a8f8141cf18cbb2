"""Forms of evaluation in the Wagtail admin: assigning an evaluator, the declaration of
conflict of interest, and the scores. The rules are ``services.evaluation``'s; these forms
only read what was typed, keep it when refused, and name the fields the service's errors use.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from coaching.grants.models import Assignment


class EvaluatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        # Staff see each other's names, never addresses only.
        return user.get_full_name() or user.get_username()


class AssignForm(forms.Form):
    """One more evaluator for an application, among those ``assignable_evaluators`` gives."""

    evaluator = EvaluatorChoiceField(
        label=_("Evaluator"),
        queryset=None,
        empty_label=_("Choose an evaluator"),
        help_text=_("Evaluators of the application's municipality not assigned to it yet."),
        error_messages={"invalid_choice": _("Choose one of the evaluators in the list.")},
    )

    def __init__(self, *args, evaluators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].queryset = evaluators


class DeclarationForm(forms.Form):
    """No conflict of interest, or one, with what it is."""

    NONE, CONFLICT = Assignment.Conflict.NONE, Assignment.Conflict.CONFLICT

    conflict = forms.ChoiceField(
        label=_("Conflict of interest"),
        choices=[
            (NONE, _("I have no conflict of interest with this application")),
            (CONFLICT, _("I have a conflict of interest: I will not evaluate it")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the two answers.")},
    )
    note = forms.CharField(
        label=_("About the conflict"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only with a conflict: what it is, in a few words (the coordinator reads it)."),
    )

    def clean(self):
        data = super().clean()
        if data.get("conflict") == self.CONFLICT and not (data.get("note") or "").strip():
            self.add_error("note", _("Say what the conflict of interest is, in a few words."))
        return data

    @property
    def has_conflict(self) -> bool:
        return self.cleaned_data["conflict"] == self.CONFLICT


class EvaluationForm(forms.Form):
    """A score and its reason for each criterion of the call, and an overall comment.

    Nothing is required for saving a draft; submitting asks for everything
    (``services.evaluation.evaluation_save`` says what is missing, with these field names).
    """

    comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, criteria, assignment=None, **kwargs):
        self.criteria = list(criteria)
        initial = kwargs.setdefault("initial", {})
        if assignment is not None:
            initial.setdefault("comment", assignment.comment)
            for score in assignment.scores.all():
                initial.setdefault(f"score_{score.criterion_id}", score.score)
                initial.setdefault(f"comment_{score.criterion_id}", score.comment)
        super().__init__(*args, **kwargs)
        overall = self.fields.pop("comment")
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=_("Score for “%(name)s” (%(low)d to %(high)d)")
                % {
                    "name": criterion.name,
                    "low": criterion.min_score,
                    "high": criterion.max_score,
                },
                required=False,
                min_value=criterion.min_score,
                max_value=criterion.max_score,
                help_text=criterion.description,
                error_messages={"invalid": _("Give a whole number.")},
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Why, for “%(name)s”") % {"name": criterion.name},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.fields["comment"] = overall

    def rows(self):
        """Each criterion with its two fields, for the template."""
        return [
            (criterion, self[f"score_{criterion.pk}"], self[f"comment_{criterion.pk}"])
            for criterion in self.criteria
        ]

    def scores(self) -> dict:
        data = self.cleaned_data
        return {
            c.pk: (data.get(f"score_{c.pk}"), data.get(f"comment_{c.pk}") or "")
            for c in self.criteria
        }
