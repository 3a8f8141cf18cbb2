"""Becoming a mentor: the application, the profile, weekly hours, and memberships moved only by
``mentors.services.profiles`` (through ``MentorMembership.TRANSITIONS``, each in Wagtail's log)."""

import io
from datetime import date, time

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image
from wagtail.log_actions import registry as log_registry
from wagtail.models import Locale, ModelLogEntry

from coaching.conf import app_settings
from coaching.models import StaffSiteAssignment
from mentors import selectors
from mentors.models import AvailabilityWindow, Match, MentorMembership, MentorProfile, Skill
from mentors.services import profiles as services
from tests.coaching.factories import assign, sign_in
from tests.factories import UserFactory
from tests.mentors.factories import make_match, make_mentor

pytestmark = pytest.mark.django_db

Status = MentorMembership.Status
APPLY_IT = "/it/mentoring/apply/"

FIELDS = {
    "kind": "professional",
    "organisation": "Studio Rossi",
    "bio": "Commercialista da vent'anni.",
    "gender": "",
    "sectors": ["food"],
    "languages": ["it", "ar"],
    "municipality": "Roma",
    "meeting_modes": ["in_person", "remote"],
    "capacity": 3,
    "photo_alt": "",
}


def _form(**extra):
    data = {
        "kind": "professional",
        "organisation": "Studio Rossi",
        "bio": "Commercialista da vent'anni.",
        "sectors": ["food"],
        "languages": ["it", "ar"],
        "municipality": "Roma",
        "meeting_modes": ["in_person", "remote"],
        "capacity": "3",
        "photo_alt": "",
        "motivation": "Voglio restituire qualcosa.",
    }
    data.update(extra)
    return data


def _png(size=(20, 20)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return SimpleUploadedFile("anna-rossi.png", buffer.getvalue(), content_type="image/png")


def _skill(site, name, *, locale="it", key=None, order=0):
    skill = Skill(
        site=site,
        name=name,
        sort_order=order,
        locale=Locale.objects.get_or_create(language_code=locale)[0],
    )
    if key is not None:
        skill.translation_key = key
    skill.save()
    return skill


def _apply(user, site, **fields):
    return services.mentor_apply(
        user=user,
        site=site,
        fields={**FIELDS, **fields},
        skills=[],
        motivation="Voglio aiutare.",
    )


# --- The application -------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(client, site):
    response = client.get(APPLY_IT)
    assert response.status_code == 302
    assert "next=/it/mentoring/apply/" in response["Location"]
    assert "/login/" in response["Location"] or "accounts" in response["Location"]


def test_applying_makes_a_profile_and_a_waiting_membership_of_this_site(client, site, user):
    client.force_login(user)
    response = client.post(APPLY_IT, _form())
    membership = MentorMembership.objects.get(profile__user=user)
    assert response.status_code == 302
    assert response["Location"] == f"/it/mentoring/membership/{membership.pk}/"
    assert membership.site == site
    assert membership.status == Status.APPLIED
    assert membership.motivation == "Voglio restituire qualcosa."
    assert membership.profile.languages == ["it", "ar"]
    actions = ModelLogEntry.objects.for_instance(membership).values_list("action", flat=True)
    assert list(actions) == [services.LOG_APPLY]
    # Applying is not yet being a mentor.
    assert not user.groups.filter(name=app_settings.MENTOR_GROUP).exists()


def test_applying_twice_keeps_one_membership_and_updates_it(client, site, user):
    client.force_login(user)
    client.post(APPLY_IT, _form())
    client.post(APPLY_IT, _form(motivation="Ci ho ripensato."))
    membership = MentorMembership.objects.get(profile__user=user)
    assert membership.motivation == "Ci ho ripensato."
    assert MentorProfile.objects.filter(user=user).count() == 1
    assert ModelLogEntry.objects.for_instance(membership).count() == 1


@pytest.mark.parametrize("ended", [Status.ENDED, Status.REJECTED])
def test_applying_again_after_an_end_or_a_refusal_waits_again(site, coordinator, ended):
    mentor = make_mentor(status=Status.APPLIED)
    membership = mentor.memberships.get()
    if ended == Status.ENDED:
        services.membership_decide(membership=membership, by=coordinator, approve=True)
        services.membership_end(membership=membership, by=coordinator, reason="Fine progetto")
    else:
        services.membership_decide(
            membership=membership, by=coordinator, approve=False, reason="Non ora"
        )
    again = _apply(mentor.user, site)
    assert again.pk == membership.pk
    assert again.status == Status.APPLIED
    assert again.decided_by is None
    assert MentorMembership.objects.get(pk=membership.pk).status == Status.APPLIED


def test_an_active_mentor_is_shown_their_membership_not_the_form(client, site):
    mentor = make_mentor()
    client.force_login(mentor.user)
    response = client.get(APPLY_IT)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/membership/{mentor.memberships.get().pk}/")
    with pytest.raises(ValidationError):
        _apply(mentor.user, site)


def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(client, site, user):
    client.force_login(user)
    response = client.post(APPLY_IT, _form(languages=[], bio="La mia storia di lavoro"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "La mia storia di lavoro" in body
    assert 'value="Studio Rossi"' in body
    assert 'href="#id_languages_0"' in body
    assert not MentorProfile.objects.filter(user=user).exists()


def test_meeting_in_person_needs_a_place(client, site, user):
    client.force_login(user)
    response = client.post(APPLY_IT, _form(municipality=""))
    assert response.status_code == 400
    assert not MentorMembership.objects.exists()


# --- The photo -------------------------------------------------------------------------------


def test_a_photo_is_kept_with_its_description_under_a_name_that_says_nothing(
    client, site, user, private_storage_root
):
    client.force_login(user)
    response = client.post(APPLY_IT, _form(photo=_png(), photo_alt="Anna nel suo studio"))
    assert response.status_code == 302
    profile = MentorProfile.objects.get(user=user)
    assert profile.photo.name.startswith("mentors/photos/")
    assert profile.photo.name.endswith(".png")
    assert "anna" not in profile.photo.name
    assert profile.photo_alt == "Anna nel suo studio"


def test_a_photo_needs_a_description(client, site, user, private_storage_root):
    client.force_login(user)
    response = client.post(APPLY_IT, _form(photo=_png()))
    assert response.status_code == 400
    assert not MentorProfile.objects.filter(user=user).exists()


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(
    client, site, user, private_storage_root
):
    client.force_login(user)
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = client.post(APPLY_IT, _form(photo=fake, photo_alt="Una foto"))
    assert response.status_code == 400
    assert "Questo file non è una foto" in response.content.decode()
    assert not MentorProfile.objects.filter(user=user).exists()


def test_a_photo_over_3_mb_is_refused(site, user, private_storage_root):
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (3 * 1024 * 1024 + 1))
    with translation.override("en"):
        assert services.photo_problem(big) == "The photo is too large: choose one under 3 MB."
    with pytest.raises(ValidationError):
        services.mentor_profile_save(user=user, fields=FIELDS, photo=big)


def test_removing_the_photo_removes_its_description(user, site, private_storage_root):
    services.mentor_profile_save(user=user, fields={**FIELDS, "photo_alt": "Io"}, photo=_png())
    profile = services.mentor_profile_save(user=user, fields={}, photo=services.REMOVE)
    assert not profile.photo
    assert profile.photo_alt == ""


# --- Skills in the reader's language --------------------------------------------------------


def test_skills_are_shown_in_the_active_language_else_the_default(site, other_site, english_locale):
    accounting = _skill(site, "Contabilità e fisco", order=1)
    _skill(site, "Accounting and tax", locale="en", key=accounting.translation_key, order=1)
    _skill(site, "Artigianato", order=2)
    _skill(other_site, "Legale")
    with translation.override("en"):
        names = [skill.name for skill in selectors.skills_of_sites({site.pk})]
    assert names == ["Accounting and tax", "Artigianato"]
    with translation.override("it"):
        names = [skill.name for skill in selectors.skills_of_sites({site.pk})]
    assert names == ["Contabilità e fisco", "Artigianato"]


def test_the_form_offers_this_sites_skills_and_ticks_held_ones_in_any_language(
    client, site, other_site, user, english_home
):
    accounting = _skill(site, "Contabilità e fisco")
    english = _skill(site, "Accounting and tax", locale="en", key=accounting.translation_key)
    theirs = _skill(other_site, "Legale altrove")
    client.force_login(user)
    # Another site's skill is not a choice.
    response = client.post(APPLY_IT, _form(skills=[theirs.pk]))
    assert response.status_code == 400
    client.post(APPLY_IT, _form(skills=[accounting.pk]))
    profile = MentorProfile.objects.get(user=user)
    assert list(profile.skills.all()) == [accounting]
    response = client.get("/en/mentoring/profile/")
    body = response.content.decode()
    assert "Accounting and tax" in body
    assert "Legale altrove" not in body
    assert f'value="{english.pk}" id="id_skills_0" checked' in body.replace(
        'class="form-check-input" ', ""
    )


def test_the_service_refuses_skills_of_a_site_the_person_has_nothing_to_do_with(
    site, other_site, user
):
    theirs = _skill(other_site, "Legale")
    with pytest.raises(ValidationError):
        services.mentor_apply(
            user=user, site=site, fields=FIELDS, skills=[theirs], motivation="Perché sì"
        )
    assert not MentorMembership.objects.exists()


# --- The profile page ------------------------------------------------------------------------


def test_the_profile_page_sends_people_without_a_profile_to_apply(client, site, user):
    client.force_login(user)
    for url in ("/it/mentoring/profile/", "/it/mentoring/availability/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == APPLY_IT


def test_the_mentor_edits_their_profile(client, site):
    mentor = make_mentor()
    client.force_login(mentor.user)
    data = _form(bio="Nuova presentazione", capacity="5")
    del data["motivation"]
    response = client.post("/it/mentoring/profile/", data)
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.bio == "Nuova presentazione"
    assert mentor.capacity == 5
    response = client.post("/it/mentoring/profile/", {**data, "capacity": "50"})
    assert response.status_code == 400
    assert MentorProfile.objects.get(pk=mentor.pk).capacity == 5


# --- Weekly hours and time away --------------------------------------------------------------


def _availability(windows=(), away=(), action="save", extra_windows=0):
    data = {
        "action": action,
        "windows-TOTAL_FORMS": str(len(windows) + extra_windows),
        "windows-INITIAL_FORMS": "0",
        "away-TOTAL_FORMS": str(len(away)),
        "away-INITIAL_FORMS": "0",
    }
    for i, (day, starts, ends) in enumerate(windows):
        data |= {
            f"windows-{i}-weekday": day,
            f"windows-{i}-starts": starts,
            f"windows-{i}-ends": ends,
        }
    for i in range(len(windows), len(windows) + extra_windows):
        # An empty row as the browser sends it: every field, empty.
        data |= {f"windows-{i}-weekday": "", f"windows-{i}-starts": "", f"windows-{i}-ends": ""}
    for i, (starts, ends, note) in enumerate(away):
        data |= {f"away-{i}-starts_on": starts, f"away-{i}-ends_on": ends, f"away-{i}-note": note}
    return data


def test_weekly_hours_and_time_away_are_saved_and_shown_again(client, site):
    mentor = make_mentor()
    client.force_login(mentor.user)
    response = client.post(
        "/it/mentoring/availability/",
        _availability(
            windows=[("1", "15:00", "18:00"), ("3", "09:00", "12:00")],
            away=[("2026-08-01", "2026-08-20", "Ferie")],
        ),
    )
    assert response.status_code == 302
    assert [(w.weekday, w.starts, w.ends) for w in mentor.windows.all()] == [
        (1, time(15), time(18)),
        (3, time(9), time(12)),
    ]
    away = mentor.exceptions.get()
    assert (away.starts_on, away.ends_on, away.note) == (
        date(2026, 8, 1),
        date(2026, 8, 20),
        "Ferie",
    )
    body = client.get("/it/mentoring/availability/").content.decode()
    assert 'value="15:00"' in body
    assert "Europe/Rome" in body
    # Saving the same again leaves the same rows.
    client.post(
        "/it/mentoring/availability/",
        _availability(windows=[("1", "15:00", "18:00"), ("3", "09:00", "12:00")]),
    )
    assert mentor.windows.count() == 2


@pytest.mark.parametrize(
    "windows",
    [
        [("1", "18:00", "15:00")],
        [("1", "15:00", "18:00"), ("1", "17:00", "19:00")],
        [("1", "09:00", "18:00"), ("1", "10:00", "11:00"), ("1", "12:00", "13:00")],
    ],
    ids=["end-before-start", "overlap", "inside-a-long-window"],
)
def test_bad_hours_are_refused_with_a_message_and_nothing_is_lost(client, site, windows):
    mentor = make_mentor()
    AvailabilityWindow.objects.create(profile=mentor, weekday=4, starts=time(9), ends=time(10))
    client.force_login(mentor.user)
    response = client.post("/it/mentoring/availability/", _availability(windows=windows))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="alert alert-danger"' in body
    assert f'value="{windows[0][1]}"' in body
    assert list(mentor.windows.values_list("weekday", flat=True)) == [4]


def test_time_away_must_end_on_or_after_it_starts(client, site):
    mentor = make_mentor()
    client.force_login(mentor.user)
    response = client.post(
        "/it/mentoring/availability/", _availability(away=[("2026-08-20", "2026-08-01", "")])
    )
    assert response.status_code == 400
    assert not mentor.exceptions.exists()


def test_add_another_row_without_javascript_keeps_what_was_typed(client, site):
    mentor = make_mentor()
    client.force_login(mentor.user)
    response = client.post(
        "/it/mentoring/availability/",
        _availability(windows=[("2", "10:00", "12:00")], action="add_window"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="windows-TOTAL_FORMS" value="2"' in body
    assert 'value="10:00"' in body
    assert 'name="windows-1-starts"' in body
    assert not mentor.windows.exists()  # nothing saved until "Save"


def test_an_empty_extra_row_and_a_removed_row_are_not_saved(client, site):
    mentor = make_mentor()
    client.force_login(mentor.user)
    data = _availability(
        windows=[("2", "10:00", "12:00"), ("3", "10:00", "12:00")], extra_windows=1
    )
    data["windows-1-DELETE"] = "on"
    response = client.post("/it/mentoring/availability/", data)
    assert response.status_code == 302
    assert list(mentor.windows.values_list("weekday", flat=True)) == [2]


def test_window_rule_is_one_function():
    rows = [
        {"weekday": 0, "starts": time(9), "ends": time(12)},
        {"weekday": 0, "starts": time(12), "ends": time(13)},  # touching is not overlapping
        {"weekday": 1, "starts": time(10), "ends": time(11)},
    ]
    assert services.window_problems(rows) == []


# --- Memberships: decide, pause, resume, end -----------------------------------------------


def test_approval_makes_the_person_a_mentor_of_that_site(site, coordinator):
    person = UserFactory()
    membership = _apply(person, site)
    approved = services.membership_decide(membership=membership, by=coordinator, approve=True)
    assert approved.status == Status.APPROVED
    assert approved.decided_by == coordinator
    assert person.groups.filter(name=app_settings.MENTOR_GROUP).exists()
    # Mentoring never makes anyone staff of a site: that assignment serves every role held.
    assert not StaffSiteAssignment.objects.filter(user=person, site=site).exists()
    assert selectors.is_active_mentor(person, site.pk)
    # A second click: no second log entry.
    services.membership_decide(membership=membership, by=coordinator, approve=True)
    assert (
        ModelLogEntry.objects.for_instance(membership).filter(action=services.LOG_APPROVE).count()
        == 1
    )


def test_only_a_coordinator_of_the_site_decides(site, other_site, user_with_role):
    membership = _apply(UserFactory(), site)
    elsewhere = assign(user_with_role("Coordinator", is_staff=True), other_site)
    for outsider in (elsewhere, membership.profile.user, make_mentor().user):
        with pytest.raises(PermissionDenied):
            services.membership_decide(membership=membership, by=outsider, approve=True)
    assert MentorMembership.objects.get(pk=membership.pk).status == Status.APPLIED


def test_refusing_needs_a_reason(site, coordinator):
    membership = _apply(UserFactory(), site)
    with pytest.raises(ValidationError):
        services.membership_decide(membership=membership, by=coordinator, approve=False, reason=" ")
    refused = services.membership_decide(
        membership=membership, by=coordinator, approve=False, reason="Manca esperienza"
    )
    assert refused.status == Status.REJECTED
    assert refused.reason == "Manca esperienza"
    assert not refused.profile.user.groups.filter(name=app_settings.MENTOR_GROUP).exists()


def test_moves_outside_the_transitions_are_refused(site, coordinator):
    membership = _apply(UserFactory(), site)
    with pytest.raises(ValidationError):
        services.membership_pause(membership=membership, by=coordinator, reason="Pausa")
    with pytest.raises(ValidationError):
        services.membership_end(membership=membership, by=coordinator, reason="Fine")
    services.membership_decide(membership=membership, by=coordinator, approve=False, reason="No")
    with pytest.raises(ValidationError):
        services.membership_decide(membership=membership, by=coordinator, approve=True)


def test_pausing_flags_the_mentees_for_a_new_mentor_and_keeps_the_matches(site, coordinator):
    match = make_match()
    membership = match.mentor.memberships.get()
    paused = services.membership_pause(
        membership=membership, by=match.mentor.user, reason="Trasloco"
    )
    assert paused.status == Status.PAUSED
    match.refresh_from_db()
    assert match.needs_rematch
    assert match.status == Match.Status.ACCEPTED
    assert not selectors.approved_mentors(site.pk).filter(pk=match.mentor.pk).exists()
    resumed = services.membership_resume(membership=membership, by=coordinator)
    assert resumed.status == Status.APPROVED
    actions = set(ModelLogEntry.objects.for_instance(membership).values_list("action", flat=True))
    assert {services.LOG_PAUSE, services.LOG_RESUME} <= actions


def test_leaving_ends_the_matches_and_takes_back_the_role_of_that_site(site, other_site):
    match = make_match()
    mentor = match.mentor
    MentorMembership.objects.create(profile=mentor, site=other_site, status=Status.APPROVED)
    ended = services.membership_end(
        membership=mentor.memberships.get(site=site), by=mentor.user, reason="Troppo lavoro"
    )
    assert ended.status == Status.ENDED
    match.refresh_from_db()
    assert match.status == Match.Status.ENDED
    assert match.needs_rematch
    assert not selectors.is_active_mentor(mentor.user, site.pk)
    # Still a mentor of the other site.
    assert selectors.is_active_mentor(mentor.user, other_site.pk)
    assert mentor.user.groups.filter(name=app_settings.MENTOR_GROUP).exists()
    services.membership_end(
        membership=mentor.memberships.get(site=other_site), by=mentor.user, reason="Basta"
    )
    assert not mentor.user.groups.filter(name=app_settings.MENTOR_GROUP).exists()


def test_a_coordinator_who_mentors_elsewhere_gets_no_staff_rights_there(
    site, other_site, user_with_role
):
    from coaching.selectors import StaffRole, staff_site_ids

    elsewhere = assign(user_with_role("Coordinator", is_staff=True), other_site)
    membership = _apply(elsewhere, site)
    services.membership_decide(
        membership=membership, by=UserFactory(is_superuser=True), approve=True
    )
    assert staff_site_ids(elsewhere, StaffRole.COORDINATOR) == {other_site.pk}


def test_a_staff_account_keeps_its_site_assignment_when_it_stops_mentoring(site, coordinator):
    membership = _apply(coordinator, site)
    services.membership_decide(
        membership=membership, by=UserFactory(is_superuser=True), approve=True
    )
    services.membership_end(membership=membership, by=coordinator, reason="Basta")
    assert StaffSiteAssignment.objects.filter(user=coordinator, site=site).exists()
    assert Group.objects.get(name=app_settings.COORDINATOR_GROUP) in coordinator.groups.all()


def test_each_move_has_a_label_in_the_log():
    for action in (
        services.LOG_APPLY,
        services.LOG_APPROVE,
        services.LOG_REJECT,
        services.LOG_PAUSE,
        services.LOG_RESUME,
        services.LOG_END,
    ):
        assert log_registry.action_exists(action), action


# --- The mentor's membership page ------------------------------------------------------------


def test_the_mentor_pauses_resumes_and_leaves_on_their_page(client, site):
    match = make_match()
    membership = match.mentor.memberships.get()
    client.force_login(match.mentor.user)
    url = f"/it/mentoring/membership/{membership.pk}/"
    body = client.get(url).content.decode()
    assert 'value="pause"' in body and 'value="leave"' in body and 'value="resume"' not in body
    response = client.post(url, {"action": "pause", "reason": ""})
    assert response.status_code == 400
    assert MentorMembership.objects.get(pk=membership.pk).status == Status.APPROVED
    assert client.post(url, {"action": "pause", "reason": "Vacanze"}).status_code == 302
    assert MentorMembership.objects.get(pk=membership.pk).status == Status.PAUSED
    assert 'value="resume"' in client.get(url).content.decode()
    assert client.post(url, {"action": "resume", "reason": ""}).status_code == 302
    assert client.post(url, {"action": "leave", "reason": "Cambio città"}).status_code == 302
    assert MentorMembership.objects.get(pk=membership.pk).status == Status.ENDED
    match.refresh_from_db()
    assert match.status == Match.Status.ENDED


def test_nobody_else_sees_or_moves_a_mentors_membership(client, site, coordinator):
    membership = make_mentor().memberships.get()
    other = make_mentor()
    client.force_login(other.user)
    url = f"/it/mentoring/membership/{membership.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "leave", "reason": "x"}).status_code == 404
    # Even a coordinator of the site moves it from the admin, not from the mentor's page.
    sign_in(client, coordinator)
    assert client.get(url).status_code == 404
    assert MentorMembership.objects.get(pk=membership.pk).status == Status.APPROVED


def test_a_mentor_cannot_lift_a_coordinators_pause(site, coordinator):
    mentor = make_mentor()
    membership = mentor.memberships.get()
    services.membership_pause(membership=membership, by=coordinator, reason="Verifica")
    with pytest.raises(PermissionDenied):
        services.membership_resume(membership=membership, by=mentor.user)
    assert MentorMembership.objects.get(pk=membership.pk).status == Status.PAUSED
    # Their own pause they lift themselves.
    services.membership_resume(membership=membership, by=coordinator)
    services.membership_pause(membership=membership, by=mentor.user, reason="Ferie")
    assert (
        services.membership_resume(membership=membership, by=mentor.user).status == Status.APPROVED
    )
