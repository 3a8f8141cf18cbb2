"""The mentor's review: sharing, the status flow (who may make which move, wrong moves
refused with a message, a double click moving once), its e-mails and history, comment threads,
and the access rules (the owner edits, the mentor comments and never edits, coordinators read,
everyone else and other sites get 404)."""

import uuid
from dataclasses import dataclass, field

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.log_actions import registry as log_registry

from coaching.models import Notification, StaffSiteAssignment
from coaching.plans.models import BusinessPlan, PlanComment, PlanVersion
from coaching.plans.services.review import (
    comment_add,
    comment_reopen,
    comment_reply,
    comment_resolve,
    plan_mark_ready,
    plan_move,
    plan_request_changes,
    plan_share,
    plan_submit,
    plan_unshare,
)
from tests.coaching.factories import make_participant, sign_in
from tests.factories import user_with_role
from tests.mentors.factories import make_match
from tests.plans.factories import make_plan, make_template

pytestmark = pytest.mark.django_db

Status = BusinessPlan.Status
OTHER_HOST = "altro.example.org"


@dataclass
class People:
    """A plan on the default site, its owner with an accepted mentor (not shared yet), a
    coordinator of the site, another participant, another mentor and another site's
    coordinator. Everyone reads e-mails in English."""

    plan: BusinessPlan
    owner: object
    mentor: object
    coordinator: object
    stranger: object
    other_mentor: object
    elsewhere_coordinator: object
    match: object
    _clients: dict = field(default_factory=dict)

    def client(self, who: str) -> Client:
        if who not in self._clients:
            client = Client()
            sign_in(client, getattr(self, who))
            self._clients[who] = client
        return self._clients[who]

    def refresh(self) -> BusinessPlan:
        self.plan = BusinessPlan.objects.get(pk=self.plan.pk)
        return self.plan


def make_people(*, site, other_site, shared=False) -> People:
    owner = make_participant(site=site, status="eligible")
    template = make_template(site=site, is_default=False, name="Piano review")
    plan = make_plan(participant=owner, template=template)
    match = make_match(participant=owner, site=site)
    other_match = make_match(site=site)
    coordinator = user_with_role("Coordinator", is_staff=True)
    StaffSiteAssignment.objects.create(user=coordinator, site=site)
    elsewhere = user_with_role("Coordinator", is_staff=True)
    StaffSiteAssignment.objects.create(user=elsewhere, site=other_site)
    for user in (owner.user, match.mentor.user):
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])
    if shared:
        BusinessPlan.objects.filter(pk=plan.pk).update(shared_with=match.mentor.user)
    return People(
        plan=BusinessPlan.objects.get(pk=plan.pk),
        owner=owner.user,
        mentor=match.mentor.user,
        coordinator=coordinator,
        stranger=make_participant(site=site, status="eligible").user,
        other_mentor=other_match.mentor.user,
        elsewhere_coordinator=elsewhere,
        match=match,
    )


@pytest.fixture
def people(site, other_site):
    return make_people(site=site, other_site=other_site)


@pytest.fixture
def shared(site, other_site):
    return make_people(site=site, other_site=other_site, shared=True)


def _steps(plan) -> list[str]:
    return list(
        log_registry.get_logs_for_instance(plan)
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )


def _url(plan, tail=""):
    return f"/en/plans/{plan.pk}/{tail}"


# --- Sharing ------------------------------------------------------------------------------


def test_sharing_without_a_mentor_is_refused_in_words(site):
    plan = make_plan()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        plan_share(plan=plan, by=plan.participant.user)
    assert "You have no mentor yet" in error.value.messages[0]
    plan.refresh_from_db()
    assert plan.shared_with is None


def test_the_owner_shares_with_their_mentor_who_hears_of_it_once(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _plan, shared = plan_share(plan=people.plan, by=people.owner)
    with django_capture_on_commit_callbacks(execute=True):
        _plan, again = plan_share(plan=people.plan, by=people.owner)
    assert (shared, again) == (True, False)
    assert people.refresh().shared_with == people.mentor
    assert [m.to for m in mailoutbox] == [[people.mentor.email]]
    assert "shared a business plan with you" in mailoutbox[0].subject
    assert f"/en/plans/{people.plan.pk}/" in mailoutbox[0].body
    assert _steps(people.plan).count("plans.share") == 1


def test_only_the_owner_shares_and_unshares(people):
    for who in (people.mentor, people.coordinator, people.stranger):
        with pytest.raises(PermissionDenied):
            plan_share(plan=people.plan, by=who)
    plan_share(plan=people.plan, by=people.owner)
    with pytest.raises(PermissionDenied):
        plan_unshare(plan=people.plan, by=people.mentor)
    plan_unshare(plan=people.plan, by=people.owner)
    assert people.refresh().shared_with is None
    assert people.client("mentor").get(_url(people.plan)).status_code == 404


def test_the_share_button_on_the_overview(people):
    client = people.client("owner")
    page = client.get(_url(people.plan)).content.decode()
    assert "Share with my mentor" in page
    response = client.post(_url(people.plan, "share/"))
    assert response.status_code == 302
    assert people.refresh().shared_with == people.mentor
    assert "Shared with your mentor" in client.get(_url(people.plan)).content.decode()


def test_the_share_button_without_a_mentor_says_why(site):
    plan = make_plan()
    client = Client()
    client.force_login(plan.participant.user)
    assert "You have no mentor yet" in client.get(_url(plan)).content.decode()
    response = client.post(_url(plan, "share/"), follow=True)
    assert "You have no mentor yet, so there is nobody" in response.content.decode()


# --- The status flow ------------------------------------------------------------------------


def test_submitting_shares_keeps_a_version_tells_the_mentor_and_a_second_click_moves_nothing(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    client = people.client("owner")
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(_url(people.plan, "review/submit/"))
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(_url(people.plan, "review/submit/"))
    assert (first.status_code, second.status_code) == (302, 302)
    plan = people.refresh()
    assert (plan.status, plan.shared_with) == (Status.SUBMITTED, people.mentor)
    assert list(plan.versions.values_list("number", "reason")) == [(1, "submitted")]
    subjects = [m.subject for m in mailoutbox]
    assert len([s for s in subjects if "asks you to review" in s]) == 1
    assert all(m.to == [people.mentor.email] for m in mailoutbox)
    assert _steps(plan).count("plans.submit") == 1


def test_the_mentor_asks_for_changes_with_a_message_and_the_owner_is_told(
    shared, mailoutbox, django_capture_on_commit_callbacks
):
    plan_submit(plan=shared.plan, by=shared.owner)
    client = shared.client("mentor")
    page = client.get(_url(shared.plan)).content.decode()
    assert "Ask for changes" in page and "Mark ready" in page
    empty = client.post(_url(shared.plan, "review/changes/"), {"message": "  "})
    assert empty.status_code == 400
    assert "Write what should change" in empty.content.decode()
    long = "x" * 9000
    too_long = client.post(_url(shared.plan, "review/changes/"), {"message": long})
    assert too_long.status_code == 400
    assert long in too_long.content.decode()  # kept as typed
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            _url(shared.plan, "review/changes/"), {"message": "Il mercato è troppo vago."}
        )
    assert done.status_code == 302
    assert shared.refresh().status == Status.CHANGES_REQUESTED
    assert [m.to for m in mailoutbox] == [[shared.owner.email]]
    assert "asks for changes" in mailoutbox[0].subject
    assert "troppo vago" not in mailoutbox[0].body  # e-mails carry no content
    assert (
        Notification.objects.filter(user=shared.owner, subject__contains="asks for changes").count()
        == 1
    )
    overview = shared.client("owner").get(_url(shared.plan)).content.decode()
    assert "Il mercato è troppo vago." in overview
    assert "Submit for review" in overview


def test_the_mentor_marks_ready_and_the_owner_reopens(
    shared, mailoutbox, django_capture_on_commit_callbacks
):
    plan_submit(plan=shared.plan, by=shared.owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = shared.client("mentor").post(_url(shared.plan, "review/ready/"))
    assert response.status_code == 302
    assert shared.refresh().status == Status.READY
    assert mailoutbox[-1].to == [shared.owner.email]
    assert "is ready" in mailoutbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        shared.client("owner").post(_url(shared.plan, "review/reopen/"))
    assert shared.refresh().status == Status.DRAFT
    assert mailoutbox[-1].to == [shared.mentor.email]
    assert _steps(shared.plan)[-3:] == ["plans.submit", "plans.ready", "plans.reopen"]


def test_the_owner_withdraws_a_submission_and_may_edit_again(
    shared, mailoutbox, django_capture_on_commit_callbacks
):
    plan_submit(plan=shared.plan, by=shared.owner)
    with django_capture_on_commit_callbacks(execute=True):
        shared.client("owner").post(_url(shared.plan, "review/withdraw/"))
    plan = shared.refresh()
    assert plan.status == Status.DRAFT and plan.is_editable
    assert "withdrew" in mailoutbox[-1].subject


@pytest.mark.parametrize(
    ("who", "move"),
    [
        ("owner", "ready"),
        ("owner", "request_changes"),
        ("mentor", "submit"),
        ("mentor", "withdraw"),
        ("mentor", "reopen"),
        ("coordinator", "ready"),
        ("stranger", "submit"),
        ("other_mentor", "ready"),
    ],
)
def test_a_move_by_the_wrong_person_is_refused(shared, who, move):
    plan_submit(plan=shared.plan, by=shared.owner)
    with pytest.raises(PermissionDenied):
        plan_move(plan=shared.plan, by=getattr(shared, who), move=move, message="Nota")
    assert shared.refresh().status == Status.SUBMITTED


def test_a_move_the_status_does_not_allow_is_refused_with_a_message(shared):
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            plan_mark_ready(plan=shared.plan, by=shared.mentor)
        assert "it can be marked ready only while it waits for your review" in str(error.value)
        with pytest.raises(ValidationError):
            plan_move(plan=shared.plan, by=shared.mentor, move="request_changes", message="Nota")
    response = shared.client("mentor").post(_url(shared.plan, "review/ready/"), follow=True)
    assert "can be marked ready only while" in response.content.decode()
    assert shared.refresh().status == Status.DRAFT


def test_the_wrong_person_posting_a_move_gets_a_404(shared):
    plan_submit(plan=shared.plan, by=shared.owner)
    for who in ("owner", "coordinator", "stranger", "elsewhere_coordinator"):
        assert shared.client(who).post(_url(shared.plan, "review/ready/")).status_code == 404
    assert (
        shared.client("coordinator")
        .post(_url(shared.plan, "review/changes/"), {"message": "No"})
        .status_code
        == 404
    )
    assert shared.refresh().status == Status.SUBMITTED


def test_submitting_again_after_changes_keeps_a_second_version(shared):
    plan_submit(plan=shared.plan, by=shared.owner)
    plan_request_changes(plan=shared.plan, by=shared.mentor, message="Più numeri")
    _plan, moved = plan_submit(plan=shared.plan, by=shared.owner)
    assert moved
    assert list(shared.plan.versions.order_by("number").values_list("reason", flat=True)) == [
        "submitted",
        "submitted",
    ]


def test_nobody_with_an_invalid_address_gets_an_email(
    shared, mailoutbox, django_capture_on_commit_callbacks
):
    shared.owner.email = "amina@assisted.invalid"
    shared.owner.save(update_fields=["email"])
    plan_submit(plan=shared.plan, by=shared.owner)
    with django_capture_on_commit_callbacks(execute=True):
        plan_request_changes(plan=shared.plan, by=shared.mentor, message="Più numeri")
    assert mailoutbox == []
    assert (
        Notification.objects.filter(user=shared.owner, subject__contains="asks for changes").count()
        == 1
    )  # on the dashboard


def test_a_notice_whose_plan_moved_on_meanwhile_is_not_sent(
    shared, mailoutbox, django_capture_on_commit_callbacks
):
    from coaching.plans.services.notify import review_notice_send

    plan_submit(plan=shared.plan, by=shared.owner)
    plan_move(plan=shared.plan, by=shared.owner, move="withdraw")
    assert review_notice_send(plan_id=shared.plan.pk, event="submit") == 0
    assert mailoutbox == []


def test_the_history_page_says_who_did_what_and_when(shared):
    plan_submit(plan=shared.plan, by=shared.owner)
    plan_request_changes(plan=shared.plan, by=shared.mentor, message="Più numeri")
    for who in ("owner", "mentor", "coordinator"):
        response = shared.client(who).get(_url(shared.plan, "history/"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Submitted for review (version 1)" in page
        assert "Changes asked for" in page
        assert "Plan started" in page
        assert shared.plan.participant.greeting_name in page
        assert shared.owner.email not in page
    for who in ("stranger", "other_mentor", "elsewhere_coordinator"):
        assert shared.client(who).get(_url(shared.plan, "history/")).status_code == 404


# --- Comments -----------------------------------------------------------------------------


def _section(plan, key="market"):
    return plan.sections.get(kind="section", key=key)


def _comment(client, plan, body, key=None, section="market"):
    return client.post(
        _url(plan, f"sections/{section}/comments/"),
        {"comment-body": body, "comment-form_key": str(key or uuid.uuid4())},
    )


def test_the_mentor_comments_the_owner_replies_in_one_thread_and_resolves_it(
    shared, mailoutbox, django_capture_on_commit_callbacks
):
    key = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = _comment(shared.client("mentor"), shared.plan, "Chi sono i clienti?", key)
        again = _comment(shared.client("mentor"), shared.plan, "Chi sono i clienti?", key)
    assert (first.status_code, again.status_code) == (302, 302)
    thread = PlanComment.objects.get()
    assert first["Location"].endswith(f"#comment-{thread.pk}")
    assert [m.to for m in mailoutbox] == [[shared.owner.email]]
    assert "A new comment" in mailoutbox[0].subject
    assert "Chi sono i clienti?" not in mailoutbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        reply = shared.client("owner").post(
            _url(shared.plan, f"comments/{thread.pk}/reply/"),
            {
                f"reply-{thread.pk}-body": "Famiglie del quartiere",
                f"reply-{thread.pk}-form_key": str(uuid.uuid4()),
            },
        )
    assert reply.status_code == 302
    assert mailoutbox[-1].to == [shared.mentor.email]
    answer = PlanComment.objects.get(parent=thread)
    # A reply to a reply joins the same thread: threads are one level deep.
    nested, _created = comment_reply(comment=answer, by=shared.mentor, body="Quante?")
    assert nested.parent_id == thread.pk

    page = shared.client("owner").get(_url(shared.plan, "sections/market/")).content.decode()
    assert page.index("Chi sono i clienti?") < page.index("Famiglie del quartiere")
    assert page.index("Famiglie del quartiere") < page.index("Quante?")

    shared.client("owner").post(_url(shared.plan, f"comments/{thread.pk}/resolve/"))
    thread.refresh_from_db()
    assert thread.resolved_at is not None and thread.resolved_by == shared.owner
    assert (
        "1 resolved comment"
        in shared.client("mentor").get(_url(shared.plan, "sections/market/")).content.decode()
    )
    shared.client("mentor").post(
        _url(shared.plan, f"comments/{thread.pk}/resolve/"), {"reopen": "1"}
    )
    thread.refresh_from_db()
    assert thread.resolved_at is None
    assert "plans.comment_resolve" in _steps(shared.plan)
    assert "plans.comment_reopen" in _steps(shared.plan)


def test_only_threads_resolve(shared):
    thread, _ = comment_add(
        plan=shared.plan, section=_section(shared.plan), by=shared.mentor, body="A"
    )
    reply, _ = comment_reply(comment=thread, by=shared.owner, body="B")
    with pytest.raises(ValidationError):
        comment_resolve(comment=reply, by=shared.owner)
    _thread, changed = comment_resolve(comment=thread, by=shared.owner)
    _thread, again = comment_resolve(comment=thread, by=shared.owner)
    assert (changed, again) == (True, False)
    _thread, reopened = comment_reopen(comment=thread, by=shared.mentor)
    assert reopened


def test_an_empty_or_too_long_comment_is_refused_and_kept_as_typed(shared):
    empty = _comment(shared.client("mentor"), shared.plan, "   ")
    assert empty.status_code == 400
    assert "Write your comment before sending it." in empty.content.decode()
    long = "parola " * 700
    too_long = _comment(shared.client("mentor"), shared.plan, long)
    assert too_long.status_code == 400
    page = too_long.content.decode()
    assert "A comment can be at most 4000 characters long" in page
    assert long.strip() in page
    assert not PlanComment.objects.exists()


def test_html_in_a_comment_is_shown_as_text(shared):
    comment_add(
        plan=shared.plan,
        section=_section(shared.plan),
        by=shared.mentor,
        body="<script>alert(1)</script>",
    )
    page = shared.client("owner").get(_url(shared.plan, "sections/market/")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_coordinators_read_comments_but_do_not_write(shared):
    comment_add(plan=shared.plan, section=_section(shared.plan), by=shared.mentor, body="Letto")
    thread = PlanComment.objects.get()
    client = shared.client("coordinator")
    page = client.get(_url(shared.plan, "sections/market/"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Letto" in html
    assert "Write a comment on this section" not in html
    assert "Mark as resolved" not in html
    assert _comment(client, shared.plan, "Intruso").status_code == 404
    assert client.post(_url(shared.plan, f"comments/{thread.pk}/resolve/")).status_code == 404
    with pytest.raises(PermissionDenied):
        comment_add(
            plan=shared.plan, section=_section(shared.plan), by=shared.coordinator, body="No"
        )
    assert not PlanComment.objects.filter(body__in=("Intruso", "No")).exists()


@pytest.mark.parametrize("who", ("stranger", "other_mentor", "elsewhere_coordinator"))
def test_anyone_else_neither_reads_nor_writes_comments(shared, who):
    comment_add(plan=shared.plan, section=_section(shared.plan), by=shared.mentor, body="Segreto")
    client = shared.client(who)
    response = client.get(_url(shared.plan, "sections/market/"))
    assert response.status_code == 404
    assert "Segreto" not in response.content.decode()
    assert _comment(client, shared.plan, "Intruso").status_code == 404
    with pytest.raises(PermissionDenied):
        comment_add(
            plan=shared.plan, section=_section(shared.plan), by=getattr(shared, who), body="No"
        )


def test_a_comment_key_of_someone_else_is_not_theirs(shared):
    key = uuid.uuid4()
    comment_add(
        plan=shared.plan, section=_section(shared.plan), by=shared.mentor, body="A", form_key=key
    )
    with pytest.raises(PermissionDenied):
        comment_add(
            plan=shared.plan, section=_section(shared.plan), by=shared.owner, body="B", form_key=key
        )


# --- The mentor never edits; an ended match ends the access ---------------------------------


def test_the_mentor_comments_but_never_edits(shared):
    client = shared.client("mentor")
    section = _section(shared.plan)
    page = client.get(_url(shared.plan, "sections/market/")).content.decode()
    assert 'id="section-form"' not in page
    assert "Write a comment on this section" in page
    response = client.post(
        _url(shared.plan, "sections/market/"), {"text": "Riscritto", "revision": 0}
    )
    assert response.status_code == 404
    assert client.post(_url(shared.plan, "settings/"), {"title": "Mio"}).status_code == 404
    assert client.post(_url(shared.plan, "versions/"), {"label": "x"}).status_code == 404
    assert client.post(_url(shared.plan, "share/")).status_code == 404
    section.refresh_from_db()
    assert section.text == ""
    assert not shared.plan.versions.exists()


def test_once_the_match_ends_the_mentor_loses_access(shared):
    from mentors.models import Match

    comment_add(plan=shared.plan, section=_section(shared.plan), by=shared.mentor, body="Prima")
    Match.objects.filter(pk=shared.match.pk).update(status=Match.Status.ENDED)
    client = shared.client("mentor")
    for tail in ("", "sections/market/", "versions/", "history/"):
        assert client.get(_url(shared.plan, tail)).status_code == 404, tail
    assert _comment(client, shared.plan, "Dopo").status_code == 404
    with pytest.raises(PermissionDenied):
        comment_add(plan=shared.plan, section=_section(shared.plan), by=shared.mentor, body="No")
    with pytest.raises(PermissionDenied):
        plan_move(plan=shared.plan, by=shared.mentor, move="ready")


def test_a_plan_is_not_reviewed_through_another_site(shared):
    plan_submit(plan=shared.plan, by=shared.owner)
    response = shared.client("mentor").post(
        _url(shared.plan, "review/ready/"), HTTP_HOST=OTHER_HOST
    )
    assert response.status_code == 404
    assert shared.refresh().status == Status.SUBMITTED


def _section_queries(site, other_site, threads: int) -> int:
    people = make_people(site=site, other_site=other_site, shared=True)
    section = _section(people.plan)
    for n in range(threads):
        thread, _ = comment_add(plan=people.plan, section=section, by=people.mentor, body=f"T{n}")
        comment_reply(comment=thread, by=people.owner, body=f"R{n}")
    client = people.client("mentor")
    client.get(_url(people.plan, "sections/market/"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(people.plan, "sections/market/")).status_code == 200
    return len(queries)


def test_the_section_page_makes_as_many_queries_for_six_threads_as_for_one(site, other_site):
    assert _section_queries(site, other_site, 1) == _section_queries(site, other_site, 6)


def test_the_versions_of_a_submission_are_plan_versions(shared):
    plan_submit(plan=shared.plan, by=shared.owner)
    version = PlanVersion.objects.get(plan=shared.plan)
    assert version.reason == PlanVersion.Reason.SUBMITTED
    assert version.created_by == shared.owner
