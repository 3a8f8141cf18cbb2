"""The learning library's models: the topic taxonomy, the page types, people's progress and the
search synonyms."""

from resources.models.choices import (
    BusinessPlanSection,
    ContentLanguage,
    DurationBand,
    Level,
    OpportunityKind,
    ResourceFormat,
)
from resources.models.pages import (
    CourseLesson,
    CoursePage,
    GuidePage,
    LessonPage,
    LibraryIndexPage,
    OpportunityPage,
    ResourcePage,
    TopicPage,
)
from resources.models.progress import Certificate, LessonCompletion, QuizResult
from resources.models.search import SearchSynonym
from resources.models.taxonomy import Topic

__all__ = [
    "BusinessPlanSection",
    "Certificate",
    "ContentLanguage",
    "CourseLesson",
    "CoursePage",
    "DurationBand",
    "GuidePage",
    "LessonCompletion",
    "LessonPage",
    "Level",
    "LibraryIndexPage",
    "OpportunityKind",
    "OpportunityPage",
    "QuizResult",
    "ResourceFormat",
    "ResourcePage",
    "SearchSynonym",
    "Topic",
    "TopicPage",
]
