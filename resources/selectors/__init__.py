"""Reads of the learning library (HackSoft-style selectors), split by sub-domain.

``library``: browsing (listings, filters, search, related content, opportunities).
``progress``: people's lessons done, quiz results, course progress and certificates, including
the public API that ``coaching`` and ``mentors`` call (they must check consent first).
"""

from resources.selectors.editorial import (
    drafts_to_send,
    may_edit_pages,
    moderation_states,
    pages_in_moderation,
)
from resources.selectors.library import (
    ResourceCard,
    filter_resources,
    library_listing,
    live_resources,
    opportunities_for_feed,
    related_resources,
    topics_for_locale,
    upcoming_opportunities,
    visible,
)
from resources.selectors.progress import (
    CourseProgress,
    LessonStatus,
    certificate_for_owner,
    certificate_for_verification,
    course_lessons,
    course_progress,
    course_progress_for_user,
    courses_completed,
    courses_completed_counts,
    courses_containing,
    courses_in_progress,
    find_block,
    lesson_context,
    lessons_for_courses,
)

__all__ = [
    "CourseProgress",
    "LessonStatus",
    "ResourceCard",
    "certificate_for_owner",
    "certificate_for_verification",
    "course_lessons",
    "course_progress",
    "course_progress_for_user",
    "courses_completed",
    "courses_completed_counts",
    "courses_containing",
    "courses_in_progress",
    "drafts_to_send",
    "filter_resources",
    "find_block",
    "lesson_context",
    "lessons_for_courses",
    "library_listing",
    "live_resources",
    "may_edit_pages",
    "moderation_states",
    "opportunities_for_feed",
    "pages_in_moderation",
    "related_resources",
    "topics_for_locale",
    "upcoming_opportunities",
    "visible",
]
