"""Build a realistic bilingual demo: the host site, the learning library and the path.

Safe to run twice: what is missing is created again, what exists is never changed (see the README).
"""

import io
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from portal_site.accounts.roles import STAFF_ROLES
from portal_site.core import demo

#: Reusable apps that ship a ``demo.load(*, site, home_page, users, stdout)`` function.
APP_DEMOS = ["resources", "coaching", "coaching.plans", "mentors", "coaching.grants"]
DISCARDED_MAIL = "django.core.mail.backends.locmem.EmailBackend"


class Command(BaseCommand):
    help = "Load demo content and a demo user for each role (development only)."

    def handle(self, *args, **options):
        password = getattr(settings, "AVVIO_DEMO_PASSWORD", None)
        if not password:
            raise CommandError(
                "load_demo runs only with development settings (AVVIO_DEMO_PASSWORD is unset)."
            )
        verbose = options["verbosity"] >= 2
        # The demo people's notifications (acceptance, stage changes, receipts) go to
        # addresses that do not exist: they are kept in memory, not printed or sent.
        with override_settings(EMAIL_BACKEND=DISCARDED_MAIL), transaction.atomic():
            context = demo.load(password=password)
            for app in APP_DEMOS:
                try:
                    module = import_module(f"{app}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{app}.demo":
                        raise
                    continue
                # What each app made is detail (-v 2); the summary below is what people need.
                module.load(**context, stdout=self.stdout if verbose else io.StringIO())
            demo.link_library_in_menu(site=context["site"])
        self.stdout.write(self.style.SUCCESS("Demo loaded."))
        self.stdout.write(f"Sign in at /it/account/login/ with the password {password} as:")
        staff = {str(role) for role in STAFF_ROLES}
        for role, user in context["users"].items():
            name = user.get_full_name()
            mark = " *" if role in staff else ""
            self.stdout.write(f"  {role + mark:<18} {name:<16} {user.email}")
        self.stdout.write(
            "* Staff: right after the first sign-in, the site asks to set up an authenticator "
            "app (TOTP); after that, each sign-in asks for the password and a code from the app."
        )
