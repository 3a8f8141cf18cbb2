from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorsConfig(AppConfig):
    name = "mentors"
    label = "mentors"
    verbose_name = _("Mentoring")
    default_auto_field = "django.db.models.BigAutoField"
