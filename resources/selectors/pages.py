"""The reads each library page type adds to its template context (see ``resources.page_context``).

Imported by ``ResourcesConfig.ready()``; each provider returns the keys its template uses.
"""

from resources.page_context import provides
from resources.selectors.library import library_listing, related_resources
from resources.selectors.progress import course_lessons, course_progress, lesson_context


@provides("resources.ResourcePage")
def resource_page_context(*, page, request) -> dict:
    return {"related": related_resources(page=page)}


@provides("resources.LibraryIndexPage")
def library_index_context(*, page, request) -> dict:
    return library_listing(library=page, params=request.GET, request=request)


@provides("resources.TopicPage")
def topic_page_context(*, page, request) -> dict:
    params = request.GET.copy()
    params["topic"] = page.topic.slug
    return library_listing(
        library=page.get_parent(), params=params, request=request, fixed_topic=True
    )


@provides("resources.CoursePage")
def course_page_context(*, page, request) -> dict:
    return {
        "lessons": course_lessons(course=page),
        "progress": course_progress(user=request.user, course=page),
    }


@provides("resources.LessonPage")
def lesson_page_context(*, page, request) -> dict:
    return lesson_context(user=request.user, lesson=page)
