"""Business plans in the personal-data registry: a participant's export (plans, texts, canvas,
figures, versions, comments), their erasure (plans deleted, a plan a grant application relies
on kept with its reason, another person's plans untouched) and a mentor's (their comments
stay, without their name)."""

import json
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from coaching import services as coaching_services
from coaching.models import AccessLog
from coaching.personal_data import (
    personal_data_erase,
    personal_data_erasure_plan,
    personal_data_export,
)
from coaching.plans.models import (
    BusinessPlan,
    PlanComment,
    PlanSection,
    PlanVersion,
    SectionConflict,
    StartupCost,
)
from coaching.plans.services.editing import section_save
from coaching.plans.services.review import (
    comment_add,
    comment_reply,
    plan_mark_ready,
    plan_request_changes,
    plan_share,
    plan_submit,
    plan_unshare,
)
from coaching.plans.services.versions import plan_freeze, version_request
from tests.coaching.factories import make_participant
from tests.mentors.factories import make_match
from tests.plans.factories import make_plan
from tests.plans.test_review import make_people

pytestmark = pytest.mark.django_db

MENTOR_SAYS = "Il mercato è descritto bene, manca la concorrenza"


def _write(plan, key, text, kind="section"):
    section = plan.sections.get(kind=kind, key=key)
    assert section_save(
        section=section, text=text, base_revision=section.revision, done=None, by=None
    ).saved
    return plan.sections.get(pk=section.pk)


@pytest.fixture
def people(site, other_site):
    """A plan shared with the owner's mentor: texts, a canvas box, a cost, a version made at
    submission, and a thread of the mentor's comment and the owner's reply."""
    people = make_people(site=site, other_site=other_site, shared=True)
    plan = people.plan
    _write(plan, "summary", "Un forno di quartiere a Bari")
    _write(plan, "problem", "Il pane costa troppo", kind="canvas")
    StartupCost.objects.create(
        plan=plan, category="equipment", description="Forno a legna", amount=Decimal("4200.00")
    )
    plan_submit(plan=plan, by=people.owner)
    market = plan.sections.get(kind=PlanSection.Kind.SECTION, key="market")
    comment, _ = comment_add(plan=plan, section=market, by=people.mentor, body=MENTOR_SAYS)
    comment_reply(comment=comment, by=people.owner, body="La aggiungo")
    return people


def _mine(user, by=None) -> list[dict]:
    """The person's sections of business plans, in English."""
    with translation.override("en"):
        return [
            section.as_json()
            for section in personal_data_export(user=user, by=by or user)
            if section.provider == "plans"
        ]


def test_the_participants_export_has_their_plans_texts_canvas_figures_versions_and_comments(
    people,
):
    details, figures, history = _mine(people.owner)
    plan = details["data"]
    assert (plan["title"], plan["status"], plan["language"]) == ("Il mio piano", "submitted", "it")
    assert plan["created_at"] and plan["updated_at"]
    summary = next(s for s in plan["sections"] if s["key"] == "summary")
    assert summary["text"] == "Un forno di quartiere a Bari"
    assert plan["canvas"]["problem"] == "Il pane costa troppo"
    assert ["Name of the plan", "Il mio piano"] in details["rows"]
    assert figures["data"]["startup_costs"][0] == {
        "category": "equipment",
        "description": "Forno a legna",
        "amount": "4200.00",
        "vat_rate": "22",
        "vat_recoverable": False,
    }
    assert any("4200.00" in value for _label, value in figures["rows"])
    versions = history["data"]["versions"]
    assert [(v["number"], v["reason"], v["frozen"]) for v in versions] == [(1, "submitted", False)]
    assert versions[0]["made_at"]
    assert [(c["from"], c["body"]) for c in history["data"]["comments"]] == [
        ("mentor", MENTOR_SAYS),
        ("you", "La aggiungo"),
    ]


def test_the_mentors_export_has_the_comments_they_wrote_only(people):
    sections = _mine(people.mentor)
    assert [s["title"] for s in sections] == ["Comments you wrote on business plans"]
    assert [c["body"] for c in sections[0]["data"]] == [MENTOR_SAYS]
    # The owner's plan and reply are the owner's, not in the mentor's export.
    assert "La aggiungo" not in json.dumps(sections)
    assert "Un forno di quartiere" not in json.dumps(sections)


def test_someone_without_plans_or_comments_has_no_section(site, people):
    assert _mine(people.stranger) == []
    assert [
        p for p in personal_data_erasure_plan(user=people.stranger) if p.provider == "plans"
    ] == []


def test_erasing_a_participant_deletes_their_plans_and_leaves_others_untouched(
    site, coordinator, people
):
    plan = people.plan
    someone_else = make_plan(site=site, title="Piano di un'altra", template=plan.template)
    _write(someone_else, "summary", "Non toccare")
    content_type = ContentType.objects.get_for_model(BusinessPlan)
    assert ModelLogEntry.objects.filter(content_type=content_type, object_id=str(plan.pk)).exists()

    participant = plan.participant
    coaching_services.participant_erase(participant=participant, by=coordinator, reason="Richiesta")

    assert not BusinessPlan.objects.filter(participant=participant).exists()
    assert not PlanSection.objects.filter(plan_id=plan.pk).exists()
    assert not PlanVersion.objects.filter(plan_id=plan.pk).exists()
    assert not StartupCost.objects.filter(plan_id=plan.pk).exists()
    assert not PlanComment.objects.filter(plan_id=plan.pk).exists()
    # The plan's history no longer names it: only the participant reference.
    labels = set(
        ModelLogEntry.objects.filter(content_type=content_type, object_id=str(plan.pk)).values_list(
            "label", flat=True
        )
    )
    assert labels == {participant.reference}
    # Another participant's plan is whole.
    someone_else.refresh_from_db()
    assert someone_else.title == "Piano di un'altra"
    assert someone_else.sections.get(key="summary").text == "Non toccare"
    # The erasure's record says what plans did.
    log = AccessLog.objects.get(participant=participant, action="erase_participant")
    outcomes = [o for o in log.details["erasure"] if o["provider"] == "plans"]
    assert [o["action"] for o in outcomes] == ["deleted"]


def test_a_plan_with_a_frozen_version_is_kept_with_its_reason(people):
    plan = people.plan
    plan_mark_ready(plan=plan, by=people.mentor)
    frozen = plan_freeze(plan=plan, by=people.owner)
    draft = make_plan(participant=plan.participant, title="Bozza", template=plan.template)
    section = plan.sections.get(key="summary")
    SectionConflict.objects.create(
        section=section, text="Testo di un'altra scheda", base_revision=0, created_by=people.owner
    )
    with translation.override("en"):
        promised = [
            p for p in personal_data_erasure_plan(user=people.owner) if p.provider == "plans"
        ]
        assert [p.action for p in promised] == ["deleted", "deleted", "kept"]
        assert "ESF+" in promised[-1].why

        outcomes = personal_data_erase(
            user=people.owner, by=None, reason="Richiesta", now=timezone.now()
        )

    mine = [o for o in outcomes if o.provider == "plans"]
    assert mine == promised
    assert not BusinessPlan.objects.filter(pk=draft.pk).exists()
    kept = BusinessPlan.objects.get(pk=plan.pk)
    # What the grant application relies on stays: the frozen version, the texts, the figures.
    assert PlanVersion.objects.get(plan=kept, frozen=True) == frozen
    assert PlanVersion.objects.get(pk=frozen.pk).data == frozen.data
    assert kept.sections.get(key="summary").text == "Un forno di quartiere a Bari"
    assert kept.startup_costs.get().amount == Decimal("4200.00")
    # The rest goes: other versions, conflicting saves, comments; shared with nobody.
    assert list(kept.versions.values_list("frozen", flat=True)) == [True]
    assert not SectionConflict.objects.filter(section__plan=kept).exists()
    assert not PlanComment.objects.filter(plan=kept).exists()
    assert kept.shared_with is None


def test_erasing_a_mentor_anonymises_their_comments(people):
    plan = people.plan
    promised = [p for p in personal_data_erasure_plan(user=people.mentor) if p.provider == "plans"]
    assert [p.action for p in promised] == ["anonymised"]

    personal_data_erase(user=people.mentor, by=None, reason="Richiesta", now=timezone.now())

    comment = PlanComment.objects.get(plan=plan, parent__isnull=True)
    assert (comment.author, comment.body) == (None, MENTOR_SAYS)
    # The owner's reply is theirs: still signed.
    assert PlanComment.objects.get(plan=plan, parent=comment).author == people.owner
    plan.refresh_from_db()
    assert plan.shared_with is None
    assert _mine(people.mentor) == []
    # In the owner's export, the comment is from a mentor no longer named.
    _details, _figures, history = _mine(people.owner)
    assert history["data"]["comments"][0]["body"] == MENTOR_SAYS


# --- The plan's history, and one participation of two ----------------------------------------


def _history(plan) -> list[dict]:
    content_type = ContentType.objects.get_for_model(BusinessPlan)
    return list(
        ModelLogEntry.objects.filter(content_type=content_type, object_id=str(plan.pk))
        .order_by("pk")
        .values_list("data", flat=True)
    )


def _reviewed_and_frozen(people):
    """The fixture's plan unshared and shared again (the history names the mentor), sent back
    with a message, a version kept with a label, then ready and frozen."""
    plan = people.plan
    plan_request_changes(plan=plan, by=people.mentor, message="Rivedi i prezzi di Mario Bianchi")
    plan_unshare(plan=plan, by=people.owner)
    plan_share(plan=plan, by=people.owner)
    _write(plan, "summary", "Un forno di quartiere a Bari, con i prezzi rivisti")
    version_request(plan=plan, by=people.owner, label="Per la banca di zia Rosa")
    plan_submit(plan=plan, by=people.owner)
    plan_mark_ready(plan=plan, by=people.mentor)
    plan_freeze(plan=plan, by=people.owner)
    return plan


def test_erasing_the_participant_leaves_no_names_or_words_in_a_kept_plans_history(
    coordinator, people
):
    plan = _reviewed_and_frozen(people)
    mentor_name = people.mentor.get_full_name()
    steps = len(_history(plan))
    before = json.dumps(_history(plan), ensure_ascii=False)
    assert mentor_name in before and "zia Rosa" in before and "Mario Bianchi" in before

    coaching_services.participant_erase(
        participant=plan.participant, by=coordinator, reason="Richiesta"
    )

    assert BusinessPlan.objects.filter(pk=plan.pk).exists()  # kept for the grant
    after = _history(plan)
    assert len(after) == steps  # every step is still there
    text = json.dumps(after, ensure_ascii=False)
    assert mentor_name not in text and "zia Rosa" not in text and "Mario Bianchi" not in text
    # What is not personal stays: the version numbers of the steps.
    assert any(entry.get("number") for entry in after)


def test_erasing_the_mentor_takes_their_name_out_of_the_plans_history(site, people):
    plan = _reviewed_and_frozen(people)
    mentor_name = people.mentor.get_full_name()
    owner_steps = len(_history(plan))
    # Another mentor with the very same name, on another person's plan: not them.
    namesake = make_match(site=site)
    namesake.mentor.user.first_name = people.mentor.first_name
    namesake.mentor.user.last_name = people.mentor.last_name
    namesake.mentor.user.save(update_fields=["first_name", "last_name"])
    theirs = make_plan(participant=namesake.participant, title="Piano del omonimo")
    plan_share(plan=theirs, by=namesake.participant.user)
    assert mentor_name in json.dumps(_history(theirs), ensure_ascii=False)

    personal_data_erase(user=people.mentor, by=None, reason="Richiesta", now=timezone.now())

    after = _history(plan)
    assert len(after) == owner_steps
    assert mentor_name not in json.dumps(after, ensure_ascii=False)
    # The owner's own words in the history are theirs: still there.
    assert "zia Rosa" in json.dumps(after, ensure_ascii=False)
    assert mentor_name in json.dumps(_history(theirs), ensure_ascii=False)


def test_erasing_one_of_two_participations_erases_that_ones_plans_only(
    site, other_site, coordinator, people
):
    plan = people.plan
    participant = plan.participant
    elsewhere = make_participant(user=participant.user, site=other_site, status="eligible")
    kept = make_plan(participant=elsewhere, title="Piano ad Altrove")
    _write(kept, "summary", "Resta qui")

    promised = coaching_services.participant_erasure_plan(participant=participant)
    assert [p.action for p in promised if p.provider == "plans"] == ["deleted"]

    coaching_services.participant_erase(participant=participant, by=coordinator, reason="Uscita")

    assert not BusinessPlan.objects.filter(participant=participant).exists()
    assert not PlanSection.objects.filter(plan_id=plan.pk).exists()
    kept.refresh_from_db()
    assert kept.title == "Piano ad Altrove"
    # The other participation's history is whole: its title still labels it.
    assert set(
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(BusinessPlan), object_id=str(kept.pk)
        ).values_list("label", flat=True)
    ) == {"Piano ad Altrove"}
    assert kept.sections.get(key="summary").text == "Resta qui"
    # The account and the other participation are whole.
    participant.user.refresh_from_db()
    assert participant.user.is_active
    assert not participant.user.email.endswith(".invalid")
    log = AccessLog.objects.get(participant=participant, action="erase_participant")
    assert [o["action"] for o in log.details["erasure"] if o["provider"] == "plans"] == ["deleted"]
