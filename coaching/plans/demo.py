"""Demo data for ``manage.py load_demo``: the default business-plan templates of the site, in
Italian and English, linked to the demo library's lessons (``resources`` loads first); the
budget rules of a demo call; and a plan well under way for the demo person in mentoring, so
every page of the workspace (canvas, sections, money, charts, versions) has something to show.

Idempotent: a language that already has a template, a call that exists and a person who
already has a plan are left as they are. Everything goes through the services, as a person's
own work would.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model

from coaching.models import Participant
from coaching.plans.models import CallRules, CategoryRule, PlanSection
from coaching.plans.selectors import default_template, plans_of
from coaching.plans.services.editing import section_save
from coaching.plans.services.finance import finance_restore
from coaching.plans.services.plans import plan_create, plan_may_start
from coaching.plans.services.templates import templates_install_defaults

#: coaching's demo puts this person in mentoring (found eligible).
PLAN_OWNER_EMAIL = "marco.demo@example.org"
CALL_NAME = "Microcredito d'avvio 2027"

CANVAS = {
    "problem": "Nel quartiere non c'è più un sarto: per un orlo si va in centro e si aspetta "
    "due settimane.",
    "customers": "Famiglie e anziani di Barriera di Milano; negozi di abbigliamento della zona.",
    "value": "Riparazioni in 48 ore sotto casa, a prezzi chiari.",
    "solution": "Laboratorio con vetrina, ritiro e consegna a domicilio per chi non esce.",
    "channels": "Passaparola, la vetrina, un profilo sui social, accordi con due negozi.",
    "revenue": "Riparazioni da 8 a 40 €, capi su misura, contratti mensili con i negozi.",
    "costs": "Affitto, macchine da cucire, materiali, commercialista.",
    "metrics": "Capi riparati a settimana; clienti che tornano.",
    "advantage": "Vent'anni di mestiere e la fiducia del quartiere.",
}

FINANCE = {
    "startup_costs": [
        {
            "category": "equipment",
            "description": "Due macchine da cucire industriali e una taglia-cuci",
            "amount": "3200.00",
            "vat_rate": "22",
            "vat_recoverable": False,
        },
        {
            "category": "equipment",
            "description": "Banco da taglio, manichini e scaffali",
            "amount": "900.00",
            "vat_rate": "22",
            "vat_recoverable": False,
        },
        {
            "category": "building_works",
            "description": "Imbiancatura e insegna della vetrina",
            "amount": "1100.00",
            "vat_rate": "10",
            "vat_recoverable": False,
        },
        {
            "category": "digital",
            "description": "Computer portatile e registratore di cassa telematico",
            "amount": "750.00",
            "vat_rate": "22",
            "vat_recoverable": False,
        },
        {
            "category": "stock",
            "description": "Filati, zip, bottoni e tessuti",
            "amount": "600.00",
            "vat_rate": "22",
            "vat_recoverable": False,
        },
        {
            "category": "registration",
            "description": "SCIA, diritti camerali e apertura della partita IVA",
            "amount": "250.00",
            "vat_rate": "0",
            "vat_recoverable": False,
        },
    ],
    "funding": [
        {"kind": "own_savings", "amount": "2700.00", "note": "Risparmi di famiglia"},
        {"kind": "microgrant", "amount": "6000.00", "note": ""},
    ],
    "running_costs": [
        {"description": "Affitto del laboratorio", "monthly_amount": "450.00", "starts_month": 1},
        {"description": "Luce, telefono e internet", "monthly_amount": "90.00", "starts_month": 1},
        {"description": "Commercialista", "monthly_amount": "60.00", "starts_month": 1},
    ],
    "forecast": {
        "monthly_revenue": [
            "700",
            "900",
            "1100",
            "1300",
            "1500",
            "1600",
            "1400",
            "900",
            "1700",
            "1800",
            "1900",
            "2200",
        ],
        "variable_cost_percent": "12",
        "growth_year2": "15",
        "growth_year3": "8",
        "coefficient": "67",
        "startup_rate": True,
        "inps_scheme": "artigiani",
        "inps_reduction": True,
    },
}


def load_call(site) -> CallRules:
    rules, created = CallRules.objects.get_or_create(
        site=site,
        name=CALL_NAME,
        defaults={"min_grant": Decimal("2000"), "max_grant": Decimal("8000")},
    )
    if created:
        CategoryRule.objects.bulk_create(
            [
                CategoryRule(rules=rules, category="vehicles", ineligible=True),
                CategoryRule(rules=rules, category="marketing", max_percent=Decimal("20")),
                CategoryRule(rules=rules, category="building_works", max_percent=Decimal("30")),
            ]
        )
    return rules


def load_plan(site, call) -> bool:
    user = get_user_model().objects.filter(email=PLAN_OWNER_EMAIL).first()
    participant = Participant.objects.filter(user=user, site=site).first() if user else None
    if not plan_may_start(participant) or plans_of(participant).exists():
        return False
    template = default_template(site, "it")
    plan = plan_create(
        participant=participant,
        by=user,
        title="Sartoria di quartiere",
        language="it",
        template=template,
        call_rules=call,
    )
    examples = {s.key: s.example for s in template.sections.all()} if template else {}
    for section in plan.sections.all():
        canvas_box = section.kind == PlanSection.Kind.CANVAS
        text = CANVAS.get(section.key, "") if canvas_box else examples.get(section.key, "")
        if text:
            section_save(
                section=section,
                text=text.strip(),
                base_revision=section.revision,
                done=True,
                by=user,
            )
    finance_restore(plan, FINANCE)
    return True


def load(*, site, home_page, users, stdout):
    made = templates_install_defaults(site=site)
    stdout.write(f"Business plans: {len(made)} default templates installed.\n")
    call = load_call(site)
    if load_plan(site, call):
        stdout.write(f"Business plans: a plan for {PLAN_OWNER_EMAIL}, aimed at “{call}”.\n")
