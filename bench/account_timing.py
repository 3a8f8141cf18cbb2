"""Sign-up and password reset: does the answer time tell whether an address is registered?

    python bench/account_timing.py

Medians of 20 sign-ups with a registered and with a new address, and of 20 password resets
for a registered and for an unknown address, with production's password hashing (PBKDF2,
not the tests' MD5) and the rate limits off. E-mails go to a task queue that is not run in
the request, as with the Redis queue in production. The ratio registered / new must stay
between 0.8 and 1.25. Runs on a temporary SQLite file and, when the machine's PostgreSQL is
reachable, on a throwaway PostgreSQL database too.
"""

import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import per_engine_main, print_table, setup_django

REPEAT = 20
PASSWORD = "a-long-bench-passphrase-2026"
TARGET = (0.8, 1.25)


def _timed(post) -> float:
    start = time.perf_counter()
    response = post()
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 302, response.status_code
    return elapsed


def child(engine: str) -> None:
    setup_django()
    from django.test import Client, override_settings

    from tests.factories import UserFactory

    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"],
        ACCOUNT_RATE_LIMITS=False,
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
    ):
        registered = UserFactory(email="registrata@example.org")
        registered.set_password(PASSWORD)
        registered.save()

        def sign_up(email):
            data = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
            return lambda: Client().post("/it/account/signup/", data)

        def reset(email):
            return lambda: Client().post("/it/account/password/reset/", {"email": email})

        def new_address():
            return f"nuova-{uuid.uuid4().hex[:12]}@example.org"

        cases = {
            "sign-up": (lambda: sign_up(registered.email), lambda: sign_up(new_address())),
            "password reset": (lambda: reset(registered.email), lambda: reset(new_address())),
        }
        rows = []
        for label, (known, unknown) in cases.items():
            known()()  # warm templates and caches, as a running server would have them
            unknown()()
            known_ms, unknown_ms = [], []
            # Interleaved, so a slower moment of the machine weighs on both sides alike.
            for _ in range(REPEAT):
                known_ms.append(_timed(known()))
                unknown_ms.append(_timed(unknown()))
            known_median = statistics.median(known_ms)
            unknown_median = statistics.median(unknown_ms)
            ratio = known_median / unknown_median
            verdict = "ok" if TARGET[0] <= ratio <= TARGET[1] else "OUT OF RANGE"
            rows.append(
                [
                    engine,
                    label,
                    f"{known_median:.1f}",
                    f"{unknown_median:.1f}",
                    f"{ratio:.2f}",
                    verdict,
                ]
            )
    print_table(
        f"Median ms of {REPEAT} requests, registered vs new/unknown address ({engine}); "
        f"target ratio {TARGET[0]}-{TARGET[1]}",
        ["engine", "form", "registered ms", "new/unknown ms", "ratio", ""],
        rows,
    )


if __name__ == "__main__":
    per_engine_main(__file__, child)
