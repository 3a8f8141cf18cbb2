"""Matching in Django terms: models in, ``mentors.matching`` in the middle, matches and words out.

``mentors.matching`` scores pairs and solves the cohort; this module turns a participant into a
``Seeker`` and a mentor profile into a ``Mentor`` (the one place that says how), reads a site's
weights (``MatchingSettings``), stores a proposal as ``Match`` rows through
``mentors.services.matches`` and turns the stored terms of a score into sentences in the
reader's language. Every read here makes a fixed number of queries however many mentors and
participants a site has, so a cohort of hundreds costs what a cohort of three does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.utils.text import get_text_list
from django.utils.translation import get_language, gettext, ngettext, pgettext
from wagtail.models import Site

from coaching.models import Participant
from coaching.models.participant import Sector
from coaching.models.preferences import (
    PART_HOURS,
    DayPart,
    Language,
    MeetingMode,
    Weekday,
    availability_hours,
)
from mentors import matching
from mentors.models import Match, MatchingSettings, MentorProfile, Skill
from mentors.selectors import approved_mentors
from mentors.services.matches import match_confirm, match_propose

#: The gender codes of a mentor that say nothing a preference could be met with.
_NO_GENDER = {"", "not_said"}
#: A participant's answer that is no preference.
_ANY_GENDER = {"", "any"}
#: Languages that write the names of languages and days in lower case inside a sentence
#: ("parla arabo", "martedì"); the labels are capitalised for lists and choices.
_LOWER_CASE_NAMES = {"it", "fr", "es", "pt", "ro", "pl", "uk", "ru", "sq"}
#: Day parts named in availability reasons, at most this many before "and N other times".
_MAX_TIMES = 4


# --- Models -> matching ----------------------------------------------------------------------


def _place(municipality: str) -> str | None:
    """Municipalities typed by people: "Napoli " and "napoli" are the same place."""
    return municipality.strip().casefold() or None


def _modes(codes) -> frozenset[str]:
    modes = frozenset(code for code in codes or () if code in matching.MODES)
    return modes or frozenset(matching.MODES)


def window_hours(windows) -> set[int]:
    """The weekly hours (0 = Monday 00:00) a mentor's windows cover whole: 15:30–18:00 gives
    16 and 17, since a session of an hour fits only there."""
    hours: set[int] = set()
    for window in windows:
        first = window.starts.hour + (1 if (window.starts.minute or window.starts.second) else 0)
        hours.update(window.weekday * 24 + h for h in range(first, window.ends.hour))
    return hours


def skill_keys_for_needs(skills: Iterable[Skill], needs) -> frozenset[str]:
    """The skills (``translation_key``) that help with any of the participant's needs."""
    needs = set(needs or ())
    return frozenset(str(s.translation_key) for s in skills if needs & set(s.meets_needs or ()))


def seeker_of(participant: Participant, skills: Iterable[Skill]) -> matching.Seeker:
    """``participant`` as matching sees them; ``skills`` are their site's (any language)."""
    return matching.Seeker(
        key=participant.pk,
        sectors={participant.idea_sector} if participant.idea_sector else set(),
        needs=skill_keys_for_needs(skills, participant.needs),
        languages=set(participant.preferred_languages or ()),
        municipality=_place(participant.municipality),
        modes=_modes(participant.meeting_modes),
        availability=availability_hours(participant.availability),
        mentor_gender=(
            None if participant.mentor_gender in _ANY_GENDER else participant.mentor_gender
        ),
    )


def mentor_of(profile: MentorProfile) -> matching.Mentor:
    """``profile`` as matching sees it: read from ``mentors_with_load`` (skills and windows
    prefetched, ``open_load`` annotated), so that converting a pool costs no query."""
    return matching.Mentor(
        key=profile.pk,
        sectors=set(profile.sectors or ()),
        skills={str(skill.translation_key) for skill in profile.skills.all()},
        languages=set(profile.languages or ()),
        municipality=_place(profile.municipality),
        modes=_modes(profile.meeting_modes),
        availability=window_hours(profile.windows.all()),
        gender=None if profile.gender in _NO_GENDER else profile.gender,
        capacity=profile.capacity,
        load=profile.open_load,
    )


def mentors_with_load(site_id):
    """The site's approved mentors, each with ``open_load``: their open matches on every site
    (capacity is the mentor's, not the site's), counted in the same query."""
    return approved_mentors(site_id).annotate(
        open_load=Count("matches", filter=Q(matches__status__in=Match.OPEN), distinct=True)
    )


def weights_for(site: Site) -> matching.Weights:
    return MatchingSettings.for_site(site).weights()


def _site_skills(site_id) -> list[Skill]:
    return list(Skill.objects.filter(site_id=site_id))


# --- One participant: the best few -----------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    mentor: MentorProfile
    score: matching.Score
    #: The score's terms as stored on a match (``terms_json``).
    terms: list


def suggestions_for(participant: Participant, n: int = 3) -> list[Suggestion]:
    """The ``n`` best mentors for ``participant`` among their site's approved mentors, best
    first; a mentor who declined them before is left out, and so is the person themselves."""
    declined = Match.objects.filter(
        participant=participant, mentor=OuterRef("pk"), status=Match.Status.DECLINED
    )
    profiles = list(
        mentors_with_load(participant.site_id)
        .exclude(Exists(declined))
        .exclude(user_id=participant.user_id)
    )
    mentors = [mentor_of(profile) for profile in profiles]
    seeker = seeker_of(participant, _site_skills(participant.site_id))
    weights = weights_for(participant.site)
    by_key = {m.key: m for m in mentors}
    profile_by_key = {p.pk: p for p in profiles}
    return [
        Suggestion(
            profile_by_key[pair.mentor], pair.score, terms_json(pair.score, by_key[pair.mentor])
        )
        for pair in matching.suggest(seeker, mentors, weights, n=n)
    ]


def nobody_fits(participant: Participant) -> list[str]:
    """Why no mentor of the site can be suggested for ``participant``, in sentences."""
    profiles = list(mentors_with_load(participant.site_id).exclude(user_id=participant.user_id))
    seeker = seeker_of(participant, _site_skills(participant.site_id))
    mentors = [mentor_of(p) for p in profiles]
    return unmatched_reasons(
        matching.blockers(seeker, mentors, weights_for(participant.site)), total=len(mentors)
    )


# --- A whole cohort --------------------------------------------------------------------------


def pool(site_ids=None):
    """Participants on the path with no open match (proposed, confirmed or accepted), of the
    sites ``site_ids`` (None: every site), longest waiting first. Each carries
    ``waiting_since`` (the end of their last match, or the eligibility decision) and
    ``needs_rematch`` (their last match ended because the mentor paused or left)."""
    matches = Match.objects.filter(participant=OuterRef("pk"))
    participants = (
        Participant.objects.filter(status=Participant.Status.ELIGIBLE)
        .exclude(Exists(matches.filter(status__in=Match.OPEN)))
        .select_related("user", "site")
        .annotate(
            last_match_end=Max("mentor_matches__ended_at"),
            needs_rematch=Subquery(
                matches.order_by("-created_at", "-pk").values("needs_rematch")[:1]
            ),
        )
    )
    if site_ids is not None:
        participants = participants.filter(site_id__in=site_ids)
    participants = list(participants)
    for person in participants:
        ends = [d for d in (person.last_match_end, person.decided_at) if d is not None]
        person.waiting_since = max(ends) if ends else None
        person.needs_rematch = bool(person.needs_rematch)
    return sorted(participants, key=lambda p: (p.waiting_since is None, p.waiting_since, p.pk))


@dataclass
class Review:
    """A cohort proposal with what a coordinator needs to judge it."""

    site: Site
    assignment: matching.Assignment
    participants: dict[int, Participant]
    mentors: dict[int, MentorProfile]
    #: Per pair (participant pk, mentor pk): the score's terms as a match stores them.
    terms: dict[tuple[int, int], list] = field(default_factory=dict)
    #: Per unmatched participant pk: why, in sentences.
    why: dict[int, list[str]] = field(default_factory=dict)


def _cohort(site: Site, participants: Sequence[Participant] | None):
    if participants is None:
        participants = pool([site.pk])
    profiles = list(mentors_with_load(site.pk))
    skills = _site_skills(site.pk)
    seekers = [seeker_of(p, skills) for p in participants if p.site_id == site.pk]
    mentors = [mentor_of(p) for p in profiles]
    weights = weights_for(site)
    return participants, profiles, seekers, mentors, weights


def cohort_proposal(site: Site, participants: Sequence[Participant] | None = None):
    """The optimal assignment of the site's pool (or ``participants``) to its approved
    mentors under their free places (``mentors.matching.assign``)."""
    _people, _profiles, seekers, mentors, weights = _cohort(site, participants)
    return matching.assign(seekers, mentors, weights)


def cohort_review(site: Site, participants: Sequence[Participant] | None = None) -> Review:
    """``cohort_proposal`` with the participants, mentors, stored terms and the reasons why
    the unmatched have no mentor, for the coordinator's batch page."""
    people, profiles, seekers, mentors, weights = _cohort(site, participants)
    assignment = matching.assign(seekers, mentors, weights)
    mentor_by_key = {m.key: m for m in mentors}
    seeker_by_key = {s.key: s for s in seekers}
    review = Review(
        site=site,
        assignment=assignment,
        participants={p.pk: p for p in people},
        mentors={p.pk: p for p in profiles},
    )
    for pair in assignment.pairs:
        review.terms[pair.seeker, pair.mentor] = terms_json(pair.score, mentor_by_key[pair.mentor])
    for unmatched in assignment.unmatched:
        if unmatched.reason == "taken":
            review.why[unmatched.seeker] = unmatched_reasons({"taken": 1}, total=len(mentors))
        else:
            blocked = matching.blockers(seeker_by_key[unmatched.seeker], mentors, weights)
            review.why[unmatched.seeker] = unmatched_reasons(blocked, total=len(mentors))
    return review


# --- Applying a proposal ---------------------------------------------------------------------


@dataclass
class Applied:
    created: list[Match] = field(default_factory=list)
    #: Pairs already proposed the same way (a second click): nothing was done again.
    already: list[Match] = field(default_factory=list)
    #: (participant, mentor or None, why) for each pair that could not be made.
    skipped: list[tuple] = field(default_factory=list)


def _pairs_of(assignment) -> list[tuple[int, int]]:
    pairs = getattr(assignment, "pairs", assignment)
    return [
        (int(p.seeker), int(p.mentor)) if isinstance(p, matching.Pair) else (int(p[0]), int(p[1]))
        for p in pairs
    ]


@transaction.atomic
def proposal_apply(*, site: Site, assignment, by, confirm: bool = False) -> Applied:
    """Propose (and with ``confirm``, confirm) the pairs of ``assignment`` (a
    ``matching.Assignment`` or (participant pk, mentor pk) pairs) on ``site``, in one
    transaction.

    Time passes between showing a proposal and applying it, so each pair is checked again
    now: by ``match_propose`` (on the path, an approved mentor, no open match) and by the
    score on today's data with the places this proposal already took (the hard rules and the
    minimum fit). The mentors' rows are locked while their places are counted, so two
    coordinators applying at once cannot both take a mentor's last place. A pair that became
    impossible is skipped with the reason; a pair that already exists (a second click) is
    counted as ``already`` and nothing is created twice.
    """
    pairs = _pairs_of(assignment)
    result = Applied()
    if not pairs:
        return result
    mentor_ids = sorted({m for _p, m in pairs})
    list(MentorProfile.objects.select_for_update().filter(pk__in=mentor_ids).order_by("pk"))
    participants = Participant.objects.select_related("user", "site").in_bulk(
        [p for p, _m in pairs]
    )
    profiles = mentors_with_load(site.pk).filter(pk__in=mentor_ids).in_bulk()
    open_matches = {
        m.participant_id: m
        for m in Match.objects.filter(
            participant_id__in=list(participants), status__in=Match.OPEN
        ).select_related("mentor__user")
    }
    skills = _site_skills(site.pk)
    weights = weights_for(site)
    taken: dict[int, int] = {}
    for participant_id, mentor_id in pairs:
        participant = participants.get(participant_id)
        profile = profiles.get(mentor_id)
        if participant is None or participant.site_id != site.pk:
            continue  # not this site's: nothing to say to this site's coordinator
        existing = open_matches.get(participant_id)
        if existing is not None and existing.mentor_id == mentor_id:
            result.already.append(existing)
            continue
        if profile is None:
            why = gettext("This mentor does not take new mentees in this municipality.")
            result.skipped.append((participant, None, why))
            continue
        mentor = mentor_of(profile)
        mentor = replace(mentor, load=mentor.load + taken.get(mentor_id, 0))
        score = matching.score(seeker_of(participant, skills), mentor, weights)
        if not score.candidate:
            result.skipped.append((participant, profile, pair_impossible(score)))
            continue
        try:
            match = match_propose(
                participant=participant,
                mentor=profile,
                by=by,
                score=score.total,
                terms=terms_json(score, mentor),
            )
            if confirm:
                match = match_confirm(match=match, by=by)
        except ValidationError as error:
            result.skipped.append((participant, profile, " ".join(error.messages)))
            continue
        taken[mentor_id] = taken.get(mentor_id, 0) + 1
        result.created.append(match)
    return result


# --- Terms and reasons -----------------------------------------------------------------------


def terms_json(score: matching.Score, mentor: matching.Mentor | None = None) -> list[dict]:
    """The terms of ``score`` as ``Match.terms`` stores them: code, value, weight,
    contribution and facts; the load term also keeps the mentor's free places at the time
    (``free``), so "has room for 2 more mentees" can be said later."""
    out = []
    for term in score.terms:
        item = {
            "code": term.code,
            "value": term.value,
            "weight": term.weight,
            "contribution": term.contribution,
            "facts": list(term.facts),
        }
        if term.code == "load" and mentor is not None:
            item["free"] = max(mentor.capacity - mentor.load, 0)
        out.append(item)
    return out


def _score_from(terms) -> tuple[matching.Score, dict]:
    if isinstance(terms, matching.Score):
        return terms, {}
    built, extra = [], {}
    for item in terms or ():
        if item.get("code") not in matching.TERMS:
            continue
        built.append(
            matching.Term(
                code=item["code"],
                value=float(item.get("value", 0)),
                weight=float(item.get("weight", 0)),
                contribution=float(item.get("contribution", 0)),
                facts=tuple(item.get("facts") or ()),
            )
        )
        extra[item["code"]] = item
    total = sum(t.contribution for t in built)
    return matching.Score(total, tuple(built), (), True), extra


def _lower_first(label: str) -> str:
    """A label inside a sentence: "Cibo e ristorazione" → "cibo e ristorazione"; an acronym
    ("IT") stays as it is."""
    label = str(label)
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _name(label) -> str:
    """A language or a day inside a sentence, as the reader's language writes it."""
    if (get_language() or settings.LANGUAGE_CODE).split("-")[0] in _LOWER_CASE_NAMES:
        return _lower_first(label)
    return str(label)


def _and(items: Sequence[str]) -> str:
    return get_text_list(list(items), gettext("and"))


def skill_names(keys: Iterable[str]) -> dict[str, str]:
    """The names of the skills ``keys`` (``translation_key``) in the active language, or the
    default language where not translated yet; one query for any number."""
    keys = {str(k) for k in keys}
    if not keys:
        return {}
    active, default = get_language(), settings.LANGUAGE_CODE
    rank = {active: 0, default: 1}
    names: dict[str, tuple[int, str]] = {}
    for key, code, name in Skill.objects.filter(translation_key__in=keys).values_list(
        "translation_key", "locale__language_code", "name"
    ):
        key, order = str(key), rank.get(code, 2)
        if key not in names or order < names[key][0]:
            names[key] = (order, name)
    return {key: name for key, (_order, name) in names.items()}


def skill_keys_in(*terms_lists) -> set[str]:
    """The skills named in the needs terms of several stored scores (to fetch their names once)."""
    keys = set()
    for terms in terms_lists:
        score, _extra = _score_from(terms)
        for term in score.terms:
            if term.code == "needs":
                keys.update(str(f) for f in term.facts)
    return keys


def _times(hours) -> str:
    slots = []
    hours = {int(h) for h in hours}
    parts = {
        DayPart.MORNING: pgettext("weekly times", "mornings"),
        DayPart.AFTERNOON: pgettext("weekly times", "afternoons"),
        DayPart.EVENING: pgettext("weekly times", "evenings"),
    }
    for day in Weekday:
        for part, span in PART_HOURS.items():
            if any(day * 24 + h in hours for h in span):
                slots.append(
                    pgettext("weekly times", "%(day)s %(part)s")
                    % {"day": _name(day.label), "part": parts[part]}
                )
    if len(slots) > _MAX_TIMES:
        rest = len(slots) - (_MAX_TIMES - 1)
        more = ngettext("%(count)d other time", "%(count)d other times", rest) % {"count": rest}
        slots = [*slots[: _MAX_TIMES - 1], more]
    return _and(slots)


def _sentence(code: str, facts: tuple, extra: dict, names: Mapping[str, str]) -> str:
    if code == "sector":
        labels = dict(Sector.choices)
        return gettext("knows your sector: %(sectors)s") % {
            "sectors": _and([_lower_first(labels.get(f, f)) for f in facts])
        }
    if code == "needs":
        return gettext("can help you with %(skills)s") % {
            "skills": _and([_lower_first(names.get(str(f), f)) for f in facts])
        }
    if code == "language":
        labels = dict(Language.choices)
        return gettext("speaks %(languages)s, like you") % {
            "languages": _and([_name(labels.get(f, f)) for f in facts])
        }
    if code == "place":
        modes = set(facts)
        if modes >= {MeetingMode.IN_PERSON, MeetingMode.REMOTE}:
            return gettext("can meet you in person in your municipality or online")
        if MeetingMode.IN_PERSON in modes:
            return gettext("can meet you in person in your municipality")
        return gettext("can meet you online")
    if code == "availability":
        return gettext("is free on %(times)s") % {"times": _times(facts)}
    # load
    free = extra.get("free")
    if free is None:
        return gettext("has room for more mentees")
    return ngettext(
        "has room for %(count)d more mentee", "has room for %(count)d more mentees", free
    ) % {"count": free}


def reasons(score_or_terms, *, names: Mapping[str, str] | None = None) -> list[str]:
    """The reasons of a score, in the active language, biggest first: one sentence for each
    term that adds to the total (``mentors.matching.explain`` decides which and in what
    order), none for the others. ``score_or_terms`` is a ``Score`` or ``Match.terms``;
    ``names`` the skill names (``skill_names``), fetched here when not given."""
    score, extra = _score_from(score_or_terms)
    if names is None:
        names = skill_names(skill_keys_in(score))
    templates = {
        term.code: _sentence(term.code, term.facts, extra.get(term.code, {}), names)
        .replace("{", "{{")
        .replace("}", "}}")
        for term in score.terms
        if term.contribution > 0
    }
    return matching.explain(score, templates)


#: Why a pair is no candidate (``matching.RULES``, "threshold") or a participant got nobody.
def _unmatched_labels() -> dict[str, str]:
    return {
        "language": gettext("no language in common"),
        "capacity": gettext("no free places"),
        "gender": gettext("not the mentor's gender they asked for"),
        "mode": gettext("no way to meet in common (in person in the same municipality, or online)"),
        "threshold": gettext("below the minimum fit set for the municipality"),
    }


def pair_impossible(score: matching.Score) -> str:
    """Why one pair can no longer be proposed: the rules it breaks now, or a fit too low."""
    labels = _unmatched_labels()
    why = [labels[rule] for rule in score.broken] or [labels["threshold"]]
    return gettext("This pair is no longer possible: %(reasons)s.") % {"reasons": _and(why)}


def unmatched_reasons(blocked: Mapping[str, int], *, total: int) -> list[str]:
    """Sentences for why a participant has no mentor: ``blocked`` counts the mentors each
    rule rules out (``matching.blockers``), ``"taken"`` that the mentors who would suit them
    went to people who fit better, and no mentors at all is said as such."""
    if "taken" in blocked:
        return [gettext("The mentors who would suit them are full once the others are matched.")]
    if total == 0:
        return [gettext("No mentor takes new mentees in this municipality now.")]
    labels = _unmatched_labels()
    out = []
    for code, count in sorted(blocked.items(), key=lambda item: -item[1]):
        if code in labels:
            out.append(
                ngettext(
                    "%(reason)s: %(count)d mentor out of %(total)d",
                    "%(reason)s: %(count)d mentors out of %(total)d",
                    count,
                )
                % {"reason": labels[code], "count": count, "total": total}
            )
    return out
