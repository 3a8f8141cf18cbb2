"""Mentors models, split by sub-domain; import them from here."""

from mentors.models.matches import ChangeRequest, Match, MatchEvent
from mentors.models.plan import MatchingSettings, Milestone, MilestoneDone
from mentors.models.profiles import (
    BIO_MAX_LENGTH,
    REASON_MAX_LENGTH,
    AvailabilityException,
    AvailabilityWindow,
    MentorMembership,
    MentorProfile,
    Skill,
)
from mentors.models.sessions import (
    MESSAGE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    ActionItem,
    CalendarFeed,
    MentorNote,
    Message,
    Session,
    SessionFeedback,
    SessionReminder,
)

__all__ = [
    "BIO_MAX_LENGTH",
    "MESSAGE_MAX_LENGTH",
    "NOTE_MAX_LENGTH",
    "REASON_MAX_LENGTH",
    "SUMMARY_MAX_LENGTH",
    "ActionItem",
    "AvailabilityException",
    "AvailabilityWindow",
    "CalendarFeed",
    "ChangeRequest",
    "Match",
    "MatchEvent",
    "MatchingSettings",
    "MentorMembership",
    "MentorNote",
    "MentorProfile",
    "Message",
    "Milestone",
    "MilestoneDone",
    "Session",
    "SessionFeedback",
    "SessionReminder",
    "Skill",
]
