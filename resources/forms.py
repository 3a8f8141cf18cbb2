"""Forms of the learning library: the library's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from resources.models.choices import ContentLanguage, DurationBand, Level, ResourceFormat


class LibraryFilterForm(forms.Form):
    """The library's search and filters (GET). Invalid values are reported and ignored."""

    FILTER_NAMES = ("q", "topic", "format", "level", "language", "duration")

    q = forms.CharField(label=_("Search the library"), required=False, max_length=200)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("All formats")), *ResourceFormat.choices],
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *Level.choices]
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("All languages")), *ContentLanguage.choices],
    )
    duration = forms.ChoiceField(
        label=_("Duration"),
        required=False,
        choices=[("", _("Any duration")), *DurationBand.choices],
    )

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [
            ("", _("All topics")),
            *[(topic.slug, topic.name) for topic in topics],
        ]
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "form-control" if name == "q" else "form-select")

    def full_clean(self):
        super().full_clean()
        # Errors are linked to their field for screen readers (and not shown by colour alone).
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-describedby"] = f"{self[name].auto_id}-error"
                attrs["aria-invalid"] = "true"
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def clean_duration(self):
        value = self.cleaned_data["duration"]
        return DurationBand(value) if value else None

    def valid_data(self) -> dict:
        """The values that are valid, when some are not (one bad filter spoils nothing else)."""
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
