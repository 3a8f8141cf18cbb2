"""Demo data for ``manage.py load_demo``: two grant calls on the demo site, so that every
step of a microgrant can be clicked through against the offline fake Stripe (``make run``).

- "Microcredito d'avvio 2026", closed: Marco (the plans demo's person) was awarded a grant
  and accepted it; its first tranche is due. He opens his payout account on the fake's
  hosted onboarding, the coordinator requests the payment, the finance officer approves and
  pays it, Marco reports his expenses and the coordinator checks them.
- "Microcredito d'avvio 2027", open: Amina's application waits for the demo evaluator, who
  first declares no conflict of interest; the call is open for the demo participant too.

Idempotent: calls that exist are left as they are. The people's steps go through the
services; the one shortcut is marking the plans ready (the mentor's review is the plans'
demo's business).
"""

import datetime
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.models import Locale

from coaching.conf import app_settings
from coaching.grants.agreement import agreement_sha256
from coaching.grants.models import (
    CallQuestion,
    GrantCallPage,
    GrantCriterion,
    RequiredDocument,
    TrancheRule,
)
from coaching.grants.services import applications, awards, evaluation
from coaching.models import Participant, StaffSiteAssignment
from coaching.plans.demo import CALL_NAME, FINANCE, PLAN_OWNER_EMAIL
from coaching.plans.models import BusinessPlan, CallRules
from coaching.plans.selectors import default_template, plans_of
from coaching.plans.services.finance import finance_restore
from coaching.plans.services.plans import plan_create
from coaching.roles import COORDINATOR, EVALUATOR

SECOND_APPLICANT_EMAIL = "amina.demo@example.org"

CRITERIA = (
    ("Fattibilità del piano", "Conti realistici, costi e ricavi motivati.", "40"),
    ("Competenze", "Esperienza e formazione per questo lavoro.", "30"),
    ("Impatto sul quartiere", "Lavoro in regola, servizi che mancano, transizione verde.", "30"),
)
FAQS = (
    (
        "Chi può partecipare?",
        "<p>Chi segue il percorso Avvio e ha un piano d'impresa che il mentore ha segnato "
        "come pronto.</p>",
    ),
    (
        "Come ricevo il contributo?",
        "<p>Con un bonifico su un conto a tuo nome: apri il conto dei pagamenti sulla pagina "
        "sicura di Stripe, poi il Comune paga il 70% alla firma e il 30% dopo il rendiconto "
        "delle spese.</p>",
    ),
)


def _call(site, rules, *, title, slug, opens_at, closes_at) -> GrantCallPage:
    existing = GrantCallPage.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    call = GrantCallPage(
        title=title,
        slug=slug,
        locale=Locale.get_default(),
        intro=(
            "Un contributo a fondo perduto da 2.000 a 8.000 € per avviare la tua impresa, "
            "pagato in due rate."
        ),
        body="<p>Il Comune sostiene chi apre un'attività in regola dopo il percorso Avvio.</p>",
        rules=rules,
        budget=Decimal("40000"),
        opens_at=opens_at,
        closes_at=closes_at,
    )
    for order, (name, description, weight) in enumerate(CRITERIA):
        call.criteria.add(
            GrantCriterion(
                name=name, description=description, weight=Decimal(weight), sort_order=order
            )
        )
    call.tranche_rules.add(TrancheRule(percent=Decimal("70"), condition="on_award", sort_order=0))
    call.tranche_rules.add(
        TrancheRule(percent=Decimal("30"), condition="after_expenses", sort_order=1)
    )
    call.required_documents.add(
        RequiredDocument(
            name="Documento d'identità",
            help_text="Fronte e retro, in PDF o foto.",
            sort_order=0,
        )
    )
    for order, (question, answer) in enumerate(FAQS):
        call.faqs.add(CallQuestion(question=question, answer=answer, sort_order=order))
    site.root_page.add_child(instance=call)
    call.save_revision().publish()
    return call


def _ready_plan(participant: Participant, rules: CallRules, title: str) -> BusinessPlan:
    plan = plans_of(participant).first()
    if plan is None:
        plan = plan_create(
            participant=participant,
            by=participant.user,
            title=title,
            language="it",
            template=default_template(participant.site, "it"),
            call_rules=rules,
        )
        finance_restore(plan, FINANCE)
    # The demo's shortcut: the mentor's review is the plans demo's business.
    BusinessPlan.objects.filter(pk=plan.pk).update(status=BusinessPlan.Status.READY)
    plan.refresh_from_db()
    return plan


#: A one-page PDF standing for the scanned ID (the upload checks the content, not the name).
DEMO_ID_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _submitted(call, plan, user):
    application = applications.application_start(call=call, plan=plan, by=user)
    if application.status != application.Status.DRAFT:
        return application
    applications.document_add(
        application=application,
        requirement=call.required_documents.first(),
        upload=SimpleUploadedFile("documento.pdf", DEMO_ID_PDF, content_type="application/pdf"),
        by=user,
    )
    application, _ = applications.application_save(
        application=application,
        by=user,
        data={
            "project_summary": "Un laboratorio di sartoria che ripara, riusa e insegna.",
            "declares_truthful": True,
            "de_minimis_received": Decimal("0"),
            "de_minimis_declared": True,
        },
        revision=application.revision,
    )
    application, _ = applications.application_submit(application=application, by=user)
    return application


def _close(call: GrantCallPage, now) -> None:
    """The 2026 call's window ends: it was open while its applications came in."""
    call.opens_at = now - datetime.timedelta(days=120)
    call.closes_at = now - datetime.timedelta(days=60)
    call.save_revision().publish()


def load(*, site, home_page, users, stdout):
    rules = CallRules.objects.filter(site=site, name=CALL_NAME).first()
    coordinator, evaluator = users.get(COORDINATOR), users.get(EVALUATOR)
    if rules is None or coordinator is None or evaluator is None:
        return
    now = timezone.now()
    closed = _call(
        site,
        rules,
        title="Microcredito d'avvio 2026",
        slug="microcredito-2026",
        opens_at=now - datetime.timedelta(days=120),
        closes_at=now + datetime.timedelta(days=1),
    )
    open_call = _call(
        site,
        rules,
        title="Microcredito d'avvio 2027",
        slug="microcredito-2027",
        opens_at=now - datetime.timedelta(days=2),
        closes_at=now + datetime.timedelta(days=45),
    )
    User = get_user_model()
    people = {
        email: Participant.objects.filter(user__email=email, site=site).first()
        for email in (PLAN_OWNER_EMAIL, SECOND_APPLICANT_EMAIL)
    }
    marco, amina = people[PLAN_OWNER_EMAIL], people[SECOND_APPLICANT_EMAIL]
    second_evaluator, _ = User.objects.get_or_create(
        email="valutazione2@avvio.example",
        defaults={"first_name": "Davide", "last_name": "Greco", "is_staff": True},
    )
    if marco is not None:
        # The beneficiary signs in to onboard and report expenses (the README says how).
        marco.user.set_password(settings.AVVIO_DEMO_PASSWORD)
        marco.user.save(update_fields=["password"])
        _email_verified(marco.user)
    if marco is not None and not hasattr(marco, "payee_account"):
        application = _submitted(
            closed, _ready_plan(marco, rules, "Sartoria di quartiere"), marco.user
        )
        if application.status == application.Status.SUBMITTED:
            # Evaluated by the demo evaluator and a colleague, then awarded and accepted.
            for person in (evaluator, second_evaluator):
                _evaluated(application, person, coordinator)
            award, _ = awards.award_grant(
                application=application, amount=Decimal("6000.00"), by=coordinator
            )
            awards.award_accept(
                award=award,
                signed_name=marco.user.get_full_name(),
                fingerprint=agreement_sha256(award),
                by=marco.user,
            )
        stdout.write(f"Grants: {PLAN_OWNER_EMAIL} holds an accepted grant of “{closed}”.\n")
    if closed.window(now) == GrantCallPage.Window.OPEN:
        _close(closed, now)
    if amina is not None:
        application = _submitted(
            open_call, _ready_plan(amina, rules, "Cucina etnica da asporto"), amina.user
        )
        evaluation.assignment_create(application=application, evaluator=evaluator, by=coordinator)
        stdout.write(f"Grants: {SECOND_APPLICANT_EMAIL}'s application waits for the evaluator.\n")


def _email_verified(user) -> None:
    """The host's sign-in (allauth, when installed) asks for a verified address first."""
    if apps.is_installed("allauth.account"):
        apps.get_model("account", "EmailAddress").objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )


def _evaluated(application, person, coordinator) -> None:
    """``person`` evaluates for the site, declares no conflict and scores every criterion."""
    person.groups.add(Group.objects.get(name=app_settings.EVALUATOR_GROUP))
    StaffSiteAssignment.objects.get_or_create(user=person, site_id=application.site_id)
    assignment, _ = evaluation.assignment_create(
        application=application, evaluator=person, by=coordinator
    )
    if assignment.submitted_at is not None:
        return
    evaluation.assignment_declare(assignment=assignment, conflict=False, by=person)
    criteria = evaluation.criteria_of(application.call_id)
    evaluation.evaluation_save(
        assignment=assignment,
        scores={c.pk: (8, "Motivato nel piano e nel colloquio.") for c in criteria},
        comment="Progetto solido, conti prudenti.",
        submit=True,
        by=person,
    )
