"""The mentor's application, profile, weekly hours and time away, and membership moves.

The forms check what a person can fix in place and say so in words; the rules themselves
live in ``mentors.services.profiles`` (the forms call the same functions).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from coaching.forms.base import AccessibleFormMixin
from coaching.models import Gender, Language, MeetingMode, Sector, Weekday
from mentors.models import BIO_MAX_LENGTH, REASON_MAX_LENGTH, MentorProfile, Skill
from mentors.services.profiles import photo_problem, window_problems

PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"


class PrefixedAccessibleMixin(AccessibleFormMixin):
    """``AccessibleFormMixin`` for forms with a prefix (formset rows): the help and error
    ids it links must carry the prefix, as the ids the template writes do."""

    def _fix_ids(self):
        if not self.prefix:
            return
        for name, field in self.fields.items():
            described = field.widget.attrs.get("aria-describedby")
            if described:
                field.widget.attrs["aria-describedby"] = described.replace(
                    f"id_{name}_", f"id_{self.add_prefix(name)}_"
                )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._fix_ids()

    def full_clean(self):
        super().full_clean()
        self._fix_ids()


class SkillChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class MentorProfileForm(AccessibleFormMixin, forms.Form):
    """Who the mentor is and what they offer. ``skills`` are the sites' skills in the reader's
    language (``mentors.selectors.skills_of_sites``); the ones the mentor holds are ticked
    whatever language they were chosen in."""

    kind = forms.ChoiceField(
        label=_("What kind of mentor are you?"),
        choices=MentorProfile.Kind.choices,
        widget=forms.RadioSelect,
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=120,
        required=False,
        help_text=_("The firm, association or office you work with, if any."),
    )
    bio = forms.CharField(
        label=_("About you"),
        max_length=BIO_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Your work and what you can help with. Your mentees will read it."),
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors you know"),
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    skills = SkillChoiceField(
        label=_("Your skills"),
        queryset=Skill.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    municipality = forms.CharField(
        label=_("Where you can meet in person"),
        max_length=100,
        required=False,
        help_text=_("A town or neighbourhood. Leave it empty if you meet only online."),
    )
    meeting_modes = forms.MultipleChoiceField(
        label=_("How you can meet"),
        choices=MeetingMode.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = forms.IntegerField(
        label=_("How many mentees at a time"),
        min_value=1,
        max_value=20,
        initial=2,
        help_text=_("From 1 to 20."),
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=Gender.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Only used when a participant asks for a mentor of a given gender."),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
        help_text=_("A JPEG, PNG or WebP image under 3 MB."),
    )
    photo_alt = forms.CharField(
        label=_("What the photo shows"),
        max_length=200,
        required=False,
        help_text=_("For people who cannot see it, e.g. “Anna smiling in her workshop”."),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)

    def __init__(self, *args, skills=(), profile: MentorProfile | None = None, **kwargs):
        self.profile = profile
        skills = list(skills)
        if profile is not None and "initial" not in kwargs:
            kwargs["initial"] = profile_initial(profile, skills)
        super().__init__(*args, **kwargs)
        self.fields["skills"].queryset = Skill.objects.filter(pk__in=[s.pk for s in skills])
        if not skills:
            del self.fields["skills"]
        if profile is None or not profile.photo:
            del self.fields["remove_photo"]

    #: The form's parts, each a fieldset with its legend.
    FIELDSETS = (
        (_("About you"), ("kind", "organisation", "bio", "gender")),
        (_("What you know"), ("sectors", "skills", "languages")),
        (_("How and where you meet"), ("meeting_modes", "municipality", "capacity")),
        (_("Your photo"), ("photo", "photo_alt", "remove_photo")),
    )

    def fieldsets(self):
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.FIELDSETS
        ]

    @property
    def has_photo(self) -> bool:
        return bool(self.profile and self.profile.photo)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            problem = photo_problem(photo)
            if problem:
                raise forms.ValidationError(problem)
        return photo

    def clean(self):
        cleaned = super().clean()
        removing = cleaned.get("remove_photo")
        keeps_photo = (self.has_photo and not removing) or cleaned.get("photo")
        if keeps_photo and not (cleaned.get("photo_alt") or "").strip():
            self.add_error(
                "photo_alt", _("Say what the photo shows, for people who cannot see it.")
            )
        if (
            "in_person" in (cleaned.get("meeting_modes") or ())
            and not (cleaned.get("municipality") or "").strip()
        ):
            self.add_error("municipality", _("Say where you can meet in person."))
        return cleaned

    def profile_fields(self) -> dict:
        """The profile's fields, as ``mentors.services.profiles.mentor_profile_save`` takes them."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "organisation": data["organisation"],
            "bio": data["bio"],
            "gender": data.get("gender") or "",
            "sectors": data["sectors"],
            "languages": data["languages"],
            "municipality": data["municipality"],
            "meeting_modes": data["meeting_modes"],
            "capacity": data["capacity"],
            "photo_alt": data["photo_alt"],
        }

    def chosen_skills(self):
        return list(self.cleaned_data.get("skills") or ())

    def photo_change(self):
        """What to do with the photo: a new file, remove it (``""``), or None: unchanged."""
        if self.cleaned_data.get("photo"):
            return self.cleaned_data["photo"]
        if self.cleaned_data.get("remove_photo"):
            return ""
        return None


def profile_initial(profile: MentorProfile, skills) -> dict:
    held = set(profile.skills.values_list("translation_key", flat=True))
    return {
        "kind": profile.kind,
        "organisation": profile.organisation,
        "bio": profile.bio,
        "sectors": profile.sectors,
        "skills": [skill.pk for skill in skills if skill.translation_key in held],
        "languages": profile.languages,
        "municipality": profile.municipality,
        "meeting_modes": profile.meeting_modes,
        "capacity": profile.capacity,
        "gender": profile.gender,
        "photo_alt": profile.photo_alt,
    }


class MentorApplicationForm(MentorProfileForm):
    motivation = forms.CharField(
        label=_("Why do you want to mentor?"),
        max_length=BIO_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the programme coordinators read this."),
    )

    field_order = ["motivation"]

    def __init__(self, *args, membership=None, **kwargs):
        super().__init__(*args, **kwargs)
        if membership is not None and not self.is_bound:
            self.initial.setdefault("motivation", membership.motivation)
        # The motivation goes last, after the profile.
        self.order_fields([name for name in self.fields if name != "motivation"] + ["motivation"])


# --- Weekly hours and time away --------------------------------------------------------------


class WindowForm(PrefixedAccessibleMixin, forms.Form):
    # A blank first choice: an empty extra row must post nothing, or it would count as filled.
    weekday = forms.TypedChoiceField(
        label=_("Day"), choices=[("", "—"), *Weekday.choices], coerce=int, empty_value=None
    )
    starts = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends = forms.TimeField(
        label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )


class RowsFormSet(forms.BaseFormSet):
    """A formset whose rows can be removed with a labelled checkbox."""

    row_label = ""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


class BaseWindowFormSet(RowsFormSet):
    row_label = _("Time")

    def kept_forms(self):
        return [
            form
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form) and form.is_valid()
        ]

    def clean(self):
        forms_ = self.kept_forms()
        for index, message in window_problems([form.cleaned_data for form in forms_]):
            forms_[index].add_error("ends", message)

    def rows(self) -> list[dict]:
        return [
            {key: form.cleaned_data[key] for key in ("weekday", "starts", "ends")}
            for form in self.kept_forms()
        ]


class ExceptionForm(PrefixedAccessibleMixin, forms.Form):
    starts_on = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("To (included)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(label=_("Note"), max_length=120, required=False)

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last day away must be on or after the first."))
        return cleaned


class BaseExceptionFormSet(RowsFormSet):
    row_label = _("Time away")

    def rows(self) -> list[dict]:
        return [
            {key: form.cleaned_data[key] for key in ("starts_on", "ends_on", "note")}
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form)
        ]


WindowFormSet = forms.formset_factory(
    WindowForm, formset=BaseWindowFormSet, extra=1, can_delete=True, max_num=50
)
ExceptionFormSet = forms.formset_factory(
    ExceptionForm, formset=BaseExceptionFormSet, extra=1, can_delete=True, max_num=50
)

WINDOWS_PREFIX = "windows"
EXCEPTIONS_PREFIX = "away"


def with_one_more_row(data, prefix: str):
    """The posted data with one more empty row in the formset ``prefix``: the "add another"
    button, without JavaScript."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        data[key] = str(min(int(data.get(key, 0)) + 1, 50))
    except ValueError:
        data[key] = "1"
    return data


# --- Membership moves ------------------------------------------------------------------------


class ReasonForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
