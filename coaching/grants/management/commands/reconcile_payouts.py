"""Settle with Stripe every tranche whose payment is in doubt (``payouts_reconcile``), and
process the webhooks a failure left unprocessed. Run it before ``pay_approved_tranches``."""

from django.core.management.base import BaseCommand

from coaching.grants.services.payouts import payouts_reconcile
from coaching.grants.services.webhooks import events_process_pending


class Command(BaseCommand):
    help = "Check with Stripe the grant payments whose outcome is not known."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help=(
                "Also tranches sent in the last five minutes: only when no payment run is "
                "under way."
            ),
        )

    def handle(self, *args, **options):
        report = payouts_reconcile(everything=options["all"])
        events = events_process_pending()
        self.stdout.write(
            f"found paid: {len(report.sent)}  approved again: {len(report.reapproved)}  "
            f"Stripe unreachable: {len(report.unreachable)}  events processed: {events}"
        )
        for label, pks in (
            ("paid", report.sent),
            ("approved again", report.reapproved),
            ("unreachable", report.unreachable),
        ):
            if pks:
                self.stdout.write(f"{label}: {', '.join(map(str, pks))}")
