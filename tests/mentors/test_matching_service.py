"""Matching on real records (mentors/services/matching.py): participants and mentor profiles
turned into the matching core's terms, suggestions, the cohort proposal and its application,
and the reasons in the reader's language."""

from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Locale

from coaching.models import Participant
from mentors import matching
from mentors.models import AvailabilityWindow, Match, MatchingSettings, MentorMembership, Skill
from mentors.services import matching as service
from mentors.services.matches import match_propose
from tests.coaching.factories import make_participant
from tests.mentors.factories import make_match, make_mentor

pytestmark = pytest.mark.django_db

PERSON = {
    "idea_sector": "food",
    "needs": ["legal", "funding"],
    "preferred_languages": ["ar", "it"],
    "municipality": " Napoli ",
    "meeting_modes": [],
    "availability": ["1-afternoon"],
    "mentor_gender": "any",
}


def _person(site=None, **fields):
    person = make_participant(site=site, status="eligible")
    Participant.objects.filter(pk=person.pk).update(**{**PERSON, **fields})
    return Participant.objects.select_related("site", "user").get(pk=person.pk)


@pytest.fixture
def skills(site, english_locale):
    """ "Legal matters" in Italian and English (one translation key) and a skill nobody needs."""
    italian = Locale.objects.get(language_code="it")
    legal = Skill.objects.create(
        site=site, name="Questioni legali", meets_needs=["legal"], locale=italian
    )
    english = Skill.objects.create(
        site=site,
        name="Legal matters",
        meets_needs=["legal"],
        locale=english_locale,
        translation_key=legal.translation_key,
    )
    marketing = Skill.objects.create(site=site, name="Marketing", meets_needs=[], locale=italian)
    return {"legal": legal, "legal_en": english, "marketing": marketing}


def _mentor(site=None, skills=(), windows=((1, 14, 18),), **profile):
    fields = {
        "languages": ["ar", "fr"],
        "sectors": ["food"],
        "municipality": "napoli",
        "meeting_modes": ["in_person", "remote"],
        "capacity": 3,
        **profile,
    }
    mentor = make_mentor(site=site, **fields)
    mentor.skills.set(skills)
    for day, starts, ends in windows:
        AvailabilityWindow.objects.create(
            profile=mentor, weekday=day, starts=time(starts), ends=time(ends)
        )
    return mentor


# --- Models -> matching -----------------------------------------------------------------------


def test_a_participant_becomes_a_seeker(site, skills):
    person = _person(mentor_gender="woman")
    seeker = service.seeker_of(person, Skill.objects.filter(site=site))
    assert seeker == matching.Seeker(
        key=person.pk,
        sectors={"food"},
        # Both copies of "Legal matters" are one skill: the translation key.
        needs={str(skills["legal"].translation_key)},
        languages={"ar", "it"},
        municipality="napoli",
        modes=set(matching.MODES),
        availability={24 + h for h in range(14, 18)},
        mentor_gender="woman",
    )
    assert service.seeker_of(_person(mentor_gender="any"), []).mentor_gender is None


def test_a_profile_becomes_a_mentor_with_its_load(site, skills):
    mentor = _mentor(
        skills=[skills["legal_en"]],
        windows=[(1, 15, 18), (0, 9, 10)],
        gender="not_said",
        meeting_modes=["remote"],
    )
    AvailabilityWindow.objects.filter(profile=mentor, weekday=1).update(starts=time(15, 30))
    for status in (Match.Status.ACCEPTED, Match.Status.PROPOSED, Match.Status.ENDED):
        make_match(mentor=mentor, status=status)
    converted = service.mentor_of(service.mentors_with_load(site.pk).get(pk=mentor.pk))
    assert converted == matching.Mentor(
        key=mentor.pk,
        sectors={"food"},
        skills={str(skills["legal"].translation_key)},
        languages={"ar", "fr"},
        municipality="napoli",
        modes={"remote"},
        # 15:30–18:00 covers 16 and 17 whole; Monday 9–10 covers 9.
        availability={24 + 16, 24 + 17, 9},
        gender=None,
        capacity=3,
        load=2,  # accepted and proposed are open; the ended one is not
    )


# --- Suggestions ------------------------------------------------------------------------------


def test_suggestions_best_first_without_who_declined_or_cannot(site, other_site, skills):
    person = _person()
    best = _mentor(skills=[skills["legal"]])
    good = _mentor(sectors=["crafts"])
    declined = _mentor(skills=[skills["legal"]])
    make_match(mentor=declined, participant=person, status=Match.Status.DECLINED)
    _mentor(skills=[skills["legal"]], status=MentorMembership.Status.PAUSED)
    _mentor(site=other_site, skills=[skills["legal"]])
    _mentor(languages=["zh"])  # no shared language: never a candidate
    found = service.suggestions_for(person)
    assert [s.mentor for s in found] == [best, good]
    assert found[0].score.total > found[1].score.total
    assert found[0].terms == service.terms_json(
        found[0].score, service.mentor_of(service.mentors_with_load(site.pk).get(pk=best.pk))
    )


def test_nobody_fits_says_why(site):
    _mentor()
    _mentor(capacity=1, languages=["zh"])
    full = _mentor(capacity=1, languages=["zh"])
    make_match(mentor=full, status=Match.Status.ACCEPTED)
    nobody = _person(preferred_languages=["wo"])
    assert service.suggestions_for(nobody) == []
    with translation.override("it"):
        assert service.nobody_fits(nobody) == [
            "nessuna lingua in comune: 3 mentori su 3",
            "nessun posto libero: 1 mentore su 3",
        ]
    with translation.override("en"):
        why = service.nobody_fits(_person(preferred_languages=["zh"], mentor_gender="man"))
    assert why == [
        "not the mentor's gender they asked for: 3 mentors out of 3",
        "no language in common: 1 mentor out of 3",
        "no free places: 1 mentor out of 3",
    ]


# --- A cohort ---------------------------------------------------------------------------------


def _open_per_mentor():
    counts = {}
    for mentor_id in Match.objects.filter(status__in=Match.OPEN).values_list(
        "mentor_id", flat=True
    ):
        counts[mentor_id] = counts.get(mentor_id, 0) + 1
    return counts


def test_the_batch_never_exceeds_capacity_counting_open_matches(site, coordinator, skills):
    roomy = _mentor(capacity=2, skills=[skills["legal"]])
    make_match(mentor=roomy, status=Match.Status.ACCEPTED)  # one of its two places is taken
    small = _mentor(capacity=1)
    people = [_person() for _ in range(4)]
    review = service.cohort_review(site)
    assert {p.pk for p in review.participants.values()} == {p.pk for p in people}
    assert sorted(pair.mentor for pair in review.assignment.pairs) == sorted([roomy.pk, small.pk])
    assert len(review.assignment.unmatched) == 2
    with translation.override("en"):
        again = service.cohort_review(site)
    for unmatched in again.assignment.unmatched:
        assert unmatched.reason == "taken"
        assert again.why[unmatched.seeker] == [
            "The mentors who would suit them are full once the others are matched."
        ]
    applied = service.proposal_apply(
        site=site, assignment=review.assignment, by=coordinator, confirm=True
    )
    assert len(applied.created) == 2 and not applied.skipped
    assert _open_per_mentor() == {roomy.pk: 2, small.pk: 1}
    assert {m.status for m in applied.created} == {Match.Status.CONFIRMED}
    # Everyone left is reported, nobody dropped; the next proposal has nobody to place.
    assert service.cohort_proposal(site).pairs == ()
    assert len(service.cohort_proposal(site).unmatched) == 2


def test_a_participant_nobody_fits_is_reported_with_the_reasons(site):
    _mentor()
    lonely = _person(preferred_languages=["wo"])
    review = service.cohort_review(site)
    assert [u.seeker for u in review.assignment.unmatched] == [lonely.pk]
    with translation.override("it"):
        review = service.cohort_review(site)
    assert review.why[lonely.pk] == ["nessuna lingua in comune: 1 mentore su 1"]


def test_the_stored_score_and_terms_are_the_proposals(site, coordinator, skills):
    mentor = _mentor(skills=[skills["legal"]])
    person = _person()
    assignment = service.cohort_proposal(site)
    (pair,) = assignment.pairs
    (match,) = service.proposal_apply(site=site, assignment=assignment, by=coordinator).created
    assert match.status == Match.Status.PROPOSED
    assert (match.participant_id, match.mentor_id) == (person.pk, mentor.pk)
    assert match.score == pytest.approx(pair.score.total)
    stored = {t["code"]: t for t in match.terms}
    assert set(stored) == set(matching.TERMS)
    assert stored["language"]["facts"] == ["ar"]
    assert stored["load"]["free"] == 3


def test_pairs_that_became_impossible_are_skipped_and_said(site, coordinator, skills):
    paused, full, fine = (_mentor(capacity=1) for _ in range(3))
    people = [_person() for _ in range(4)]
    pairs = [(people[0].pk, paused.pk), (people[1].pk, full.pk), (people[2].pk, fine.pk)]
    # Meanwhile: one mentor pauses, another gets a mentee, the third participant a mentor.
    match_propose(participant=people[3], mentor=full, by=coordinator)
    match_propose(participant=people[2], mentor=paused, by=coordinator)
    MentorMembership.objects.filter(profile=paused).update(status=MentorMembership.Status.PAUSED)
    with translation.override("en"):
        applied = service.proposal_apply(site=site, assignment=pairs, by=coordinator)
    assert applied.created == [] and applied.already == []
    assert [(p.pk, why) for p, _m, why in applied.skipped] == [
        (people[0].pk, "This mentor does not take new mentees in this municipality."),
        (people[1].pk, "This pair is no longer possible: no free places."),
        (people[2].pk, "This participant already has a mentor or a proposal."),
    ]
    assert Match.objects.count() == 2


def test_applying_twice_creates_nothing_twice(site, coordinator):
    _mentor(capacity=2)
    _person()
    _person()
    assignment = service.cohort_proposal(site)
    first = service.proposal_apply(site=site, assignment=assignment, by=coordinator, confirm=True)
    second = service.proposal_apply(site=site, assignment=assignment, by=coordinator, confirm=True)
    assert len(first.created) == 2
    assert second.created == [] and second.skipped == []
    assert {m.pk for m in second.already} == {m.pk for m in first.created}
    assert Match.objects.count() == 2
    assert all(m.events.count() == 2 for m in Match.objects.all())  # proposed, confirmed


def test_a_pair_of_another_site_is_not_applied(site, other_site, coordinator):
    stranger = _person(site=other_site)
    mentor = _mentor()
    applied = service.proposal_apply(
        site=site, assignment=[(stranger.pk, mentor.pk)], by=coordinator
    )
    assert applied.created == [] and Match.objects.count() == 0


# --- Reasons ----------------------------------------------------------------------------------


def _expected(term, language):
    """The one sentence a term must give (or None), written out here by hand."""
    sentences = {
        "it": {
            "sector": "conosce il tuo settore: cibo e ristorazione",
            "needs": "può aiutarti con questioni legali",
            "language": "parla arabo, come te",
            "place": "può incontrarti di persona nel tuo comune o online",
            "availability": "è disponibile martedì pomeriggio",
            "load": "può seguire ancora 3 persone",
        },
        "en": {
            "sector": "knows your sector: food and catering",
            "needs": "can help you with legal matters",
            "language": "speaks Arabic, like you",
            "place": "can meet you in person in your municipality or online",
            "availability": "is free on Tuesday afternoons",
            "load": "has room for 3 more mentees",
        },
    }
    return sentences[language][term["code"]] if term["contribution"] > 0 else None


@pytest.mark.parametrize("language", ["it", "en"])
def test_reasons_follow_the_terms_in_the_readers_language(site, skills, language):
    _mentor(skills=[skills["legal"]])
    person = _person()
    (suggestion,) = service.suggestions_for(person)
    with translation.override(language):
        shown = service.reasons(suggestion.terms)
    expected = [_expected(t, language) for t in suggestion.terms]
    # Every shown reason is a term's, and every term adding to the fit is shown.
    assert sorted(shown) == sorted(e for e in expected if e)
    assert len(shown) == sum(1 for t in suggestion.terms if t["contribution"] > 0)
    # Biggest contribution first.
    by_code = {t["code"]: t for t in suggestion.terms}
    order = [next(c for c in by_code if _expected(by_code[c], language) == s) for s in shown]
    contributions = [by_code[c]["contribution"] for c in order]
    assert contributions == sorted(contributions, reverse=True)


def test_a_term_that_adds_nothing_gives_no_reason(site):
    _mentor(sectors=["crafts"], municipality="Caserta", windows=[], capacity=1)
    person = _person(meeting_modes=["in_person", "remote"])
    (suggestion,) = service.suggestions_for(person)
    terms = {t["code"]: t for t in suggestion.terms}
    assert terms["sector"]["contribution"] == 0 and terms["availability"]["contribution"] == 0
    with translation.override("en"):
        shown = service.reasons(suggestion.terms)
    # Equal contributions keep the order of matching.TERMS.
    assert shown == ["speaks Arabic, like you", "has room for 1 more mentee", "can meet you online"]


def test_reasons_of_a_score_object_and_many_times(site):
    score = matching.score(
        matching.Seeker(1, languages={"it"}, availability=set(range(0, 168))),
        matching.Mentor(2, languages={"it"}, availability=set(range(0, 168))),
        matching.Weights(),
    )
    with translation.override("en"):
        shown = service.reasons(score)
    assert (
        "is free on Monday mornings, Monday afternoons, Monday evenings and 18 other times" in shown
    )
    assert "has room for more mentees" in shown  # a bare score does not know the places


# --- Query counts -----------------------------------------------------------------------------


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)


def test_suggestions_cost_the_same_queries_for_2_or_6_mentors(
    site, skills, django_assert_num_queries
):
    person = _person()
    for _ in range(2):
        _mentor(skills=[skills["legal"], skills["marketing"]], windows=[(1, 14, 18), (2, 9, 12)])
    MatchingSettings.for_site(site)

    def suggest():
        found = service.suggestions_for(person)
        names = service.skill_names(service.skill_keys_in(*(s.terms for s in found)))
        for s in found:
            service.reasons(s.terms, names=names)

    small = _queries(suggest)
    for _ in range(4):
        mentor = _mentor(skills=[skills["legal"]], windows=[(1, 14, 18), (4, 9, 12)])
        make_match(mentor=mentor, status=Match.Status.ACCEPTED)
    with django_assert_num_queries(small):
        suggest()


def test_the_cohort_proposal_costs_the_same_queries_at_two_sizes(
    site, skills, django_assert_num_queries
):
    def grow(count):
        for _ in range(count):
            _person()
            mentor = _mentor(skills=[skills["legal"]], capacity=2)
            make_match(mentor=mentor, status=Match.Status.PROPOSED)

    grow(2)
    _person(preferred_languages=["wo"])  # one unmatched, whose reasons are worked out too
    MatchingSettings.for_site(site)
    small = _queries(lambda: service.cohort_review(site))
    grow(4)
    with django_assert_num_queries(small):
        review = service.cohort_review(site)
    assert len(review.assignment.pairs) == 6
