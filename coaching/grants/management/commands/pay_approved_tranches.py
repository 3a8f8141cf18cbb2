"""Pay every approved tranche (``services.payouts.payouts_run``): run it from the scheduler,
after ``reconcile_payouts``. Two runs at once pay each tranche once."""

from django.core.management.base import BaseCommand

from coaching.grants.services.payouts import payouts_run


class Command(BaseCommand):
    help = "Pay every approved grant tranche through Stripe."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Pay at most this many.")

    def handle(self, *args, limit=None, **options):
        report = payouts_run(limit=limit)
        self.stdout.write(
            f"paid: {len(report.paid)}  failed: {len(report.failed)}  "
            f"unknown: {len(report.unknown)}"
        )
        for label, pks in (("failed", report.failed), ("unknown", report.unknown)):
            if pks:
                self.stdout.write(f"{label} tranches: {', '.join(map(str, pks))}")
