"""Coaching's entry in the personal-data registry (``coaching.personal_data``).

The export shows every participation of the person (one per municipality), each in labelled
sections; the erasure anonymises the account once no participation holds data any more.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from coaching.display import value_in_words
from coaching.models import (
    AccessLog,
    CaseNote,
    ConsentRecord,
    EntryAnswerChange,
    EntryRecord,
    ExitRecord,
    FollowUp,
    Notification,
    Participant,
    SpecialCategoryData,
    StageChange,
)
from coaching.personal_data import ANONYMISED, KEPT
from coaching.services.audit import access_log_record
from coaching.services.data import (
    PROVIDER_KEY,
    _participant_erase,
    _user_anonymise,
    account_is_kept,
    participant_data,
)
from coaching.services.intake import STEP_FIELDS

PARTICIPATION_FIELDS = (
    "reference",
    "status",
    "stage",
    "created_at",
    "submitted_at",
    "decided_at",
    "decision_reason",
)


def _text(value) -> str:
    if isinstance(value, list | tuple) and value:
        return ", ".join(str(item) for item in value)
    return str(value_in_words(value, short=True))


def _field_row(instance: Model, name: str) -> tuple[str, str]:
    """A model field as (its label, its value as shown): choices by their label."""
    field = instance._meta.get_field(name)
    display = getattr(instance, f"get_{name}_display", None)
    value = display() if callable(display) else getattr(instance, name)
    if name == "birth_month" and value:
        value = MONTHS.get(value, value)
    return str(field.verbose_name).capitalize(), _text(value)


def _answer_row(name: str, value) -> tuple[str, str]:
    """A stored answer (entry snapshot, correction) shown like the participant's own field."""
    try:
        Participant._meta.get_field(name)
    except FieldDoesNotExist:  # shown as stored
        return name, _text(value)
    return _field_row(Participant(**{name: value}), name)


def _in_intake_order(answers: dict) -> list[tuple[str, object]]:
    order = {name: i for i, name in enumerate(f for fs in STEP_FIELDS.values() for f in fs)}
    return sorted(answers.items(), key=lambda item: order.get(item[0], len(order)))


def _sections(participant: Participant, data: dict) -> list[dict]:
    where = participant.site.site_name
    profile_fields = [f for fields in STEP_FIELDS.values() for f in fields]
    sections = [
        {
            "title": (
                _("Your participation in %(site)s") % {"site": where}
                if where
                else _("Your participation in the programme")
            ),
            "rows": [_field_row(participant, name) for name in PARTICIPATION_FIELDS]
            + [_field_row(participant, name) for name in profile_fields],
            "data": {
                key: data[key]
                for key in (
                    "reference",
                    "municipality_site",
                    "status",
                    "stage",
                    "created_at",
                    "submitted_at",
                    "decided_at",
                    "decision_reason",
                    "profile",
                )
            },
        }
    ]
    special = SpecialCategoryData.objects.filter(participant=participant).first()
    if special is not None:
        sections.append(
            {
                "title": _("Special-category answers"),
                "rows": [_field_row(special, "disability"), _field_row(special, "minority")],
                "data": data["special_category"],
            }
        )
    consents = ConsentRecord.objects.filter(participant=participant).select_related("notice")
    sections.append(
        {
            "title": _("Consents"),
            "rows": [
                (
                    c.get_kind_display(),
                    " · ".join(
                        [_("Given") if c.granted else _("Withdrawn"), _text(c.created_at)]
                        + (
                            [_("notice version %(version)s") % {"version": c.notice.version}]
                            if c.notice
                            else []
                        )
                    ),
                )
                for c in consents.order_by("created_at")
            ],
            "data": data["consents"],
        }
    )
    sections.append(
        {
            "title": _("Your path"),
            "rows": [
                (
                    _text(s.created_at),
                    f"{s.get_from_stage_display() or '—'} → {s.get_to_stage_display()}"
                    + (f": {s.reason}" if s.reason else ""),
                )
                for s in StageChange.objects.filter(participant=participant)
            ],
            "data": data["stage_history"],
        }
    )
    entry = EntryRecord.objects.filter(participant=participant).first()
    if entry is not None:
        sections.append(
            {
                "title": _("Entry record"),
                "rows": [_field_row(entry, "entered_at")]
                + [_answer_row(key, value) for key, value in _in_intake_order(entry.snapshot)],
                "data": data["entry_record"],
            }
        )
    corrections = EntryAnswerChange.objects.filter(participant=participant)
    if corrections:
        sections.append(
            {
                "title": _("Corrections of your answers"),
                "rows": [
                    (
                        _answer_row(c.field, None)[0],
                        f"{_answer_row(c.field, c.old_value)[1]} → "
                        f"{_answer_row(c.field, c.new_value)[1]} · {c.reason}",
                    )
                    for c in corrections
                ],
                "data": data["entry_answer_corrections"],
            }
        )
    exits = ExitRecord.objects.filter(participant=participant)
    if exits:
        names = ("exit_date", "in_employment", "in_education", "gained_qualification")
        names += ("job_searching", "business_registered", "vat_number")
        sections.append(
            {
                "title": _("Leaving the path"),
                "rows": [_field_row(e, name) for e in exits for name in names],
                "data": data["exit_records"],
            }
        )
    follow_ups = FollowUp.objects.filter(participant=participant)
    if follow_ups:
        sections.append(
            {
                "title": _("Follow-ups"),
                "rows": [
                    (
                        f.get_kind_display(),
                        f"{_text(f.due_at)} · {_text(f.get_situation_display())}",
                    )
                    for f in follow_ups
                ],
                "data": data["follow_ups"],
            }
        )
    messages = Notification.objects.filter(participant=participant)
    if messages:
        sections.append(
            {
                "title": _("Messages"),
                "rows": [(f"{_text(n.created_at)} · {n.subject}", n.body) for n in messages],
                "data": data["messages"],
            }
        )
    if data["case_notes"]:
        sections.append(
            {
                "title": _("Notes by the coordinators"),
                "rows": [
                    (_text(n.created_at), n.text)
                    for n in CaseNote.objects.filter(
                        participant=participant, erased_at__isnull=True
                    )
                ],
                "data": data["case_notes"],
            }
        )
    return sections


class CoachingPersonalData:
    """Participations (every municipality), their consents, path, entry and exit records,
    corrections, follow-ups, messages and special-category answers; and the account."""

    key = PROVIDER_KEY

    def export(self, *, user, by):
        sections = []
        for participant in Participant.objects.filter(user=user).select_related("site"):
            access_log_record(
                actor=by, participant=participant, action=AccessLog.Action.EXPORT_OWN_DATA
            )
            sections += _sections(participant, participant_data(participant))
        return sections

    def erase(self, *, user, by, reason, now):
        outcomes = []
        for participant in Participant.objects.filter(user=user, erased_at__isnull=True):
            _participant_erase(participant=participant, by=by, reason=reason, now=now, walk=False)
            outcomes.append(
                {
                    "action": ANONYMISED,
                    "what": _("Participation %(reference)s") % {"reference": participant.reference},
                }
            )
        _user_anonymise(user)
        return outcomes + self.erasure_plan(user=user)

    def erasure_plan(self, *, user):
        if not account_is_kept(user):
            what = _("Account: e-mail address, names, password, second factors")
            return [{"action": ANONYMISED, "what": what}]
        return [
            {
                "action": KEPT,
                "what": _("Staff account"),
                "why": _(
                    "A staff account belongs to the municipality's work; whoever runs "
                    "the accounts handles it."
                ),
            }
        ]
