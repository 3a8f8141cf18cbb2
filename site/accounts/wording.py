"""allauth's messages, worded again in Italian for everyone.

allauth's Italian catalogue speaks to everyone in the masculine ("Ti sei collegato", "Sei
sicuro?"). The site's catalogue comes first (``LOCALE_PATHS``), so it words these messages
again in neutral forms ("Hai effettuato l'accesso", "Vuoi davvero procedere?"). They are
listed here, as allauth writes them, so that ``makemessages --no-obsolete`` keeps those
entries; nothing imports this module.
"""

from django.utils.translation import gettext_lazy as _

ALLAUTH_MESSAGES = (
    _("Successfully signed in as %(name)s."),
    _("You have signed out."),
    _("You are already logged in as %(user_display)s."),
    _("Are you sure you want to sign out?"),
    _("Do you really want to remove the selected email address?"),
    _("Are you sure?"),
    _("You are about to deactivate authenticator app based authentication. Are you sure?"),
)
