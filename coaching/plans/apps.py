from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "coaching.plans"
    label = "plans"
    verbose_name = _("Business plans")
    default_auto_field = "django.db.models.BigAutoField"
