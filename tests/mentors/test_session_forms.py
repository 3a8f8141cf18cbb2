"""Booking forms refuse what the time arithmetic cannot hold, with a message, never a 500."""

import datetime

from django.utils import translation
from freezegun import freeze_time

from mentors.forms.sessions import DateTimeForm, SlotForm


def test_a_slot_far_away_is_refused_with_a_message():
    with translation.override("en"):
        for value in ("99991231T2330Z", "00010101T0000Z", "not a slot"):
            form = SlotForm({"slot": value})
            assert not form.is_valid()
            assert form.errors["slot"] == ["Choose one of the free times."]


def test_a_day_beyond_a_year_is_refused():
    with translation.override("en"):
        form = DateTimeForm({"day": "9999-12-31", "time": "23:30"})
        assert not form.is_valid()
        assert form.errors["day"] == ["Choose a day within the next twelve months."]


@freeze_time("2027-03-01 10:00:00")
def test_the_hour_skipped_in_spring_does_not_exist():
    with translation.override("en"):
        form = DateTimeForm({"day": "2027-03-28", "time": "02:30"})
        assert not form.is_valid()
        assert "the clocks go forward" in form.errors["time"][0]
        ok = DateTimeForm({"day": "2027-03-28", "time": "03:30"})
        assert ok.is_valid(), ok.errors
        assert ok.starts_at.utcoffset() == datetime.timedelta(hours=2)
