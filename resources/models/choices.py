"""Fixed lists the library filters and editors choose from."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class ContentLanguage(models.TextChoices):
    """The language the material itself is in (a video may be in English on an Italian page)."""

    ITALIAN = "it", _("Italian")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    ARABIC = "ar", _("Arabic")
    ROMANIAN = "ro", _("Romanian")
    UKRAINIAN = "uk", _("Ukrainian")


class ResourceFormat(models.TextChoices):
    """The formats the library filters by: each is one page type (its model name)."""

    COURSE = "coursepage", _("Course")
    LESSON = "lessonpage", _("Lesson")
    GUIDE = "guidepage", _("Guide")
    OPPORTUNITY = "opportunitypage", _("Opportunity")


class DurationBand(models.TextChoices):
    """Duration filter bands, in minutes (lower bound inclusive, upper bound inclusive)."""

    SHORT = "short", _("Up to 15 minutes")
    MEDIUM = "medium", _("15 to 60 minutes")
    LONG = "long", _("More than an hour")

    @property
    def bounds(self) -> tuple[int | None, int | None]:
        return {"short": (None, 15), "medium": (16, 60), "long": (61, None)}[self.value]


class OpportunityKind(models.TextChoices):
    MARKET = "market", _("Market opportunity")
    JOB = "job", _("Job or assignment")
    FUNDING = "funding", _("Funding call")
    EVENT = "event", _("Local event")


class BusinessPlanSection(models.TextChoices):
    """Sections of the business plan a topic helps with (the plan itself lives elsewhere).

    A plain slug, so the business plan can suggest lessons later without either app importing
    the other.
    """

    IDEA = "idea", _("The idea")
    MARKET = "market", _("Market and customers")
    OFFER = "offer", _("Products and prices")
    MARKETING = "marketing", _("Marketing and sales")
    OPERATIONS = "operations", _("How the work is done")
    LEGAL = "legal", _("Legal form, tax and permits")
    SUSTAINABILITY = "sustainability", _("Environmental impact")
    DIGITAL = "digital", _("Digital tools")
    FINANCE = "finance", _("Costs, revenue and funding")
