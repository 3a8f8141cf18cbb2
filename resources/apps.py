from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "resources"
    label = "resources"
    verbose_name = _("Learning library")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers what each page type adds to its context (resources.page_context).
        from resources.selectors import pages  # noqa: F401
