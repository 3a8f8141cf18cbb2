"""Running work at the same instant, each piece in a thread (so a database connection) of
its own, for the tests of what two people doing the same thing at once leave behind."""

import threading

from django.db import connection


def at_once(*callables, timeout=60):
    """Call each of ``callables`` in its own thread, all released together by a barrier, and
    return, in order, what each returned or the exception it raised (the loser's refusal is
    a result too). Each thread closes its database connection when it is done."""
    barrier = threading.Barrier(len(callables))
    results = [None] * len(callables)

    def run(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as error:  # reported to the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(callables)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    stuck = sum(thread.is_alive() for thread in threads)
    assert not stuck, f"{stuck} of {len(threads)} threads still running after {timeout} s"
    return results
