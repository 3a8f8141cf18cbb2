"""Build a realistic bilingual demo: the host site, the learning library and the path.

Safe to run twice: every loader updates what exists instead of adding it again.
"""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal_site.core import demo

#: Reusable apps that ship a ``demo.load(*, site, home_page, users, stdout)`` function.
APP_DEMOS = ["resources", "coaching", "mentors"]


class Command(BaseCommand):
    help = "Load demo content and a demo user for each role (development only)."

    def handle(self, *args, **options):
        password = getattr(settings, "AVVIO_DEMO_PASSWORD", None)
        if not password:
            raise CommandError(
                "load_demo runs only with development settings (AVVIO_DEMO_PASSWORD is unset)."
            )
        with transaction.atomic():
            context = demo.load(password=password)
            for app in APP_DEMOS:
                try:
                    module = import_module(f"{app}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{app}.demo":
                        raise
                    continue
                module.load(**context, stdout=self.stdout)
            demo.link_library_in_menu(site=context["site"])
        self.stdout.write(self.style.SUCCESS("Demo loaded. Sign in at /it/account/login/ as:"))
        for role, user in context["users"].items():
            self.stdout.write(f"  {role:<16} {user.email}  password: {password}")
        self.stdout.write(
            "Staff (Editor, Coordinator, Finance officer) set up an authenticator app the first "
            "time they open /admin/."
        )
