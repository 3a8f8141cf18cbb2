"""Bring the role groups in line with what the apps declare (``register_avvio_roles``).

``migrate`` does the same at its end; run this after changing a role's group name in the
settings, or to repair groups edited by hand. Safe to run twice.
"""

from django.core.management.base import BaseCommand

from portal_site.accounts import services


class Command(BaseCommand):
    help = "Create or update the role groups, their permissions and each site's role groups."

    def handle(self, *args, **options):
        services.roles_sync()
        services.site_roles_sync_all()
        if options["verbosity"] > 0:
            self.stdout.write("Roles synchronised.")
