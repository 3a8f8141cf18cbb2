"""The matching core (mentors/matching.py): scores, hard rules, suggestions and the optimal
cohort assignment, checked against brute force on small random seeded cohorts. No database."""

import itertools
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from mentors.matching import (
    MODES,
    RULES,
    SLOTS,
    TERMS,
    Mentor,
    Seeker,
    Weights,
    assign,
    explain,
    score,
    suggest,
    totals,
)

SECTORS = ["food", "crafts", "digital", "care"]
SKILLS = ["marketing", "tax", "legal", "digital", "green", "crafts"]
LANGUAGES = ["it", "ar", "en", "fr", "uk"]
PLACES = ["Napoli", "Caserta", "Salerno"]
WEIGHTS = Weights(sector=2, needs=3, language=1, place=1, availability=2, load=1)


def _some(rng, items, low=0, high=None):
    return set(rng.sample(items, rng.randint(low, min(high or len(items), len(items)))))


def _modes(rng, contended=False):
    return rng.choice(
        [{"remote"}, set(MODES)] if contended else [{"in_person"}, {"remote"}, set(MODES)]
    )


def _seeker(rng, key, contended=False):
    return Seeker(
        key,
        sectors=_some(rng, SECTORS, 0, 2),
        needs=_some(rng, SKILLS, 0, 3),
        languages=_some(rng, LANGUAGES[:2] if contended else LANGUAGES, 1, 2),
        municipality=rng.choice([*PLACES, None]),
        modes=_modes(rng, contended),
        availability=set(rng.sample(range(SLOTS), rng.randint(0, 40))),
        mentor_gender=rng.choice([None, None, None, "f"] if contended else [None, None, "f", "m"]),
    )


def _mentor(rng, key, capacity=(1, 3), contended=False):
    capacity = rng.randint(*capacity)
    return Mentor(
        key,
        sectors=_some(rng, SECTORS, 0, 2),
        skills=_some(rng, SKILLS, 0, 4),
        languages=_some(rng, LANGUAGES[:2] if contended else LANGUAGES, 1, 3),
        municipality=rng.choice([*PLACES, None]),
        modes=_modes(rng, contended),
        availability=set(rng.sample(range(SLOTS), rng.randint(0, 60))),
        gender=rng.choice([None, "f", "m"]),
        capacity=capacity,
        load=rng.randint(0, capacity - 1 if contended else capacity),
    )


def _cohort(seed, seekers=6, mentors=3, capacity=(1, 3), contended=False):
    """A random cohort; ``contended`` keeps every mentor open and the rules loose, so that most
    pairs are candidates and seekers compete for places."""
    rng = random.Random(seed)
    return (
        [_seeker(rng, f"s{n}", contended) for n in range(seekers)],
        [_mentor(rng, f"m{n}", capacity, contended) for n in range(mentors)],
    )


def _base_seeker(**changes):
    fields = {"key": "s", "languages": {"it"}, "municipality": "Napoli", "modes": set(MODES)}
    return Seeker(**{**fields, **changes})


def _base_mentor(**changes):
    fields = {"key": "m", "languages": {"it"}, "municipality": "Napoli", "capacity": 2}
    return Mentor(**{**fields, **changes})


# --- scores and their reasons -----------------------------------------------------------------


@pytest.mark.parametrize("seed", range(40))
def test_terms_add_up_to_the_score_and_the_facts_are_the_reasons(seed):
    rng = random.Random(seed)
    seeker, mentor = _seeker(rng, "s"), _mentor(rng, "m")
    result = score(seeker, mentor, WEIGHTS)

    assert [t.code for t in result.terms] == list(TERMS)
    assert sum(t.contribution for t in result.terms) == result.total
    for term in result.terms:
        assert 0 <= term.value <= 1
        assert term.contribution == term.weight * term.value
        assert term.weight == getattr(WEIGHTS, term.code)
    facts = {t.code: t.facts for t in result.terms}
    values = {t.code: t.value for t in result.terms}
    assert set(facts["sector"]) == seeker.sectors & mentor.sectors
    assert values["sector"] == (1.0 if facts["sector"] else 0.0)
    assert set(facts["needs"]) == seeker.needs & mentor.skills
    assert values["needs"] == (len(facts["needs"]) / len(seeker.needs) if seeker.needs else 0)
    assert set(facts["language"]) == seeker.languages & mentor.languages
    assert set(facts["availability"]) == seeker.availability & mentor.availability
    if seeker.availability:
        assert values["availability"] == len(facts["availability"]) / len(seeker.availability)
    assert values["place"] == len(facts["place"]) / len(seeker.modes)
    assert values["load"] == (mentor.capacity - mentor.load) / mentor.capacity


def test_a_good_pair_reads_as_plain_phrases_in_the_callers_words():
    seeker = _base_seeker(sectors={"food"}, needs={"tax", "legal"}, languages={"ar", "it"})
    mentor = _base_mentor(sectors={"food"}, skills={"tax"}, languages={"ar"})
    result = score(seeker, mentor, WEIGHTS)
    templates = {
        "sector": "conosce il settore {facts}",
        "language": "parla {facts}, come te",
        "needs": "ti può aiutare con: {facts}",
    }
    labels = {"sector": {"food": "alimentare"}, "language": {"ar": "arabo"}}

    assert result.candidate
    assert explain(result, templates, labels) == [
        "conosce il settore alimentare",
        "ti può aiutare con: tax",
        "parla arabo, come te",
    ]


def test_hours_beyond_the_first_64_bit_word_are_shared():
    seeker = _base_seeker(availability={3, 70, 150, 167})
    mentor = _base_mentor(availability={70, 150, 167, 10})
    assert score(seeker, mentor, WEIGHTS).term("availability").facts == (70, 150, 167)


# --- hard rules and the threshold -------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "seeker", "mentor"),
    [
        ("language", _base_seeker(languages={"ar"}), _base_mentor(languages={"it", "en"})),
        ("capacity", _base_seeker(), _base_mentor(capacity=2, load=2)),
        ("capacity", _base_seeker(), _base_mentor(capacity=0)),
        ("gender", _base_seeker(mentor_gender="f"), _base_mentor(gender="m")),
        ("gender", _base_seeker(mentor_gender="f"), _base_mentor(gender=None)),
        (
            "mode",
            _base_seeker(modes={"in_person"}),
            _base_mentor(municipality="Salerno", modes=set(MODES)),
        ),
        ("mode", _base_seeker(modes={"remote"}), _base_mentor(modes={"in_person"})),
        ("mode", _base_seeker(municipality=None, modes={"in_person"}), _base_mentor()),
    ],
)
def test_each_hard_rule_excludes_the_pair(rule, seeker, mentor):
    result = score(seeker, mentor, WEIGHTS)
    assert result.broken == (rule,)
    assert not result.candidate
    assert suggest(seeker, [mentor], WEIGHTS) == ()
    proposal = assign([seeker], [mentor], WEIGHTS)
    assert proposal.pairs == ()
    assert [(u.seeker, u.reason) for u in proposal.unmatched] == [("s", "no_candidate")]


def test_a_met_preference_and_a_shared_place_pass_the_rules():
    seeker = _base_seeker(mentor_gender="f", modes={"in_person"})
    result = score(seeker, _base_mentor(gender="f", capacity=2, load=1), WEIGHTS)
    assert result.broken == ()
    assert result.candidate
    assert result.term("place").facts == ("in_person",)


def test_a_pair_below_the_threshold_is_no_candidate():
    seeker, mentor = _base_seeker(), _base_mentor()
    total = score(seeker, mentor, WEIGHTS).total
    strict = Weights(threshold=total + 0.01)
    result = score(seeker, mentor, strict)
    assert result.broken == ()
    assert not result.candidate
    assert suggest(seeker, [mentor], strict) == ()
    assert assign([seeker], [mentor], strict).unmatched[0].reason == "no_candidate"


# --- suggest ----------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(10))
def test_suggest_returns_the_n_best_candidates_with_the_scores_of_score(seed):
    seekers, mentors = _cohort(seed, seekers=1, mentors=60)
    seeker = seekers[0]
    every = {m.key: score(seeker, m, WEIGHTS) for m in mentors}
    expected = sorted((s.total for s in every.values() if s.candidate), reverse=True)[:3]

    best = suggest(seeker, mentors, WEIGHTS, n=3)

    assert len(best) <= 3
    assert [p.score.total for p in best] == expected
    for pair in best:
        assert pair.seeker == seeker.key
        assert pair.score == every[pair.mentor]


# --- assign -----------------------------------------------------------------------------------


def _brute_force(seekers, mentors, weights):
    """The best total over every way of giving each seeker one candidate mentor or none."""
    fit = {(s.key, m.key): score(s, m, weights) for s in seekers for m in mentors}
    room = {m.key: m.capacity - m.load for m in mentors}
    best = 0.0
    for choice in itertools.product([None, *room], repeat=len(seekers)):
        taken = [(s.key, m) for s, m in zip(seekers, choice, strict=True) if m is not None]
        if any(not fit[pair].candidate for pair in taken):
            continue
        if any(sum(1 for _, m in taken if m == key) > free for key, free in room.items()):
            continue
        best = max(best, sum(fit[pair].total for pair in taken))
    return best


@pytest.mark.parametrize("seed", range(40))
def test_assign_equals_the_brute_force_optimum_on_small_cohorts(seed):
    seekers, mentors = _cohort(seed, seekers=6, mentors=3, contended=True)
    weights = Weights(sector=2, needs=3, language=1, place=1, availability=2, load=1)

    proposal = assign(seekers, mentors, weights, per_seeker=len(mentors))

    assert proposal.total == pytest.approx(_brute_force(seekers, mentors, weights), abs=1e-5)


@pytest.mark.parametrize("seed", range(30))
def test_capacities_are_never_exceeded_and_every_seeker_is_accounted_for(seed):
    seekers, mentors = _cohort(seed, seekers=40, mentors=8, capacity=(1, 4))
    proposal = assign(seekers, mentors, WEIGHTS, per_seeker=2)

    room = {m.key: m.capacity - m.load for m in mentors}
    per_mentor = dict.fromkeys(room, 0)
    for pair in proposal.pairs:
        per_mentor[pair.mentor] += 1
        assert pair.score.candidate
    assert all(per_mentor[key] <= room[key] for key in room)
    keys = [p.seeker for p in proposal.pairs] + [u.seeker for u in proposal.unmatched]
    assert sorted(keys) == sorted(s.key for s in seekers)
    assert proposal.total == sum(p.score.total for p in proposal.pairs)
    # No seeker is left out while a mentor who would suit them still has room.
    for left in proposal.unmatched:
        seeker = next(s for s in seekers if s.key == left.seeker)
        suitable = [m for m in mentors if score(seeker, m, WEIGHTS).candidate]
        assert left.reason == ("taken" if suitable else "no_candidate")
        assert all(per_mentor[m.key] == room[m.key] for m in suitable)


def test_assigned_scores_are_those_of_score():
    seekers, mentors = _cohort(7, seekers=12, mentors=4)
    by_key = {m.key: m for m in mentors}
    for pair in assign(seekers, mentors, WEIGHTS).pairs:
        seeker = next(s for s in seekers if s.key == pair.seeker)
        assert pair.score == score(seeker, by_key[pair.mentor], WEIGHTS)


def test_a_seeker_whose_mentors_are_all_taken_is_reported():
    first = _base_seeker(key="a", sectors={"food"})
    second = _base_seeker(key="b")
    proposal = assign([first, second], [_base_mentor(sectors={"food"}, capacity=1)], WEIGHTS)
    assert [(p.seeker, p.mentor) for p in proposal.pairs] == [("a", "m")]
    assert [(u.seeker, u.reason) for u in proposal.unmatched] == [("b", "taken")]


def test_keeping_few_candidates_per_seeker_leaves_nobody_out_beside_a_free_mentor():
    # Both prefer "x" (one place); with one candidate each, "b" would be left out while "y"
    # has room: the second round of the flow gives "b" to "y".
    x = _base_mentor(key="x", sectors={"food"}, skills={"tax"}, capacity=1)
    y = _base_mentor(key="y", capacity=1)
    a = _base_seeker(key="a", sectors={"food"}, needs={"tax"})
    b = _base_seeker(key="b", sectors={"food"})
    proposal = assign([a, b], [x, y], WEIGHTS, per_seeker=1)
    assert sorted((p.seeker, p.mentor) for p in proposal.pairs) == [("a", "x"), ("b", "y")]
    assert proposal.unmatched == ()


def test_the_proposal_maximises_the_total_not_each_seekers_first_choice():
    # "a" likes "x" best, but "b" can only have "x" (language): greedy would leave "b" out.
    x = _base_mentor(key="x", sectors={"food"}, skills={"tax"}, capacity=1)
    y = _base_mentor(key="y", sectors={"food"}, languages={"en"}, capacity=1)
    a = _base_seeker(key="a", sectors={"food"}, needs={"tax"}, languages={"it", "en"})
    b = _base_seeker(key="b", sectors={"food"}, languages={"it"})
    assert score(a, x, WEIGHTS).total > score(a, y, WEIGHTS).total
    proposal = assign([a, b], [x, y], WEIGHTS)
    assert sorted((p.seeker, p.mentor) for p in proposal.pairs) == [("a", "y"), ("b", "x")]


def test_empty_inputs():
    seeker = _base_seeker()
    assert assign([], [_base_mentor()], WEIGHTS).pairs == ()
    assert assign([seeker], [], WEIGHTS).unmatched[0].reason == "no_candidate"
    assert suggest(seeker, [], WEIGHTS) == ()
    assert totals([seeker], [], WEIGHTS).shape == (1, 0)


_RUN = """
import json, random, sys
sys.path.insert(0, {root!r})
from tests.mentors.test_matching import WEIGHTS, _cohort
from mentors.matching import assign, suggest
seekers, mentors = _cohort(3, seekers=30, mentors=6)
proposal = assign(seekers, mentors, WEIGHTS, per_seeker=2)
best = suggest(seekers[0], mentors, WEIGHTS)
print(json.dumps([repr(proposal), repr(best)]))
"""


def test_same_input_same_output_whatever_the_hash_seed():
    root = str(Path(__file__).resolve().parents[2])
    outputs = []
    for hash_seed in ("0", "1"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        run = subprocess.run(
            [sys.executable, "-c", _RUN.format(root=root)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        outputs.append(json.loads(run.stdout))
    assert outputs[0] == outputs[1]
    seekers, mentors = _cohort(3, seekers=30, mentors=6)
    assert assign(seekers, mentors, WEIGHTS) == assign(seekers, mentors, WEIGHTS)


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: Seeker("s", languages="it"), TypeError),
        (lambda: Seeker("s", availability={SLOTS}), ValueError),
        (lambda: Seeker("s", modes={"by_post"}), ValueError),
        (lambda: Mentor("m", capacity=-1), ValueError),
        (lambda: Weights(needs=-1), ValueError),
        (lambda: Weights(threshold=float("nan")), ValueError),
        (lambda: assign([_base_seeker(), _base_seeker()], [_base_mentor()], WEIGHTS), ValueError),
        (lambda: suggest(_base_seeker(), [_base_mentor(), _base_mentor()], WEIGHTS), ValueError),
    ],
)
def test_bad_input_is_refused_clearly(make, error):
    with pytest.raises(error):
        make()


def test_rules_and_terms_are_the_documented_codes():
    assert RULES == ("language", "capacity", "gender", "mode")
    assert TERMS == ("sector", "needs", "language", "place", "availability", "load")
