"""Plain Django forms, split by sub-domain; import them from here."""

from coaching.forms.assisted import AssistedEnrolmentForm, HandoverClaimForm
from coaching.forms.exit import FollowUpForm
from coaching.forms.intake import (
    STEP_FORMS,
    STEP_TITLES,
    ConsentForm,
    ConsentManageForm,
    initial_for_step,
)
from coaching.forms.staff import (
    DecisionForm,
    EntryAnswersForm,
    ErasureForm,
    ExitForm,
    HandoverCreateForm,
    MentorForm,
    StageForm,
)

__all__ = [
    "STEP_FORMS",
    "STEP_TITLES",
    "AssistedEnrolmentForm",
    "ConsentForm",
    "ConsentManageForm",
    "DecisionForm",
    "EntryAnswersForm",
    "ErasureForm",
    "ExitForm",
    "FollowUpForm",
    "HandoverClaimForm",
    "HandoverCreateForm",
    "MentorForm",
    "StageForm",
    "initial_for_step",
]
