from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "coaching.grants"
    label = "grants"
    verbose_name = _("Microgrants")
    default_auto_field = "django.db.models.BigAutoField"
