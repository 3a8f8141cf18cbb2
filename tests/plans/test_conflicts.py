"""A save from an older copy of a section never overwrites newer text: both are kept."""

import pytest
from django.core.exceptions import ValidationError

from coaching.plans.models import SECTION_MAX_LENGTH, BusinessPlan, SectionConflict
from coaching.plans.services.editing import conflict_resolve, section_save
from tests.plans.factories import make_plan

pytestmark = pytest.mark.django_db


def _section(plan, key="summary"):
    return plan.sections.get(kind="section", key=key)


def test_a_save_on_the_current_revision_saves_and_raises_the_revision():
    plan = make_plan()
    section = _section(plan)
    result = section_save(section=section, text="Vendo pane", base_revision=0, done=None, by=None)
    assert result.saved
    section.refresh_from_db()
    assert (section.text, section.revision) == ("Vendo pane", 1)


def test_a_save_from_an_older_tab_keeps_both_texts():
    plan = make_plan()
    section = _section(plan)
    section_save(section=section, text="Testo del telefono", base_revision=0, done=None, by=None)
    # The laptop's tab still shows revision 0 and saves its own words.
    result = section_save(
        section=section, text="Testo del portatile", base_revision=0, done=None, by=None
    )
    assert not result.saved
    section.refresh_from_db()
    assert section.text == "Testo del telefono"
    assert result.conflict.text == "Testo del portatile"
    assert SectionConflict.objects.filter(section=section, resolved_at=None).count() == 1


def test_the_same_conflicting_text_sent_twice_is_kept_once():
    plan = make_plan()
    section = _section(plan)
    section_save(section=section, text="A", base_revision=0, done=None, by=None)
    section_save(section=section, text="B", base_revision=0, done=None, by=None)
    section_save(section=section, text="B", base_revision=0, done=None, by=None)
    assert SectionConflict.objects.filter(section=section).count() == 1


@pytest.mark.parametrize(
    ("keep", "merged", "expected"),
    [("mine", None, "B"), ("current", None, "A"), ("merged", "A e B", "A e B")],
)
def test_resolving_a_conflict(keep, merged, expected):
    plan = make_plan()
    section = _section(plan)
    section_save(section=section, text="A", base_revision=0, done=None, by=None)
    conflict = section_save(section=section, text="B", base_revision=0, done=None, by=None).conflict
    conflict_resolve(conflict=conflict, by=None, keep=keep, text=merged)
    section.refresh_from_db()
    conflict.refresh_from_db()
    assert section.text == expected
    assert conflict.resolved_at is not None


def test_a_text_longer_than_a_section_holds_is_refused_not_cut():
    plan = make_plan()
    section = _section(plan)
    with pytest.raises(ValidationError) as error:
        section_save(
            section=section,
            text="x" * (SECTION_MAX_LENGTH + 1),
            base_revision=0,
            done=None,
            by=None,
        )
    assert error.value.code == "max_length"
    section.refresh_from_db()
    assert section.text == ""


def test_a_submitted_plan_cannot_be_edited():
    plan = make_plan()
    BusinessPlan.objects.filter(pk=plan.pk).update(status=BusinessPlan.Status.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        section_save(section=_section(plan), text="x", base_revision=0, done=None, by=None)
    assert error.value.code == "not_editable"
