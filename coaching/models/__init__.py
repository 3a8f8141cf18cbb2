"""Coaching models, split by sub-domain; import them from here."""

from coaching.models.consent import ConsentRecord, private_storage
from coaching.models.exit import ExitRecord, FollowUp, LegalForm, vat_number_is_valid
from coaching.models.handover import HandoverCode
from coaching.models.participant import (
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
from coaching.models.programme import ChecklistItem, Cohort, PrivacyNotice, StaffSiteAssignment

__all__ = [
    "DECLARATION_MAX_LENGTH",
    "REASON_MAX_LENGTH",
    "AccessLog",
    "ChecklistItem",
    "Citizenship",
    "Cohort",
    "ConsentRecord",
    "EducationLevel",
    "EntryAnswerChange",
    "EntryRecord",
    "ExitRecord",
    "FollowUp",
    "Gender",
    "HandoverCode",
    "Housing",
    "IdeaStage",
    "LabourStatus",
    "LegalForm",
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
    "YesNoNotSaid",
    "private_storage",
    "vat_number_is_valid",
]
