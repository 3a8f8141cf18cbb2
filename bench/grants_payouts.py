"""Paying grant tranches through Stripe Connect (coaching/grants/services/payouts.py), exactly once.

    python bench/grants_payouts.py [--tranches 1000]

Against the offline fake Stripe server (tests/stripe_fake), over HTTP with the real
stripe-python:

1. throughput: 1,000 approved tranches (500 awards of two) paid by ``payouts_run``, in
   tranches per second;
2. a crash: another 1,000 are paid by ``pay_approved_tranches`` in a separate process, killed
   (SIGKILL) half-way, so some tranches are left *sending*, perhaps with their transfer made
   and not recorded; then ``payouts_reconcile`` and a new run finish the job.

Printed: transfers at the fake, ledger entries and tranches paid; and checked, because this is
what the issue asks to prove: no tranche paid twice, every tranche paid, the ledger equal to
what moved at the fake. Runs on a temporary SQLite file and, when the machine's PostgreSQL is
reachable, on a throwaway PostgreSQL database too. Setup takes shortcuts (applications and
awards bulk-made from one real award); the payments go through the services only.
"""

import argparse
import collections
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import ROOT, per_engine_main, print_table, run_per_engine, setup_django

BALANCE = 10**12


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tranches", type=int, default=1000)
    args, _unknown = parser.parse_known_args(
        [a for a in sys.argv[1:] if a not in ("--child", "sqlite", "postgresql")]
    )
    return args


def _stripe_at(url: str) -> None:
    from django.conf import settings

    settings.STRIPE_SECRET_KEY = "sk_test_bench"
    settings.STRIPE_API_BASE = url


def _approved_tranches(template, payee_account, count: int) -> list[int]:
    """``count`` approved tranches, two per award, cloned from one real award (a shortcut:
    the awarding and approving services have their own tests)."""
    from django.utils import timezone

    from coaching.grants.models import Award, GrantApplication, Tranche
    from coaching.grants.models.money import share_of

    application = template.application
    now = timezone.now()
    awards = []
    applications = GrantApplication.objects.bulk_create(
        [
            GrantApplication(
                reference=f"B-{time.time_ns() % 10**12}-{n}",
                call_id=application.call_id,
                site_id=application.site_id,
                participant_id=application.participant_id,
                plan_id=application.plan_id,
                plan_version_id=application.plan_version_id,
                # Not "awarded": one active application per call and person is the rule.
                status=GrantApplication.Status.WITHDRAWN,
                requested_amount=application.requested_amount,
            )
            for n in range((count + 1) // 2)
        ],
        batch_size=500,
    )
    awards = Award.objects.bulk_create(
        [
            Award(
                application=a,
                site_id=a.site_id,
                amount=a.requested_amount,
                status=Award.Status.ACCEPTED,
                signed_at=now,
            )
            for a in applications
        ],
        batch_size=500,
    )
    requester, approver = template.awarded_by, template.awarded_by
    tranches = Tranche.objects.bulk_create(
        [
            Tranche(
                award=award,
                number=number,
                percent=percent,
                amount=share_of(award.amount, percent)
                if number == 1
                else award.amount - share_of(award.amount, 70),
                condition="on_award",
                status=Tranche.Status.APPROVED,
                requested_by=requester,
                requested_at=now,
                approved_by=approver,
                approved_at=now,
            )
            for award in awards
            for number, percent in ((1, 70), (2, 30))
        ][:count],
        batch_size=500,
    )
    return [t.pk for t in tranches]


def _world(fake):
    from coaching.grants import stripe_gateway as gateway
    from coaching.grants.models import PayeeAccount
    from tests.grants.factories import make_award

    template = make_award()
    participant = template.application.participant
    state = gateway.recipient_create(
        email="bench@example.org", name="Bench", idempotency_key="bench-account", metadata={}
    )
    fake.complete_onboarding(state.id)
    payee = PayeeAccount.objects.create(
        participant=participant, stripe_account_id=state.id, can_receive=True
    )
    return template, payee


def _check(fake, tranche_ids: list[int]) -> list[object]:
    """Counts for the table, after asserting that every tranche was paid exactly once."""
    from django.db.models import Sum

    from coaching.grants.models import LedgerEntry, Tranche
    from coaching.grants.models.money import to_cents

    ids = {str(pk) for pk in tranche_ids}
    per_tranche = collections.Counter(t["metadata"].get("tranche") for t in fake.transfers.values())
    transfers = sum(n for pk, n in per_tranche.items() if pk in ids)
    duplicates = sum(n - 1 for pk, n in per_tranche.items() if pk in ids and n > 1)
    tranches = Tranche.objects.filter(pk__in=tranche_ids)
    entries = LedgerEntry.objects.filter(tranche__in=tranches, kind="payout")
    paid = tranches.filter(status=Tranche.Status.SENT).count()
    moved = sum(t["amount"] for t in fake.transfers.values() if t["metadata"]["tranche"] in ids)
    booked = entries.aggregate(total=Sum("amount_cents"))["total"] or 0
    expected = sum(to_cents(amount) for amount in tranches.values_list("amount", flat=True))
    assert duplicates == 0, f"{duplicates} tranches paid twice"
    assert transfers == entries.count() == paid == len(tranche_ids), (transfers, paid)
    assert moved == booked == expected, (moved, booked, expected)
    return [transfers, entries.count(), paid, duplicates]


def _payer(url: str) -> None:
    """The killed process: ``pay_approved_tranches`` against the fake at ``url``."""
    import django

    django.setup()
    _stripe_at(url)
    from django.core.management import call_command

    call_command("pay_approved_tranches")


def child(engine: str) -> None:
    setup_django()
    from coaching.grants.models import Tranche
    from coaching.grants.services.payouts import payouts_reconcile, payouts_run
    from tests.stripe_fake import FakeStripe

    count = _options().tranches
    rows = []
    with FakeStripe() as fake:
        fake.set_balance(BALANCE, "eur")
        _stripe_at(fake.url)
        template, payee = _world(fake)

        # 1. Throughput.
        first = _approved_tranches(template, payee, count)
        start = time.perf_counter()
        report = payouts_run()
        seconds = time.perf_counter() - start
        assert len(report.paid) == count, (len(report.paid), report.failed, report.unknown)
        rows.append(["paid in one run", *_check(fake, first), f"{count / seconds:.0f}/s"])

        # 2. A run killed half-way, reconciled, run again.
        second = _approved_tranches(template, payee, count)
        before = len(fake.transfers)
        payer = subprocess.Popen(
            [sys.executable, __file__, "--payer", fake.url],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while len(fake.transfers) - before < count // 2 and time.monotonic() < deadline:
            time.sleep(0.005)
        payer.send_signal(signal.SIGKILL)
        payer.wait()
        made = len(fake.transfers) - before
        left = collections.Counter(
            Tranche.objects.filter(pk__in=second).values_list("status", flat=True)
        )
        recorded = left[Tranche.Status.SENT]
        print(
            f"\n[{engine}] killed after {made} transfers: {recorded} recorded sent, "
            f"{left[Tranche.Status.SENDING]} left sending, "
            f"{left[Tranche.Status.APPROVED]} still approved"
        )
        start = time.perf_counter()
        reconciled = payouts_reconcile(everything=True)
        finished = payouts_run()
        seconds = time.perf_counter() - start
        print(
            f"[{engine}] reconciled: {len(reconciled.sent)} found paid, "
            f"{len(reconciled.reapproved)} approved again; then paid {len(finished.paid)}"
        )
        rows.append(
            ["killed, reconciled, rerun", *_check(fake, second), f"{seconds:.1f} s to finish"]
        )
    print_table(
        f"Grant payouts on {engine} ({count} tranches a phase)",
        ["phase", "transfers", "ledger entries", "tranches paid", "paid twice", "speed"],
        rows,
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--payer":
        _payer(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] != "--child":
        run_per_engine(Path(__file__).resolve(), sys.argv[1:])
    else:
        per_engine_main(__file__, child)
