"""Plain Django forms, split by sub-domain; import them from here."""

from coaching.forms.assisted import AssistedEnrolmentForm, HandoverClaimForm
from coaching.forms.exit import FollowUpForm
from coaching.forms.intake import (
    STEP_FORMS,
    STEP_TITLES,
    ConsentForm,
    ConsentManageForm,
    PreferencesForm,
    initial_for_step,
    review_answers,
)
from coaching.forms.staff import (
    CaseNoteForm,
    DecisionForm,
    EntryAnswersForm,
    ErasureForm,
    ExitForm,
    HandoverCreateForm,
    StageForm,
)

__all__ = [
    "STEP_FORMS",
    "STEP_TITLES",
    "AssistedEnrolmentForm",
    "CaseNoteForm",
    "ConsentForm",
    "ConsentManageForm",
    "DecisionForm",
    "EntryAnswersForm",
    "ErasureForm",
    "ExitForm",
    "FollowUpForm",
    "HandoverClaimForm",
    "HandoverCreateForm",
    "PreferencesForm",
    "StageForm",
    "initial_for_step",
    "review_answers",
]
