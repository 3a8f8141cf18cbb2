"""The fake Stripe as a demo server for ``make run``: ``python -m tests.stripe_fake``.

A newcomer clicks through the whole microgrant flow without a Stripe account: the site's
gateway talks to this fake (``STRIPE_API_BASE``), its hosted onboarding page is one button,
the platform balance is ample, and the events it makes are signed with the demo secrets and
delivered to the site's webhook endpoints every second, as Stripe would deliver them.
"""

import argparse
import contextlib
import signal
import threading

from tests.stripe_fake.server import FakeStripe

DEMO_SECRET = "whsec_demo_snapshot"
DEMO_THIN_SECRET = "whsec_demo_thin"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument("--site", default="http://127.0.0.1:8000", help="where the site runs")
    parser.add_argument("--balance", type=int, default=10_000_000, help="platform balance, cents")
    arguments = parser.parse_args()

    fake = FakeStripe(port=arguments.port).start()
    fake.set_balance(arguments.balance)
    fake.add_webhook(f"{arguments.site}/stripe/webhooks/", DEMO_SECRET, kind="snapshot")
    fake.add_webhook(f"{arguments.site}/stripe/webhooks/thin/", DEMO_THIN_SECRET, kind="thin")
    print(
        f"Fake Stripe (demo) at {fake.url}; webhooks to {arguments.site}/stripe/webhooks/",
        flush=True,
    )

    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    delivered: set[str] = set()
    try:
        while not stopping.wait(1.0):
            for event_id in [e["id"] for e in fake.events if e["id"] not in delivered]:
                # As Stripe does, an event is sent again until the site answers 2xx: the
                # site not up yet, reloading, or answering 503 gets it at the next round.
                with contextlib.suppress(OSError):
                    answers = [d.result for d in fake.deliver(event_id)]
                    if all(isinstance(a, int) and 200 <= a < 300 for a in answers):
                        delivered.add(event_id)
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
