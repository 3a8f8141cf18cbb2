from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal_site.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Importing these modules connects their signal receivers.
        from portal_site.accounts import signals, site_roles  # noqa: F401
