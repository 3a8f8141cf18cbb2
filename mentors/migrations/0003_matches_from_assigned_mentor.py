"""Mentor assignment moves from ``coaching.Participant.assigned_mentor`` to match records.

Each participant's assigned mentor becomes a mentor profile (a minimal one, kind volunteer,
when the person has none), with an approved membership of the participant's site, and an
accepted match whose history says why it has no proposal before it. A participant no longer
on the path gets the match ended at once: the mentor had them once, and sees them no more.
Runs before coaching drops the field (``run_before``); running it twice adds nothing.
"""

from django.db import migrations
from django.utils import timezone

REASON = "assigned before mentoring records existed"
LEFT = "the participant was no longer on the path"
OPEN = ("proposed", "confirmed", "accepted")
CAPACITY_RANGE = (1, 20)  # the mentors_capacity_range constraint


def forwards(apps, schema_editor):
    Participant = apps.get_model("coaching", "Participant")
    MentorProfile = apps.get_model("mentors", "MentorProfile")
    MentorMembership = apps.get_model("mentors", "MentorMembership")
    Match = apps.get_model("mentors", "Match")
    MatchEvent = apps.get_model("mentors", "MatchEvent")
    now = timezone.now()
    assigned = Participant.objects.filter(assigned_mentor__isnull=False).order_by("pk")
    mentees = {}
    for participant in assigned.iterator():
        mentees.setdefault(participant.assigned_mentor_id, []).append(participant)
    for user_id, participants in mentees.items():
        eligible = sum(p.status == "eligible" for p in participants)
        profile, _created = MentorProfile.objects.get_or_create(
            user_id=user_id,
            defaults={
                "kind": "volunteer",
                "meeting_modes": ["in_person", "remote"],
                # Room for every mentee they already follow (within the allowed range).
                "capacity": min(max(2, eligible), CAPACITY_RANGE[1]),
            },
        )
        for participant in participants:
            MentorMembership.objects.get_or_create(
                profile=profile,
                site_id=participant.site_id,
                defaults={"status": "approved", "decided_at": now, "reason": REASON},
            )
            if Match.objects.filter(participant=participant, status__in=OPEN).exists():
                continue  # already has a match (a second run, or one made since)
            if Match.objects.filter(participant=participant, mentor=profile).exists():
                continue
            on_path = participant.status == "eligible"
            match = Match.objects.create(
                participant=participant,
                mentor=profile,
                status="accepted" if on_path else "ended",
                accepted_at=now,
                ended_at=None if on_path else now,
                end_reason="" if on_path else LEFT,
            )
            MatchEvent.objects.create(match=match, status="accepted", reason=REASON, at=now)
            if not on_path:
                MatchEvent.objects.create(match=match, status="ended", reason=LEFT, at=now)


def backwards(apps, schema_editor):
    """Put the accepted matches back in the field; the matches this migration made go."""
    Participant = apps.get_model("coaching", "Participant")
    Match = apps.get_model("mentors", "Match")
    for match in Match.objects.filter(status="accepted").select_related("mentor"):
        Participant.objects.filter(pk=match.participant_id).update(
            assigned_mentor_id=match.mentor.user_id
        )
    Match.objects.filter(events__reason=REASON).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("mentors", "0002_session_no_overlap"),
        ("coaching", "0013_structured_preferences"),
    ]
    run_before = [("coaching", "0015_remove_participant_assigned_mentor")]

    operations = [migrations.RunPython(forwards, backwards)]
