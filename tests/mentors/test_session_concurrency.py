"""No double booking under concurrency, on PostgreSQL: two real threads, each with its own
connection, book the same slot at the same moment and exactly one wins; and the exclusion
constraints refuse an overlapping row written directly, past every Python check."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from mentors.models import Session
from mentors.services import sessions as services
from tests.concurrency import at_once
from tests.mentors.factories import make_match
from tests.mentors.session_factories import NOW, at, key, make_pair, session_at

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _postgresql():
    assert connection.vendor == "postgresql", "these tests need PostgreSQL (DATABASE_URL)"


def test_two_mentees_booking_the_same_slot_at_once_one_wins(site):
    first = make_pair()
    second = make_match(mentor=first.mentor)
    slot = at(2027, 3, 24, 17)

    def book(match):
        return lambda: services.session_book(
            match=match,
            starts_at=slot,
            by=match.participant.user,
            mode="remote",
            key=key(),
            now=NOW,
        )

    for _round in range(3):
        Session.objects.all().delete()
        results = at_once(book(first), book(second))
        won = [r for r in results if isinstance(r, Session)]
        lost = [r for r in results if isinstance(r, ValidationError)]
        assert len(won) == 1 and len(lost) == 1, results
        assert lost[0].code == "overlap"
        # Threads speak the site's default language, Italian.
        assert lost[0].messages == [
            "Il tuo mentore ha già un incontro a quest'ora. Scegli un altro orario."
        ]
        assert Session.objects.filter(status__in=Session.BUSY).count() == 1


def test_the_same_form_sent_twice_at_once_stores_one_session(site):
    match = make_pair()
    form_key = key()

    def book():
        return services.session_book(
            match=match,
            starts_at=at(2027, 3, 24, 17),
            by=match.participant.user,
            mode="remote",
            key=form_key,
            now=NOW,
        )

    results = at_once(book, book)
    assert all(isinstance(r, Session) for r in results), results
    assert results[0].pk == results[1].pk
    assert Session.objects.count() == 1


def test_the_exclusion_constraint_refuses_an_overlapping_row_written_directly(site):
    match = make_pair()
    other = make_match(mentor=match.mentor)
    session_at(match, at(2027, 3, 24, 17))
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        session_at(other, at(2027, 3, 24, 17, 30))  # the same mentor, half an hour later
    assert refused.value.__cause__.sqlstate == "23P01"
    assert "mentors_session_mentor_no_overlap" in str(refused.value)
    # Back to back is not an overlap, and a cancelled session holds no time.
    session_at(other, at(2027, 3, 24, 18))
    session_at(other, at(2027, 3, 24, 17, 30), status=Session.Status.CANCELLED)
    assert Session.objects.count() == 3


def test_the_constraints_refusal_becomes_the_booking_message(site):
    """Were the Python check ever bypassed, the database's answer is the same clear refusal."""
    match = make_pair()
    other = make_match(mentor=match.mentor)
    session_at(match, at(2027, 3, 24, 17))
    clash = Session(
        match=other,
        mentor=other.mentor,
        participant=other.participant,
        starts_at=at(2027, 3, 24, 17),
        ends_at=at(2027, 3, 24, 18),
        mode="remote",
    )
    with pytest.raises(ValidationError) as refused, transaction.atomic():
        services._save(clash, side=services.PARTICIPANT)
    assert refused.value.code == "overlap"
    assert Session.objects.count() == 1
