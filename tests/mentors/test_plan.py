"""The mentoring plan: who may tick a milestone, ticks kept once, the path moved on (never
back), and the coordinators' milestones scoped to their sites in the admin."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import Locale, ModelLogEntry

from coaching import services as coaching_services
from coaching.models import Participant, Stage, StageChange
from mentors.models import Match, Milestone, MilestoneDone
from mentors.services.plan import TICK_ACTION, milestone_tick, milestone_untick
from tests.coaching.factories import assign, make_participant, sign_in
from tests.mentors.factories import make_match, make_mentor

pytestmark = pytest.mark.django_db


def _milestone(site, name="Piano d'impresa scritto", stage="", order=0, locale="it"):
    return Milestone.objects.create(
        site=site,
        locale=Locale.objects.get_or_create(language_code=locale)[0],
        name=name,
        stage=stage,
        sort_order=order,
    )


@pytest.fixture
def match(site):
    match = make_match()
    coaching_services.stage_change(
        participant=match.participant, to_stage=Stage.MENTORING, by=None, notify=False
    )
    match.participant.refresh_from_db()
    return match


def test_the_participant_and_their_mentor_tick_and_untick(site, match):
    first, second = _milestone(site, "Idea verificata"), _milestone(site, "Piano", order=1)
    milestone_tick(participant=match.participant, milestone=first, by=match.participant.user)
    milestone_tick(participant=match.participant, milestone=second, by=match.mentor.user)
    done = MilestoneDone.objects.filter(participant=match.participant)
    assert {d.milestone_key for d in done} == {first.translation_key, second.translation_key}
    assert milestone_untick(participant=match.participant, milestone=first, by=match.mentor.user)
    assert not milestone_untick(
        participant=match.participant, milestone=first, by=match.mentor.user
    )
    assert [d.milestone_key for d in done.all()] == [second.translation_key]


def test_nobody_else_may_tick(site, match, user, coordinator, user_with_role):
    milestone = _milestone(site)
    other_mentor = make_mentor()
    ended = make_match(participant=make_participant(status="eligible"), status=Match.Status.ENDED)
    for stranger in (user, coordinator, other_mentor.user):
        with pytest.raises(PermissionDenied):
            milestone_tick(participant=match.participant, milestone=milestone, by=stranger)
    # A mentor whose match ended loses the plan with the mentee.
    with pytest.raises(PermissionDenied):
        milestone_tick(participant=ended.participant, milestone=milestone, by=ended.mentor.user)
    assert not MilestoneDone.objects.exists()


def test_ticking_twice_is_kept_once_whatever_the_language(site, english_locale, match):
    milestone = _milestone(site)
    english = milestone.copy_for_translation(english_locale)
    english.name = "Business plan drafted"
    english.save()
    first = milestone_tick(participant=match.participant, milestone=milestone, by=match.mentor.user)
    again = milestone_tick(
        participant=match.participant, milestone=english, by=match.participant.user
    )
    assert again == first
    assert MilestoneDone.objects.count() == 1
    assert ModelLogEntry.objects.filter(action=TICK_ACTION).count() == 1


def test_a_later_stage_moves_the_path_on_never_back(site, match):
    earlier = _milestone(site, "Formazione finita", stage=Stage.TRAINING)
    later = _milestone(site, "Piano scritto", stage=Stage.BUSINESS_PLAN, order=1)
    participant = match.participant
    milestone_tick(participant=participant, milestone=earlier, by=match.mentor.user)
    participant.refresh_from_db()
    assert participant.stage == Stage.MENTORING  # training comes before mentoring: no move back

    milestone_tick(participant=participant, milestone=later, by=match.mentor.user)
    participant.refresh_from_db()
    assert participant.stage == Stage.BUSINESS_PLAN
    change = StageChange.objects.filter(participant=participant).latest("created_at")
    assert (change.from_stage, change.to_stage, change.changed_by) == (
        Stage.MENTORING,
        Stage.BUSINESS_PLAN,
        match.mentor.user,
    )

    milestone_untick(participant=participant, milestone=later, by=match.mentor.user)
    participant.refresh_from_db()
    assert participant.stage == Stage.BUSINESS_PLAN  # unticking never moves the path back


def test_a_milestone_never_moves_anyone_to_the_exit(site, match):
    exit_step = _milestone(site, "Uscita", stage=Stage.EXIT)
    with pytest.raises(ValidationError):
        exit_step.full_clean()
    milestone_tick(participant=match.participant, milestone=exit_step, by=match.mentor.user)
    match.participant.refresh_from_db()
    assert match.participant.stage == Stage.MENTORING


def test_another_sites_milestone_and_a_person_off_the_path_are_refused(site, other_site, match):
    elsewhere = _milestone(other_site)
    with pytest.raises(ValidationError):
        milestone_tick(participant=match.participant, milestone=elsewhere, by=match.mentor.user)
    Participant.objects.filter(pk=match.participant.pk).update(status=Participant.Status.EXITED)
    with pytest.raises(ValidationError):
        milestone_tick(
            participant=match.participant, milestone=_milestone(site), by=match.mentor.user
        )
    assert not MilestoneDone.objects.exists()


# --- The view ------------------------------------------------------------------------------


def test_the_tick_button_for_the_mentor_and_for_the_participant(client, site, match):
    milestone = _milestone(site)
    url = f"/it/mentoring/plan/{match.participant.pk}/tick/"
    client.force_login(match.mentor.user)
    assert client.get(url).status_code == 405
    response = client.post(url, {"milestone": milestone.pk, "action": "tick"})
    assert response.status_code == 302
    assert response["Location"] == f"/it/mentoring/mentees/{match.participant.pk}/"
    response = client.post(url, {"milestone": milestone.pk, "action": "tick"})  # double click
    assert MilestoneDone.objects.count() == 1

    client.force_login(match.participant.user)
    response = client.post(url, {"milestone": milestone.pk, "action": "untick"})
    assert response["Location"] == "/it/path/dashboard/"
    assert not MilestoneDone.objects.exists()


def test_the_tick_button_refuses_strangers_and_bad_input(client, site, match, user):
    milestone = _milestone(site)
    url = f"/it/mentoring/plan/{match.participant.pk}/tick/"
    client.force_login(user)
    assert client.post(url, {"milestone": milestone.pk}).status_code == 404
    client.force_login(match.mentor.user)
    response = client.post(url, {"milestone": "nonsense"}, follow=True)
    assert "Scegli un passo del piano." in response.content.decode()
    assert not MilestoneDone.objects.exists()


# --- The admin -----------------------------------------------------------------------------


def test_coordinators_keep_only_their_own_sites_milestones(
    client, site, other_site, coordinator, user_with_role
):
    ours = _milestone(site, "Idea verificata")
    theirs = _milestone(other_site, "Registrazione altrove")
    assign(coordinator, site)
    sign_in(client, coordinator)
    listing = client.get("/admin/snippets/mentors/milestone/")
    assert listing.status_code == 200
    assert "Idea verificata" in listing.content.decode()
    assert "Registrazione altrove" not in listing.content.decode()
    for view in ("edit", "delete", "history", "usage"):
        url = f"/admin/snippets/mentors/milestone/{view}/{theirs.pk}/"
        assert client.get(url, follow=True).status_code == 404, view
    # Wagtail's bulk delete finds snippets by id alone: refused for another site's ones.
    bulk = "/admin/bulk/mentors/milestone/delete/?id="
    assert client.get(f"{bulk}{ours.pk}").status_code == 200
    assert client.get(f"{bulk}{theirs.pk}").status_code in (302, 403)
    client.post(f"{bulk}{theirs.pk}")
    assert Milestone.objects.filter(pk=theirs.pk).exists()
    add = client.get("/admin/snippets/mentors/milestone/add/")
    assert list(add.context["form"].fields["site"].queryset) == [site]
    response = client.post(
        "/admin/snippets/mentors/milestone/add/",
        {"site": other_site.pk, "name": "Intruso", "description": "", "stage": "", "sort_order": 0},
    )
    assert response.status_code == 200  # refused with the form shown again
    assert not Milestone.objects.filter(name="Intruso").exists()
    assert client.get(f"/admin/snippets/mentors/milestone/edit/{ours.pk}/").status_code == 200


def test_another_sites_coordinator_sees_none(client, site, other_site, user_with_role):
    _milestone(site, "Idea verificata")
    elsewhere = assign(user_with_role("Coordinator", is_staff=True), other_site)
    sign_in(client, elsewhere)
    listing = client.get("/admin/snippets/mentors/milestone/")
    assert listing.status_code == 200
    assert "Idea verificata" not in listing.content.decode()


def test_the_persons_own_tick_moves_the_stage_only_once_the_mentor_ticks_it(site, match):
    later = _milestone(site, "Piano scritto", stage=Stage.BUSINESS_PLAN)
    participant = match.participant
    milestone_tick(participant=participant, milestone=later, by=participant.user)
    participant.refresh_from_db()
    assert participant.stage == Stage.MENTORING
    milestone_tick(participant=participant, milestone=later, by=match.mentor.user)
    participant.refresh_from_db()
    assert participant.stage == Stage.BUSINESS_PLAN
