"""The coordinator's view of mentoring in the Wagtail admin, per site of theirs.

Mentor load against capacity, participants on the path without a mentor and for how long,
proposals waiting, sessions and hours held per month, the no-show rate, feedback averages, and
the minutes held per participant per month: the evidence of the coaching delivered, also as a
CSV file (cells made safe by ``coaching.exports.spreadsheet_safe``; each download is in the
access log, like the participant list's). Scoped by the one site rule
(``coaching.selectors.staff_site_ids``): another site's coordinator sees nothing of it.
"""

import csv
import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Max, Q, Sum
from django.db.models.functions import TruncMonth
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Site

from coaching.exports import spreadsheet_safe
from coaching.models import AccessLog, Participant
from coaching.selectors import StaffRole, can_manage_participants, scope_to_sites
from coaching.services.audit import access_log_record
from mentors.models import Match, Session, SessionFeedback
from mentors.selectors import approved_mentors

ROLE = StaffRole.COORDINATOR
#: The statuses of a session that was due and either happened or not: the no-show rate's base.
DUE = (Session.Status.HELD, Session.Status.NO_SHOW)


@dataclass
class MentorLoad:
    mentor: object
    open_matches: int
    capacity: int

    @property
    def full(self) -> bool:
        return self.open_matches >= self.capacity


@dataclass
class Waiting:
    participant: Participant
    since: datetime.datetime
    days: int


@dataclass
class Month:
    month: datetime.date
    held: int = 0
    no_shows: int = 0
    minutes: int = 0
    feedback_count: int = 0
    feedback_average: float | None = None

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def no_show_rate(self) -> int | None:
        """The share (in %) of the sessions due that the participant did not come to."""
        due = self.held + self.no_shows
        return round(100 * self.no_shows / due) if due else None


@dataclass
class MinutesRow:
    participant: Participant
    month: datetime.date
    sessions: int
    minutes: int


@dataclass
class SiteReport:
    site: Site
    year: int
    mentors: list[MentorLoad] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)
    pending: list[Match] = field(default_factory=list)
    months: list[Month] = field(default_factory=list)
    minutes: list[MinutesRow] = field(default_factory=list)

    @property
    def total(self) -> Month:
        """The year's figures (the feedback average weighs every answer the same)."""
        total = Month(month=datetime.date(self.year, 1, 1))
        answers = 0.0
        for month in self.months:
            total.held += month.held
            total.no_shows += month.no_shows
            total.minutes += month.minutes
            total.feedback_count += month.feedback_count
            answers += (month.feedback_average or 0) * month.feedback_count
        if total.feedback_count:
            total.feedback_average = round(answers / total.feedback_count, 1)
        return total


# --- Reads ------------------------------------------------------------------------------------


def report_sites(user):
    """The sites whose mentoring the user may see as coordinator."""
    return scope_to_sites(user, Site.objects.all(), role=ROLE, site_lookup="pk").order_by(
        "site_name", "pk"
    )


def _month(value) -> datetime.date:
    return value.date().replace(day=1) if isinstance(value, datetime.datetime) else value


def mentor_loads(site: Site) -> list[MentorLoad]:
    """Every approved mentor of the site with their open matches (on every site: capacity is
    the mentor's, whichever municipality the mentees come from)."""
    mentors = (
        approved_mentors(site.pk)
        .prefetch_related(None)
        .annotate(
            open_matches=Count("matches", filter=Q(matches__status__in=Match.OPEN), distinct=True)
        )
    )
    return [MentorLoad(mentor=m, open_matches=m.open_matches, capacity=m.capacity) for m in mentors]


def participants_waiting(site: Site, *, today: datetime.date) -> list[Waiting]:
    """Participants on the path with no open match, the longest waiting first: since they
    were found eligible, or since their last match ended or was declined if that came later."""
    people = (
        Participant.objects.filter(site=site, status=Participant.Status.ELIGIBLE)
        .exclude(mentor_matches__status__in=Match.OPEN)
        .annotate(last_ended=Max("mentor_matches__ended_at"))
        .select_related("user")
    )
    waiting = []
    for person in people:
        moments = [d for d in (person.decided_at, person.last_ended) if d is not None]
        since = max(moments) if moments else person.created_at
        waiting.append(
            Waiting(participant=person, since=since, days=(today - timezone.localdate(since)).days)
        )
    return sorted(waiting, key=lambda w: (w.since, w.participant.pk))


def pending_proposals(site: Site) -> list[Match]:
    return list(
        Match.objects.filter(
            participant__site=site, status__in=(Match.Status.PROPOSED, Match.Status.CONFIRMED)
        )
        .select_related("participant__user", "mentor__user")
        .order_by("created_at", "pk")
    )


def _sessions_of(site: Site, year: int):
    return Session.objects.filter(participant__site=site, starts_at__year=year)


def months_of(site: Site, year: int) -> list[Month]:
    """Sessions held and missed, minutes held and feedback, per month of ``year`` (in the
    site's time zone), the months with any of them only."""
    months: dict[datetime.date, Month] = {}
    rows = (
        _sessions_of(site, year)
        .filter(status__in=DUE)
        .annotate(month=TruncMonth("starts_at"))
        .values("month", "status")
        .annotate(count=Count("pk"), minutes=Sum("minutes_held"))
    )
    for row in rows:
        month = months.setdefault(_month(row["month"]), Month(month=_month(row["month"])))
        if row["status"] == Session.Status.HELD:
            month.held += row["count"]
            month.minutes += row["minutes"] or 0
        else:
            month.no_shows += row["count"]
    feedback = (
        SessionFeedback.objects.filter(
            session__participant__site=site, session__starts_at__year=year
        )
        .annotate(month=TruncMonth("session__starts_at"))
        .values("month")
        .annotate(count=Count("pk"), average=Avg("useful"))
    )
    for row in feedback:
        month = months.setdefault(_month(row["month"]), Month(month=_month(row["month"])))
        month.feedback_count = row["count"]
        month.feedback_average = round(row["average"], 1)
    return [months[key] for key in sorted(months)]


def minutes_per_participant(site: Site, year: int) -> list[MinutesRow]:
    """The minutes of the sessions held, per participant and month: the evidence."""
    rows = list(
        _sessions_of(site, year)
        .filter(status=Session.Status.HELD)
        .annotate(month=TruncMonth("starts_at"))
        .values("participant_id", "month")
        .annotate(sessions=Count("pk"), minutes=Sum("minutes_held"))
    )
    people = Participant.objects.select_related("user").in_bulk(
        {row["participant_id"] for row in rows}
    )
    result = [
        MinutesRow(
            participant=people[row["participant_id"]],
            month=_month(row["month"]),
            sessions=row["sessions"],
            minutes=row["minutes"] or 0,
        )
        for row in rows
    ]
    return sorted(result, key=lambda r: (r.participant.reference, r.month))


def site_report(site: Site, *, year: int, today: datetime.date) -> SiteReport:
    return SiteReport(
        site=site,
        year=year,
        mentors=mentor_loads(site),
        waiting=participants_waiting(site, today=today),
        pending=pending_proposals(site),
        months=months_of(site, year),
        minutes=minutes_per_participant(site, year),
    )


# --- Views ------------------------------------------------------------------------------------


def _year(request, today) -> int:
    value = request.GET.get("year", "")
    if value.isdigit() and 2000 <= int(value) <= today.year + 1:
        return int(value)
    return today.year


def report(request):
    """The report page; ``?format=csv&site=<pk>`` downloads one site's minutes."""
    if not can_manage_participants(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    year = _year(request, today)
    sites = list(report_sites(request.user))
    if request.GET.get("format") == "csv":
        site = next((s for s in sites if str(s.pk) == request.GET.get("site")), None)
        if site is None:
            raise PermissionDenied
        return _minutes_csv(request, site, year)
    return TemplateResponse(
        request,
        "mentors/admin/report.html",
        {
            "reports": [site_report(site, year=year, today=today) for site in sites],
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
            "page_title": _("Mentoring report"),
            "header_icon": "table",
        },
    )


def _minutes_csv(request, site: Site, year: int) -> HttpResponse:
    rows = minutes_per_participant(site, year)
    access_log_record(
        actor=request.user,
        participant=None,
        action=AccessLog.Action.EXPORT_PARTICIPANTS,
        details={
            "format": "csv",
            "rows": len(rows),
            "report": "mentoring_minutes",
            "filters": {
                "site": {"value": str(site.pk), "label": site.site_name},
                "year": {"value": str(year), "label": str(year)},
            },
        },
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mentoring-minutes-{year}.csv"'
    writer = csv.writer(response)
    headings = [
        _("Municipality"),
        _("Reference"),
        _("Name"),
        _("Month"),
        _("Sessions held"),
        _("Minutes held"),
    ]
    writer.writerow([spreadsheet_safe(str(h)) for h in headings])
    for row in rows:
        writer.writerow(
            [
                spreadsheet_safe(value)
                for value in (
                    site.site_name,
                    row.participant.reference,
                    row.participant.full_name,
                    row.month.strftime("%Y-%m"),
                    row.sessions,
                    row.minutes,
                )
            ]
        )
    return response


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("mentoring/report/", report, name="mentors_report")]
