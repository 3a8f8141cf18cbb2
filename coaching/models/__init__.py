"""Coaching models, split by sub-domain; import them from here."""

from coaching.models.consent import ConsentRecord, private_storage
from coaching.models.erasure import ErasureRequest
from coaching.models.exit import ExitRecord, FollowUp, LegalForm, vat_number_is_valid
from coaching.models.handover import HandoverCode
from coaching.models.notes import CASE_NOTE_MAX_LENGTH, CaseNote
from coaching.models.participant import (
    NAME_MAX_LENGTH,
    Citizenship,
    EducationLevel,
    EntryAnswerChange,
    EntryRecord,
    Gender,
    Housing,
    IdeaStage,
    LabourStatus,
    MentorGender,
    Need,
    Participant,
    Sector,
    SpecialCategoryData,
    YesNoNotSaid,
)
from coaching.models.path import (
    DECLARATION_MAX_LENGTH,
    REASON_MAX_LENGTH,
    AccessLog,
    Notification,
    Stage,
    StageChange,
)
from coaching.models.preferences import (
    DayPart,
    Language,
    MeetingMode,
    Weekday,
    availability_choices,
    availability_code,
    availability_hours,
)
from coaching.models.programme import ChecklistItem, Cohort, PrivacyNotice, StaffSiteAssignment

__all__ = [
    "CASE_NOTE_MAX_LENGTH",
    "DECLARATION_MAX_LENGTH",
    "NAME_MAX_LENGTH",
    "REASON_MAX_LENGTH",
    "AccessLog",
    "CaseNote",
    "ChecklistItem",
    "Citizenship",
    "Cohort",
    "ConsentRecord",
    "DayPart",
    "EducationLevel",
    "EntryAnswerChange",
    "EntryRecord",
    "ErasureRequest",
    "ExitRecord",
    "FollowUp",
    "Gender",
    "HandoverCode",
    "Housing",
    "IdeaStage",
    "LabourStatus",
    "Language",
    "LegalForm",
    "MeetingMode",
    "MentorGender",
    "Need",
    "Notification",
    "Participant",
    "PrivacyNotice",
    "Sector",
    "SpecialCategoryData",
    "StaffSiteAssignment",
    "Stage",
    "StageChange",
    "Weekday",
    "YesNoNotSaid",
    "availability_choices",
    "availability_code",
    "availability_hours",
    "private_storage",
    "vat_number_is_valid",
]
