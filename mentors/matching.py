"""Mentor matching: score a participant–mentor pair, suggest the best few, assign a whole cohort.

Pure Python, NumPy and OR-Tools, no Django, so that tests and the bench call it directly; the
Django layer turns models into `Seeker`/`Mentor`, site settings into `Weights`, and the term
codes and facts of a `Score` into sentences in the reader's language (see `explain`).

A pair gets six terms (`TERMS`), each a value in [0, 1] times its weight; the total is their
sum. Each term carries facts, the words of its reason:

- ``sector``: 1 if they share a sector; facts: the shared sector codes.
- ``needs``: the share of the seeker's needs the mentor's skills cover; facts: the skills covered.
- ``language``: 1 if they share a language; facts: the shared language codes.
- ``place``: the share of the seeker's modes the pair can use, in person only in the same
  municipality; facts: the usable modes.
- ``availability``: the share of the seeker's weekly hours the mentor is free too; facts: the
  shared hours (0 = Monday 00:00–01:00, Europe/Rome).
- ``load``: 1 − load / capacity; no facts.

Hard rules (`RULES`) make a pair no candidate whatever its total: no shared language
(``language``), the mentor is full (``capacity``), the seeker's mentor-gender preference is not met
(``gender``), no mode they can both use (``mode``). A candidate also needs ``total >=
Weights.threshold``. The terms are written once, in `_evaluate`, over NumPy arrays that broadcast:
one seeker against all mentors (`suggest`), a block of seekers against all mentors (`assign`),
or one pair (`score`). Sets are bitmasks over the mentor pool's vocabularies (the 168 weekly hours
are three uint64 words) and shared items are counted with ``np.bitwise_count``, so the reasons
shown for a pair are always the ones that made its score.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Literal, NamedTuple

import numpy as np
from ortools.graph.python import min_cost_flow

TERMS = ("sector", "needs", "language", "place", "availability", "load")
RULES = ("language", "capacity", "gender", "mode")
MODES = ("in_person", "remote")
SLOTS = 168  # hours in a week, Monday 00:00 = 0, in Europe/Rome time
SCALE = 1_000_000  # fit is turned into integer flow costs at this resolution
_MODE_BITS = {"in_person": 1, "remote": 2}
_BLOCK = 1 << 18  # seeker–mentor pairs evaluated at once by assign(): a few tens of MB
_MASK64 = (1 << 64) - 1


def _freeze(obj, *names: str) -> None:
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, str):
            raise TypeError(f"{name} must be a collection of codes, not a string")
        object.__setattr__(obj, name, frozenset(value))
    if not obj.modes <= set(MODES):
        raise ValueError(f"modes must be among {MODES}")
    if any(not isinstance(h, int) or not 0 <= h < SLOTS for h in obj.availability):
        raise ValueError(f"availability holds weekly hours 0..{SLOTS - 1}")


@dataclass(frozen=True)
class Seeker:
    """A participant looking for a mentor; ``needs`` are skill codes, ``key`` their id."""

    key: Hashable
    sectors: frozenset[str] = frozenset()
    needs: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    municipality: str | None = None
    modes: frozenset[str] = frozenset(MODES)
    availability: frozenset[int] = frozenset()
    mentor_gender: str | None = None

    def __post_init__(self) -> None:
        _freeze(self, "sectors", "needs", "languages", "modes", "availability")


@dataclass(frozen=True)
class Mentor:
    """A mentor with ``capacity`` mentees in all, ``load`` of them taken already."""

    key: Hashable
    sectors: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    municipality: str | None = None
    modes: frozenset[str] = frozenset(MODES)
    availability: frozenset[int] = frozenset()
    gender: str | None = None
    capacity: int = 1
    load: int = 0

    def __post_init__(self) -> None:
        _freeze(self, "sectors", "skills", "languages", "modes", "availability")
        if self.capacity < 0 or self.load < 0:
            raise ValueError("capacity and load cannot be negative")


@dataclass(frozen=True)
class Weights:
    """How much each term counts (any non-negative scale) and the minimum total of a candidate."""

    sector: float = 2.0
    needs: float = 3.0
    language: float = 1.0
    place: float = 1.0
    availability: float = 2.0
    load: float = 1.0
    threshold: float = 0.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = float(getattr(self, f.name))
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"weight {f.name} must be a finite number >= 0")
            object.__setattr__(self, f.name, value)


@dataclass(frozen=True)
class Term:
    code: str
    value: float
    weight: float
    contribution: float  # weight × value; the contributions of a Score add up to its total
    facts: tuple = ()


@dataclass(frozen=True)
class Score:
    total: float
    terms: tuple[Term, ...]
    broken: tuple[str, ...]  # the hard rules (RULES) the pair breaks
    candidate: bool  # no rule broken and total >= threshold

    def term(self, code: str) -> Term:
        return next(t for t in self.terms if t.code == code)


@dataclass(frozen=True)
class Pair:
    seeker: Hashable
    mentor: Hashable
    score: Score


@dataclass(frozen=True)
class Unmatched:
    seeker: Hashable
    # no_candidate: no mentor passes the hard rules and the threshold;
    # taken: every mentor who would suit them is full in this proposal
    reason: Literal["no_candidate", "taken"]


@dataclass(frozen=True)
class Assignment:
    pairs: tuple[Pair, ...]  # in the seekers' order
    total: float
    unmatched: tuple[Unmatched, ...]


# --- encoding ---------------------------------------------------------------------------------


class _Vocab:
    def __init__(self, codes: Iterable) -> None:
        self.codes = tuple(sorted(set(codes)))
        self.index = {code: i for i, code in enumerate(self.codes)}
        self.words = max(1, -(-len(self.codes) // 64))

    def encode(self, rows: Sequence[Iterable]) -> np.ndarray:
        ints = [sum(1 << self.index[c] for c in row if c in self.index) for row in rows]
        out = np.zeros((len(ints), self.words), dtype=np.uint64)
        for k in range(self.words):
            out[:, k] = np.array([(v >> (64 * k)) & _MASK64 for v in ints], dtype=np.uint64)
        return out

    def decode(self, words: np.ndarray) -> tuple:
        bits = sum(int(w) << (64 * k) for k, w in enumerate(words))
        return tuple(code for i, code in enumerate(self.codes) if bits >> i & 1)


class _Space:
    """The vocabularies of one mentor pool; seekers are encoded against them (codes no mentor
    has cannot be shared, so they drop out of the masks but still count in the shares)."""

    def __init__(self, mentors: Sequence[Mentor]) -> None:
        self.sector = _Vocab(c for m in mentors for c in m.sectors)
        self.needs = _Vocab(c for m in mentors for c in m.skills)
        self.language = _Vocab(c for m in mentors for c in m.languages)
        self.availability = _Vocab(range(SLOTS))
        self.places = _Vocab(m.municipality for m in mentors if m.municipality is not None)
        self.genders = _Vocab(m.gender for m in mentors if m.gender is not None)
        self.genders.index[None] = -1  # a seeker with no preference; a mentor who did not say

    def mentors(self, mentors: Sequence[Mentor]) -> dict[str, np.ndarray]:
        return {
            "sector": self.sector.encode([m.sectors for m in mentors]),
            "needs": self.needs.encode([m.skills for m in mentors]),
            "language": self.language.encode([m.languages for m in mentors]),
            "availability": self.availability.encode([m.availability for m in mentors]),
            "modes": np.array([_modes(m.modes) for m in mentors], dtype=np.int64),
            "place": np.array([self.places.index.get(m.municipality, -1) for m in mentors]),
            "gender": np.array([self.genders.index.get(m.gender, -1) for m in mentors]),
            "load": np.array([m.load for m in mentors], dtype=np.float64),
            "capacity": np.array([m.capacity for m in mentors], dtype=np.float64),
        }

    def seekers(self, seekers: Sequence[Seeker]) -> dict[str, np.ndarray]:
        # -2 never equals a mentor's id (-1 = none): unknown place or gender cannot match.
        return {
            "sector": self.sector.encode([s.sectors for s in seekers]),
            "needs": self.needs.encode([s.needs for s in seekers]),
            "language": self.language.encode([s.languages for s in seekers]),
            "availability": self.availability.encode([s.availability for s in seekers]),
            "modes": np.array([_modes(s.modes) for s in seekers], dtype=np.int64),
            "place": np.array([self.places.index.get(s.municipality, -2) for s in seekers]),
            "gender": np.array([self.genders.index.get(s.mentor_gender, -2) for s in seekers]),
            "n_needs": np.array([len(s.needs) for s in seekers], dtype=np.float64),
            "n_slots": np.array([len(s.availability) for s in seekers], dtype=np.float64),
            "n_modes": np.array([len(s.modes) for s in seekers], dtype=np.float64),
        }


def _modes(modes: frozenset[str]) -> int:
    return sum(_MODE_BITS[m] for m in modes)


def _rows(table: dict[str, np.ndarray], index, axis: int | None = None) -> dict:
    if axis is None:
        return {k: v[index] for k, v in table.items()}
    return {k: np.expand_dims(v[index], axis) for k, v in table.items()}


def _unique(items: Sequence, what: str) -> None:
    if len({item.key for item in items}) != len(items):
        raise ValueError(f"two {what} share a key")


# --- the terms, written once ------------------------------------------------------------------


class _Eval(NamedTuple):
    contributions: dict[str, np.ndarray]
    values: dict[str, np.ndarray]
    total: np.ndarray
    broken: dict[str, np.ndarray]
    candidate: np.ndarray
    shared: dict[str, np.ndarray]  # what the pair has in common, for the facts


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    out = np.zeros(np.broadcast_shapes(np.shape(part), np.shape(whole)))
    return np.divide(part, whole, out=out, where=np.broadcast_to(whole > 0, out.shape))


def _evaluate(s: dict, m: dict, weights: Weights) -> _Eval:
    shared = {
        "sector": s["sector"] & m["sector"],
        "needs": s["needs"] & m["needs"],
        "language": s["language"] & m["language"],
        "availability": s["availability"] & m["availability"],
    }
    count = {k: np.bitwise_count(v).sum(axis=-1, dtype=np.int64) for k, v in shared.items()}
    common = s["modes"] & m["modes"]
    in_person = ((common & _MODE_BITS["in_person"]) != 0) & (s["place"] == m["place"])
    remote = (common & _MODE_BITS["remote"]) != 0
    shared["place"] = in_person * _MODE_BITS["in_person"] + remote * _MODE_BITS["remote"]
    values = {
        "sector": (count["sector"] > 0).astype(np.float64),
        "needs": _share(count["needs"], s["n_needs"]),
        "language": (count["language"] > 0).astype(np.float64),
        "place": _share(in_person.astype(np.float64) + remote, s["n_modes"]),
        "availability": _share(count["availability"], s["n_slots"]),
        "load": _share(np.maximum(m["capacity"] - m["load"], 0), m["capacity"]),
    }
    contributions = {code: getattr(weights, code) * values[code] for code in TERMS}
    shape = np.broadcast_shapes(*(v.shape for v in values.values()))
    total = np.zeros(shape)
    for code in TERMS:  # in this order, so that summing the Terms gives the same float
        total = total + contributions[code]
    broken = {
        "language": count["language"] == 0,
        "capacity": m["load"] >= m["capacity"],
        "gender": (s["gender"] != -1) & (s["gender"] != m["gender"]),  # -1: no preference
        "mode": ~(in_person | remote),
    }
    excluded = np.zeros(shape, dtype=bool)
    for rule in broken.values():
        excluded = excluded | rule
    candidate = ~excluded & (total >= weights.threshold)
    return _Eval(contributions, values, total, broken, candidate, shared)


def _scores(space: _Space, s_tab, m_tab, si, mi, weights: Weights) -> list[Score]:
    """The Scores of the pairs (si[p], mi[p]), with their facts, from one `_evaluate` call."""
    ev = _evaluate(_rows(s_tab, si), _rows(m_tab, mi), weights)
    out = []
    for p in range(len(si)):
        terms = []
        for code in TERMS:
            if code == "place":
                facts = tuple(m for m in MODES if int(ev.shared["place"][p]) & _MODE_BITS[m])
            elif code == "load":
                facts = ()
            else:
                facts = getattr(space, code).decode(ev.shared[code][p])
            value, contribution = float(ev.values[code][p]), float(ev.contributions[code][p])
            terms.append(Term(code, value, getattr(weights, code), contribution, facts))
        broken = tuple(rule for rule in RULES if ev.broken[rule][p])
        out.append(Score(float(ev.total[p]), tuple(terms), broken, bool(ev.candidate[p])))
    return out


def score(seeker: Seeker, mentor: Mentor, weights: Weights) -> Score:
    """The score of one pair, with its terms, facts and any hard rule it breaks."""
    space = _Space([mentor])
    return _scores(space, space.seekers([seeker]), space.mentors([mentor]), [0], [0], weights)[0]


def suggest(seeker: Seeker, mentors: Sequence[Mentor], weights: Weights, n: int = 3):
    """The best ``n`` candidate mentors for one seeker, best first (ties: the mentors' order)."""
    mentors = tuple(mentors)
    _unique(mentors, "mentors")
    space = _Space(mentors)
    s_tab, m_tab = space.seekers([seeker]), space.mentors(mentors)
    ev = _evaluate(s_tab, m_tab, weights)  # one seeker row broadcasts over every mentor
    found = np.flatnonzero(np.broadcast_to(ev.candidate, (len(mentors),)))
    best = found[np.argsort(-ev.total[found], kind="stable")][:n]
    scores = _scores(space, s_tab, m_tab, np.zeros(len(best), dtype=np.intp), best, weights)
    return tuple(Pair(seeker.key, mentors[j].key, sc) for j, sc in zip(best, scores, strict=True))


def _block_totals(s_tab, si, m_tab, mi, weights: Weights) -> np.ndarray:
    """Totals of seekers ``si`` × mentors ``mi``; -inf where the pair is no candidate."""
    ev = _evaluate(_rows(s_tab, si, 1), _rows(m_tab, mi, 0), weights)
    candidate = np.broadcast_to(ev.candidate, (len(si), len(mi)))
    return np.where(candidate, np.broadcast_to(ev.total, candidate.shape), -np.inf)


def _blocks(count: int, width: int):
    step = max(1, _BLOCK // max(width, 1))
    for start in range(0, count, step):
        yield np.arange(start, min(start + step, count))


def totals(seekers: Sequence[Seeker], mentors: Sequence[Mentor], weights: Weights) -> np.ndarray:
    """The whole seekers × mentors matrix of totals, -inf where no candidate (for baselines)."""
    space = _Space(mentors)
    s_tab, m_tab = space.seekers(seekers), space.mentors(mentors)
    every = np.arange(len(mentors))
    blocks = _blocks(len(seekers), len(mentors))
    rows = [_block_totals(s_tab, si, m_tab, every, weights) for si in blocks]
    return np.vstack(rows) if rows else np.zeros((0, len(mentors)))


def _solve(seekers: int, free: np.ndarray, tails, heads, fit) -> np.ndarray:
    """Min-cost flow; True for each candidate arc used. Seekers are nodes 0..S-1 (supply 1),
    mentors S..S+M-1, the sink S+M. A seeker reaches the sink through one mentor (cost −fit,
    capacity 1) or directly ("no mentor", cost 1: one unit of fit, so any candidate beats
    none and, among equal fits, more seekers get a mentor); a mentor takes ``free`` seekers."""
    mentors = len(free)
    sink = seekers + mentors
    open_ = np.flatnonzero(free > 0)
    cost = np.concatenate([-np.rint(fit * SCALE), np.ones(seekers), np.zeros(len(open_))])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([tails, np.arange(seekers), seekers + open_]).astype(np.int32),
        np.concatenate([seekers + heads, np.full(seekers + len(open_), sink)]).astype(np.int32),
        np.concatenate([np.ones(len(tails) + seekers), free[open_]]).astype(np.int64),
        cost.astype(np.int64),
    )
    supply = np.zeros(sink + 1, dtype=np.int64)
    supply[:seekers], supply[sink] = 1, -seekers
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supply)
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError("min-cost flow found no optimal solution")
    return flow.flows(np.arange(len(tails), dtype=np.int32)) > 0


def assign(
    seekers: Sequence[Seeker],
    mentors: Sequence[Mentor],
    weights: Weights,
    per_seeker: int = 50,
) -> Assignment:
    """Give each seeker at most one mentor, maximising the total fit under every mentor's free
    places (capacity − load), by an optimal min-cost flow over the candidate pairs.

    To scale, the flow sees only each seeker's ``per_seeker`` best candidates. That can in
    theory lose optimality (the optimum might send someone to their K+1-th choice to free a
    place for another); with ``per_seeker >= len(mentors)`` the result is exactly optimal. So
    that pruning never leaves someone out while a suitable mentor has room, the flow is solved
    again with every candidate pair between the seekers left out and the mentors with room,
    until there are none. Seekers with no mentor are reported with the reason, never dropped.
    """
    seekers, mentors = tuple(seekers), tuple(mentors)
    _unique(seekers, "seekers")
    _unique(mentors, "mentors")
    space = _Space(mentors)
    s_tab, m_tab = space.seekers(seekers), space.mentors(mentors)
    free = np.array([max(m.capacity - m.load, 0) for m in mentors], dtype=np.int64)
    k = max(1, min(per_seeker, len(mentors)))
    arcs: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    every = np.arange(len(mentors))
    for si in _blocks(len(seekers), len(mentors)) if mentors else ():
        block = _block_totals(s_tab, si, m_tab, every, weights)
        best = np.argpartition(-block, k - 1, axis=1)[:, :k]
        fit = np.take_along_axis(block, best, axis=1)
        keep = np.isfinite(fit)
        arcs.append((np.broadcast_to(si[:, None], best.shape)[keep], best[keep], fit[keep]))
    has_arc = np.zeros(len(seekers), dtype=bool)
    empty = np.zeros(0, dtype=np.intp)
    while True:
        tails, heads, fit = (np.concatenate(a) for a in zip(*[(empty,) * 3, *arcs], strict=True))
        used = _solve(len(seekers), free, tails, heads, fit)
        has_arc[tails] = True
        matched = np.zeros(len(seekers), dtype=bool)
        matched[tails[used]] = True
        waiting = np.flatnonzero(has_arc & ~matched)
        room = np.flatnonzero(np.bincount(heads[used], minlength=len(mentors)) < free)
        added = 0
        for part in _blocks(len(waiting), len(room)) if len(room) else ():
            block = _block_totals(s_tab, waiting[part], m_tab, room, weights)
            rows, cols = np.nonzero(np.isfinite(block))
            # An optimal flow never leaves a seeker out beside a room it has an arc to, so
            # these arcs are all new.
            arcs.append((waiting[part][rows], room[cols], block[rows, cols]))
            added += len(rows)
        if not added:
            break
    order = np.argsort(tails[used], kind="stable")
    si, mi = tails[used][order], heads[used][order]
    scores = _scores(space, s_tab, m_tab, si, mi, weights)
    pairs = tuple(
        Pair(seekers[i].key, mentors[j].key, sc) for i, j, sc in zip(si, mi, scores, strict=True)
    )
    unmatched = tuple(
        Unmatched(s.key, "taken" if has_arc[i] else "no_candidate")
        for i, s in enumerate(seekers)
        if not matched[i]
    )
    return Assignment(pairs, sum(p.score.total for p in pairs), unmatched)


def blockers(seeker: Seeker, mentors: Sequence[Mentor], weights: Weights) -> dict[str, int]:
    """Why ``mentors`` are no candidates for ``seeker``: for each hard rule (``RULES``) the
    number of mentors it rules out, and under ``"threshold"`` those that break no rule but fit
    too little. A mentor breaking several rules counts under each; zero counts are left out.
    One `_evaluate` call, so the reasons given for "nobody fits" are the rules that decided."""
    mentors = tuple(mentors)
    if not mentors:
        return {}
    space = _Space(mentors)
    ev = _evaluate(space.seekers([seeker]), space.mentors(mentors), weights)
    shape = (len(mentors),)
    broken = {rule: np.broadcast_to(ev.broken[rule], shape) for rule in RULES}
    ruled_out = np.zeros(shape, dtype=bool)
    for rule in broken.values():
        ruled_out = ruled_out | rule
    counts = {rule: int(broken[rule].sum()) for rule in RULES}
    counts["threshold"] = int((~ruled_out & ~np.broadcast_to(ev.candidate, shape)).sum())
    return {code: count for code, count in counts.items() if count}


def explain(
    score: Score, templates: Mapping[str, str], labels: Mapping[str, Mapping] | None = None
) -> list[str]:
    """Plain phrases for the terms that add to the score, biggest first.

    ``templates`` maps a term code to a translated format string that may use ``{facts}`` (the
    facts' labels joined by ", "), ``{count}`` (how many facts) and ``{percent}`` (the value in
    per cent), e.g. ``{"language": "parla {facts}, come te"}``; a code without a template is
    left out. ``labels`` maps a term code to the labels of its facts (``{"language": {"ar":
    "arabo"}}``); a fact without a label is shown as it is.
    """
    phrases = []
    for term in sorted(score.terms, key=lambda t: -t.contribution):
        template = templates.get(term.code)
        if term.contribution <= 0 or template is None:
            continue
        names = (labels or {}).get(term.code, {})
        facts = ", ".join(str(names.get(fact, fact)) for fact in term.facts)
        phrases.append(
            template.format(facts=facts, count=len(term.facts), percent=round(term.value * 100))
        )
    return phrases
