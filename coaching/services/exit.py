"""Leaving the path and the follow-ups that come after."""

import calendar
import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from coaching.conf import app_settings
from coaching.models import (
    ExitRecord,
    FollowUp,
    Participant,
    Stage,
    vat_number_is_valid,
)
from coaching.services.audit import participant_log_action
from coaching.services.followup import followup_schedule
from coaching.services.path import stage_change

#: Apps that hold something of a participant on the path (a mentor, sessions) register a
#: function ``(participant, by, now)`` under this hook; it runs inside the exit's transaction,
#: so what the person had through the path ends with it (coaching imports none of them).
LEFT_PATH_HOOK = "avvio_participant_left_path"
#: The programme's clock: opening times are told in Italian time, whatever the server's zone.
PROGRAMME_TIME_ZONE = ZoneInfo("Europe/Rome")


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def followup_due_at(exit_date: datetime.date, kind: str) -> datetime.datetime:
    days, months = app_settings.FOLLOWUP_SCHEDULE[kind]
    due = add_months(exit_date, months) + datetime.timedelta(days=days)
    # 9:00 local time: reminders arrive in the morning.
    return timezone.make_aware(datetime.datetime.combine(due, datetime.time(9)))


def exit_results_check(
    *,
    exit_date: datetime.date | None,
    business_registered: bool = False,
    registration_date: datetime.date | None = None,
    legal_form: str = "",
    vat_number: str = "",
) -> str:
    """The exit's answers, checked together; returns the VAT number cleaned. The exit date is
    not in the future (a day's grace for time zones); a registered business gives its date
    and legal form; a VAT number, when given, is a valid one. The exit form shows these."""
    errors = {}
    vat_number = (vat_number or "").strip()
    if exit_date is not None and exit_date > timezone.localdate() + datetime.timedelta(days=1):
        errors["exit_date"] = _("The exit date cannot be in the future.")
    if vat_number and not vat_number_is_valid(vat_number):
        errors["vat_number"] = _("This VAT number is not valid.")
    if business_registered and not (registration_date and legal_form):
        errors["registration_date"] = _("Give the registration date and the legal form.")
    if errors:
        raise ValidationError(errors)
    return vat_number


def participant_exit(
    *,
    participant: Participant,
    by,
    exit_date: datetime.date,
    in_employment: bool = False,
    in_education: bool = False,
    gained_qualification: bool = False,
    job_searching: bool = False,
    business_registered: bool = False,
    registration_date: datetime.date | None = None,
    legal_form: str = "",
    vat_number: str = "",
    now=None,
) -> ExitRecord:
    """Record the exit with its ESF+ immediate results and schedule the follow-ups.

    One exit per participation (see ``ExitRecord``): after re-entry the person can leave
    again, and that exit and its follow-ups are numbered with the new participation. A second
    click for the same participation is refused (row lock here, unique constraint below).
    """
    now = now or timezone.now()
    vat_number = exit_results_check(
        exit_date=exit_date,
        business_registered=business_registered,
        registration_date=registration_date,
        legal_form=legal_form,
        vat_number=vat_number,
    )
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        number = participant.participation
        if ExitRecord.objects.filter(participant=participant, participation=number).exists():
            raise ValidationError(_("The exit has already been recorded."))
        if not participant.can_move_to(Participant.Status.EXITED):
            raise ValidationError(_("Only participants on the path can leave it."))
        record = ExitRecord.objects.create(
            participant=participant,
            participation=number,
            exit_date=exit_date,
            in_employment=in_employment,
            in_education=in_education,
            gained_qualification=gained_qualification,
            job_searching=job_searching,
            business_registered=business_registered,
            registration_date=registration_date if business_registered else None,
            legal_form=legal_form if business_registered else "",
            vat_number=vat_number if business_registered else "",
            recorded_by=by,
            created_at=now,
        )
        participant.status = Participant.Status.EXITED
        participant.save(update_fields=["status", "updated_at"])
        participant_log_action(
            participant=participant,
            action="coaching.exit",
            by=by,
            data={"participation": number},
            now=now,
        )
        stage_change(participant=participant, to_stage=Stage.EXIT, by=by, now=now, notify=False)
        for left_path in hooks.get_hooks(LEFT_PATH_HOOK):
            left_path(participant=participant, by=by, now=now)
        follow_ups = [
            FollowUp.objects.create(
                participant=participant,
                participation=number,
                kind=kind,
                due_at=followup_due_at(exit_date, kind),
            )
            for kind in app_settings.FOLLOWUP_SCHEDULE
        ]
        for follow_up in follow_ups:
            transaction.on_commit(lambda f=follow_up: followup_schedule(f))
    return record


def followup_opening_message(follow_up: FollowUp) -> str:
    """When the follow-up can be answered, in the reader's language and Italian time."""
    opens = timezone.localtime(follow_up.due_at, PROGRAMME_TIME_ZONE)
    return _("This follow-up opens on %(date)s at %(time)s (Italian time).") % {
        "date": formats.date_format(opens, "DATE_FORMAT"),
        "time": formats.time_format(opens, "TIME_FORMAT"),
    }


def followup_answered_message(follow_up: FollowUp) -> str:
    answered = timezone.localtime(follow_up.completed_at, PROGRAMME_TIME_ZONE)
    return _(
        "We already received the answers to this follow-up on %(date)s. They cannot be "
        "changed from here."
    ) % {"date": formats.date_format(answered, "SHORT_DATE_FORMAT")}


@transaction.atomic
def followup_complete(
    *, follow_up: FollowUp, by, situation: str, business_active, notes: str = "", now=None
) -> FollowUp:
    """Record the answers to a follow-up, from its due time on, once.

    The ESF+ longer-term result is the situation at that time: an earlier answer is refused
    (code ``not_due``), and so is a second one (code ``already_answered``), which would
    otherwise replace the first without anyone noticing. Whoever answers, person or staff.
    """
    now = now or timezone.now()
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.completed_at:
        raise ValidationError(followup_answered_message(follow_up), code="already_answered")
    if not follow_up.is_due(now):
        raise ValidationError(followup_opening_message(follow_up), code="not_due")
    follow_up.situation = situation
    follow_up.business_active = business_active
    follow_up.notes = notes
    follow_up.completed_at = now
    follow_up.completed_by = by
    follow_up.save()
    return follow_up
