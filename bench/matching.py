"""Mentor matching (mentors/matching.py): a whole cohort at once, and the top three for one person.

    python bench/matching.py [--seekers 10000] [--mentors 1000]

A random seeded cohort (capacity 1 to 10 per mentor): assign() time and peak memory, its total
fit against a greedy baseline (each seeker in turn takes their best mentor with room, on the same
scores), and suggest() for one seeker among all mentors (median of 50). No database: the matching
core is pure. Targets (issue 11): assign under 30 s and 2 GB with fit >= greedy; suggest under
200 ms. Printed, not asserted.
"""

import argparse
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from bench._harness import print_table
from mentors.matching import MODES, Mentor, Seeker, Weights, assign, suggest, totals

SECTORS = ["food", "crafts", "digital", "care", "tourism", "retail", "culture", "green", "build"]
SKILLS = ["marketing", "accounting_tax", "legal", "digital", "green", "crafts", "food", "funding",
          "sales", "export", "hr", "design"]  # fmt: skip
LANGUAGES = ["it"] * 6 + ["ar", "en", "fr", "es", "uk", "ro", "zh", "wo"]
PLACES = [f"Comune {n}" for n in range(20)]
WEIGHTS = Weights(threshold=2.0)


def _hours(rng: random.Random) -> set[int]:
    """A few weekly blocks of two to four hours, as people give them."""
    hours: set[int] = set()
    for _ in range(rng.randint(1, 4)):
        start = rng.randrange(7, 20) + 24 * rng.randrange(7)
        hours.update(range(start, start + rng.randint(2, 4)))
    return hours


def _modes(rng: random.Random) -> set[str]:
    return rng.choice([{"in_person"}, {"remote"}, set(MODES), set(MODES)])


def cohort(seed: int, seekers: int, mentors: int) -> tuple[list[Seeker], list[Mentor]]:
    rng = random.Random(seed)
    people = [
        Seeker(
            n,
            sectors={rng.choice(SECTORS)},
            needs=set(rng.sample(SKILLS, rng.randint(1, 3))),
            languages={rng.choice(LANGUAGES)} | ({"it"} if rng.random() < 0.6 else set()),
            municipality=rng.choice(PLACES),
            modes=_modes(rng),
            availability=_hours(rng),
            mentor_gender=rng.choice([None] * 8 + ["f", "m"]),
        )
        for n in range(seekers)
    ]
    pool = []
    for n in range(mentors):
        capacity = rng.randint(1, 10)
        pool.append(
            Mentor(
                n,
                sectors=set(rng.sample(SECTORS, rng.randint(1, 2))),
                skills=set(rng.sample(SKILLS, rng.randint(2, 5))),
                languages={"it"} | set(rng.sample(LANGUAGES, rng.randint(0, 2))),
                municipality=rng.choice(PLACES),
                modes=_modes(rng),
                availability=_hours(rng) | _hours(rng),
                gender=rng.choice(["f", "m", None]),
                capacity=capacity,
                load=rng.randint(0, capacity // 3),
            )
        )
    return people, pool


def greedy(seekers: list[Seeker], mentors: list[Mentor]) -> tuple[float, int]:
    """Each seeker in turn takes their best mentor with room, on the same scores as assign()."""
    fit = totals(seekers, mentors, WEIGHTS)
    room = np.array([m.capacity - m.load for m in mentors])
    total, matched = 0.0, 0
    for row in fit:
        choice = int(np.argmax(np.where(room > 0, row, -np.inf)))
        if room[choice] > 0 and np.isfinite(row[choice]):
            room[choice] -= 1
            total += float(row[choice])
            matched += 1
    return total, matched


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seekers", type=int, default=10_000)
    parser.add_argument("--mentors", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    seekers, mentors = cohort(args.seed, args.seekers, args.mentors)
    places = sum(m.capacity - m.load for m in mentors)
    print(f"{len(seekers):,} seekers, {len(mentors):,} mentors, {places:,} free places")
    before = _peak_mb()

    rows = []
    for per_seeker in (10, 50, 200):
        start, cpu = time.perf_counter(), time.process_time()
        proposal = assign(seekers, mentors, WEIGHTS, per_seeker=per_seeker)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        reasons = [u.reason for u in proposal.unmatched]
        rows.append([
            f"assign (K={per_seeker})", f"{seconds:.1f} s", f"{cpu:.1f} s", f"{_peak_mb():.0f} MB",
            f"{proposal.total:,.1f}", f"{len(proposal.pairs):,}",
            f"{reasons.count('taken'):,} / {reasons.count('no_candidate'):,}",
        ])  # fmt: skip
    start, cpu = time.perf_counter(), time.process_time()
    greedy_total, greedy_matched = greedy(seekers, mentors)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    rows.append([
        "greedy baseline", f"{seconds:.1f} s", f"{cpu:.1f} s", "", f"{greedy_total:,.1f}",
        f"{greedy_matched:,}", "",
    ])  # fmt: skip
    print_table(
        f"Cohort (process peak memory; {before:.0f} MB after building the cohort)",
        ["run", "wall", "CPU", "peak RSS", "total fit", "matched", "left: taken / none"],
        rows,
    )
    default = float(rows[1][4].replace(",", ""))  # K=50, assign()'s default
    print(f"fit vs greedy: {default / greedy_total:.4f}×  (targets: >= 1; < 30 s; < 2 GB)")

    timings = []
    for seeker in seekers[:50]:
        start = time.perf_counter()
        suggest(seeker, mentors, WEIGHTS, n=3)
        timings.append((time.perf_counter() - start) * 1000)
    print_table(
        f"Top three for one seeker among {len(mentors):,} mentors (50 seekers)",
        ["median", "max", "target"],
        [[f"{statistics.median(timings):.1f} ms", f"{max(timings):.1f} ms", "< 200 ms"]],
    )


if __name__ == "__main__":
    main()
