"""The participant: one person on the path in one municipality, and what ESF+ needs at entry.

Data protection choices (documented here because the model is where they bite):
- Birth year and month only, not the full birth date: ESF+ common indicators need the age at
  entry (under 30, over 54), and year + month gives it to within a few weeks.
- Disability and minority (special-category data) live in ``SpecialCategoryData``, a separate
  table, only after explicit consent; withdrawing that consent deletes the row at once.
- The entry record (``EntryRecord``) is a frozen copy of the indicators on the day the person
  was found eligible, so later profile edits never rewrite what was reported. From the
  eligibility decision on, the entry answers are the coordinator's to correct, with a reason
  (``EntryAnswerChange``), and a correction corrects the entry record too.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coaching.models.path import REASON_MAX_LENGTH, AppendOnlyModel, Stage, length_at_most
from coaching.models.preferences import preference_in_words

#: The longest name used a person may give (a first name, or what they are called).
NAME_MAX_LENGTH = 60


def new_reference() -> str:
    # Short, unambiguous, printable on a paper form (no 0/O, 1/I).
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "AV-" + "".join(secrets.choice(alphabet) for _ in range(6))


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    NOT_SAID = "not_said", _("I prefer not to say")


class Citizenship(models.TextChoices):
    # "Italian" alone is the language's name ("Italiano"); a citizenship agrees with it.
    ITALIAN = "italian", pgettext_lazy("citizenship", "Italian")
    EU = "eu", _("Another EU country")
    NON_EU = "non_eu", _("A country outside the EU")


class YesNoNotSaid(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_SAID = "not_said", _("I prefer not to say")


class LabourStatus(models.TextChoices):
    UNEMPLOYED = "unemployed", _("Unemployed and looking for work")
    INACTIVE = "inactive", _("Not working and not looking for work")
    EMPLOYED = "employed", _("Employed")
    SELF_EMPLOYED = "self_employed", _("Self-employed")


class EducationLevel(models.TextChoices):
    """Highest education completed, mapped to ISCED groups for ESF+ reporting."""

    PRIMARY_OR_NONE = "isced_0_1", _("No school certificate or primary school")
    LOWER_SECONDARY = "isced_2", _("Lower secondary school (middle school)")
    UPPER_SECONDARY = "isced_3", _("Upper secondary school diploma")
    POST_SECONDARY = "isced_4", _("Vocational qualification after secondary school")
    TERTIARY = "isced_5_8", _("University degree or higher")

    @classmethod
    def isced_group(cls, value: str) -> str:
        return {
            cls.PRIMARY_OR_NONE: "0-2",
            cls.LOWER_SECONDARY: "0-2",
            cls.UPPER_SECONDARY: "3-4",
            cls.POST_SECONDARY: "3-4",
            cls.TERTIARY: "5-8",
        }.get(value, "")


class Housing(models.TextChoices):
    STABLE = "stable", _("I have a stable home")
    INSECURE = "insecure", _("My housing is insecure (at risk of losing it)")
    HOMELESS = "homeless", _("I have no home")
    NOT_SAID = "not_said", _("I prefer not to say")


class Sector(models.TextChoices):
    FOOD = "food", _("Food and catering")
    TRADE = "trade", _("Shop or market stall")
    CRAFTS = "crafts", _("Crafts and repairs")
    CARE = "care", _("Care and personal services")
    BUILDING = "building", _("Building and maintenance")
    GREEN = "green", _("Green economy (recycling, energy, agriculture)")
    DIGITAL = "digital", _("Digital services")
    CULTURE = "culture", _("Culture and tourism")
    TRANSPORT = "transport", _("Transport and delivery")
    OTHER = "other", _("Other")


class IdeaStage(models.TextChoices):
    IDEA = "idea", _("Only an idea")
    TESTING = "testing", _("I am testing it")
    SELLING = "selling", _("I already sell, without a registered business")


class Need(models.TextChoices):
    TRAINING = "training", _("Training")
    MENTOR = "mentor", _("A mentor")
    BUSINESS_PLAN = "business_plan", _("Help with a business plan")
    FUNDING = "funding", _("Funding")
    LEGAL = "legal", _("Making my work legal (registration, taxes)")
    CHILDCARE = "childcare", _("Childcare")
    LANGUAGE = "language", _("Italian language support")


class MentorGender(models.TextChoices):
    ANY = "any", _("No preference")
    WOMAN = "woman", _("A woman")
    MAN = "man", _("A man")


class Participant(models.Model):
    """A person enrolled on the self-employment path in one municipality (a Wagtail site)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Filling in the application")
        SUBMITTED = "submitted", _("Waiting for a decision")
        ELIGIBLE = "eligible", _("On the path")
        DECLINED = "declined", _("Not eligible")
        EXITED = "exited", _("Left the path")

    #: Allowed status transitions: the one place that says so.
    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.ELIGIBLE, Status.DECLINED},
        Status.DECLINED: {Status.SUBMITTED},
        Status.ELIGIBLE: {Status.EXITED},
        Status.EXITED: {Status.SUBMITTED},
    }

    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_reference, editable=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        # PROTECT: the consent, stage, access, entry and exit records must be kept for the
        # ESF+ audit; deleting the account would silently delete them. Erase instead
        # (``participant_erase``), which anonymises the account and keeps those records.
        on_delete=models.PROTECT,
        related_name="coaching_participations",
    )
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="coaching_participants",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.INTAKE, db_index=True
    )
    cohort = models.ForeignKey(
        "coaching.Cohort",
        verbose_name=_("cohort"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participants",
    )
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enrolled by staff member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    completed_steps = models.JSONField(_("intake steps done"), default=list, blank=True)
    #: The one-time key of the assisted-enrolment form that created (or last re-enrolled)
    #: this person: a second POST of the same form finds this record instead of making another.
    enrolment_key = models.UUIDField(
        _("enrolment form key"), null=True, blank=True, unique=True, editable=False
    )
    #: How many times the person has been found eligible (entered the path). ESF+ counts
    #: entries and exits per participation; each exit record carries this number.
    participation = models.PositiveSmallIntegerField(_("participation"), default=0, editable=False)

    # Name: the one the person uses (greetings, lists), and the one on their identity document
    # only when it differs and an official paper of the programme needs it.
    preferred_name = models.CharField(
        _("name used"),
        max_length=NAME_MAX_LENGTH,
        blank=True,
        help_text=_("The name the person asked us to call them by."),
    )
    legal_name = models.CharField(
        _("name on the identity document"),
        max_length=150,
        blank=True,
        help_text=_("Only when it differs from the name used."),
    )
    # Contact
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    municipality = models.CharField(_("municipality of residence"), max_length=100, blank=True)
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)
    # About you
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(_("birth month"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    citizenship = models.CharField(
        _("citizenship"), max_length=20, choices=Citizenship.choices, blank=True
    )
    foreign_background = models.CharField(
        _("foreign background"), max_length=20, choices=YesNoNotSaid.choices, blank=True
    )
    # Work
    labour_status = models.CharField(
        _("labour-market status"), max_length=20, choices=LabourStatus.choices, blank=True
    )
    unemployed_months = models.PositiveSmallIntegerField(
        _("months without work"), null=True, blank=True
    )
    works_without_contract = models.CharField(
        _("works without a contract"), max_length=20, choices=YesNoNotSaid.choices, blank=True
    )
    in_education = models.BooleanField(_("in education or training now"), null=True, blank=True)
    # Education and housing
    education_level = models.CharField(
        _("highest education"), max_length=20, choices=EducationLevel.choices, blank=True
    )
    housing = models.CharField(_("housing"), max_length=20, choices=Housing.choices, blank=True)
    # The idea
    idea_sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    idea_stage = models.CharField(
        _("stage of the idea"), max_length=20, choices=IdeaStage.choices, blank=True
    )
    idea_description = models.TextField(_("the idea"), blank=True)
    # Needs and mentor preferences
    needs = models.JSONField(_("needs"), default=list, blank=True)
    mentor_gender = models.CharField(
        _("mentor's gender"), max_length=20, choices=MentorGender.choices, blank=True
    )
    #: Structured preferences (``coaching.models.preferences``): lists of codes.
    preferred_languages = models.JSONField(
        _("languages for the sessions"), default=list, blank=True
    )
    meeting_modes = models.JSONField(_("how to meet"), default=list, blank=True)
    availability = models.JSONField(_("when you are free"), default=list, blank=True)
    # Decisions
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    erasure_requested_at = models.DateTimeField(_("erasure requested at"), null=True, blank=True)
    erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True)
    erasure_reason = models.TextField(
        _("reason for erasure"),
        blank=True,
        help_text=_("Why staff erased the data without a request from the person."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "site"], name="coaching_one_participant_per_site"
            ),
            length_at_most(
                "decision_reason", REASON_MAX_LENGTH, "coaching_decision_reason_max_length"
            ),
            length_at_most(
                "erasure_reason", REASON_MAX_LENGTH, "coaching_erasure_reason_max_length"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.full_name}"

    @property
    def greeting_name(self) -> str:
        """The name to greet the person by in messages: the one they asked us to use."""
        return self.preferred_name or self.user.first_name

    @property
    def full_name(self) -> str:
        """How staff see the person named: the name they use, with the name on their identity
        document beside it when that says more; never the e-mail address (after erasure, the
        reference)."""
        used = self.preferred_name.strip()
        formal = self.legal_name.strip() or self.user.get_full_name().strip()
        if used and formal and not set(used.casefold().split()) <= set(formal.casefold().split()):
            return f"{used} ({formal})"
        return formal or used or self.reference

    @property
    def isced_group(self) -> str:
        return EducationLevel.isced_group(self.education_level)

    def get_needs_display(self) -> list[str]:
        labels = dict(Need.choices)
        return [str(labels[n]) for n in self.needs if n in labels]

    # The structured preferences in words (the admin's inspect page and the export read a
    # field through its ``get_<name>_display``, as for a field with choices).
    def get_preferred_languages_display(self) -> str:
        return preference_in_words("preferred_languages", self.preferred_languages)

    def get_meeting_modes_display(self) -> str:
        return preference_in_words("meeting_modes", self.meeting_modes)

    def get_availability_display(self) -> str:
        return preference_in_words("availability", self.availability)

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())


class SpecialCategoryData(models.Model):
    """Disability and minority answers: asked only after explicit consent, coordinators only.

    Kept apart from ``Participant`` so that access and erasure are one row, and nothing else
    (exports, the mentor's view, the entry snapshot) can include it by accident.
    """

    class Minority(models.TextChoices):
        NONE = "none", _("No")
        ROMA = "roma_sinti_camminanti", _("Yes: Roma, Sinti or Camminanti")
        OTHER = "other", _("Yes: another minority")
        NOT_SAID = "not_said", _("I prefer not to say")

    participant = models.OneToOneField(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="special_category_data",
    )
    disability = models.CharField(
        _("disability"), max_length=20, choices=YesNoNotSaid.choices, blank=True
    )
    minority = models.CharField(
        _("belonging to a minority"), max_length=30, choices=Minority.choices, blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("special-category data")
        verbose_name_plural = _("special-category data")

    def __str__(self) -> str:
        return str(self.participant)


class EntryRecord(models.Model):
    """The ESF+ entry data, frozen the first time the person is found eligible.

    The JSON snapshot keeps every intake answer (except special categories); the key indicators
    are columns too so reports can filter and count them. Re-entry keeps the first record.
    """

    participant = models.OneToOneField(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="entry_record",
    )
    entered_at = models.DateTimeField(_("entered at"))
    age_at_entry = models.PositiveSmallIntegerField(_("age at entry"), null=True)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    labour_status = models.CharField(
        _("labour-market status"), max_length=20, choices=LabourStatus.choices, blank=True
    )
    long_term_unemployed = models.BooleanField(_("long-term unemployed"), default=False)
    isced_group = models.CharField(_("ISCED level"), max_length=5, blank=True)
    citizenship = models.CharField(
        _("citizenship"), max_length=20, choices=Citizenship.choices, blank=True
    )
    works_without_contract = models.CharField(
        _("works without a contract"), max_length=20, choices=YesNoNotSaid.choices, blank=True
    )
    snapshot = models.JSONField(_("snapshot"), default=dict)

    class Meta:
        verbose_name = _("entry record")
        verbose_name_plural = _("entry records")

    def __str__(self) -> str:
        return f"{self.participant} @ {self.entered_at:%Y-%m-%d}"


class EntryAnswerChange(AppendOnlyModel):
    """A coordinator's correction of an entry answer after the eligibility decision.

    From the decision on, the answers ESF+ counts at entry (``ENTRY_FIELDS`` in
    ``coaching.services.intake``) are no longer the person's to change: a coordinator
    corrects them with a reason, and this row keeps the answer before, the one after, why,
    who and when. It is never changed or deleted.
    """

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="entry_answer_changes",
    )
    field = models.CharField(_("answer"), max_length=40)
    old_value = models.JSONField(_("before"), null=True, blank=True)
    new_value = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        verbose_name = _("entry answer correction")
        verbose_name_plural = _("entry answer corrections")
        ordering = ["participant", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason=""), name="coaching_entry_change_has_reason"
            ),
            length_at_most("reason", REASON_MAX_LENGTH, "coaching_entry_change_reason_max_length"),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.field_label}"

    @property
    def field_label(self) -> str:
        return str(Participant._meta.get_field(self.field).verbose_name)

    @property
    def old_display(self) -> str:
        return self._display(self.old_value)

    @property
    def new_display(self) -> str:
        return self._display(self.new_value)

    def _display(self, value) -> str:
        if value is None or value == "":
            return "—"
        field = Participant._meta.get_field(self.field)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return str(_("Yes") if value else _("No"))
        return str(value)
