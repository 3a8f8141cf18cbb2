"""The financial model's inputs: start-up costs, funding, running costs and the forecast.

The figures are computed from these by ``coaching.plans.financials`` (pure, Decimal only).
Start-up cost lines are the budget lines a grant application takes over.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MONEY_DIGITS = 12
#: No line of a microgrant plan comes near this: a larger figure is a typing mistake.
MAX_AMOUNT = Decimal("1000000.00")
money_validators = [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_AMOUNT)]
percent_validators = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
growth_validators = [MinValueValidator(Decimal("-100")), MaxValueValidator(Decimal("1000"))]
DESCRIPTION_MAX_LENGTH = 200


class BudgetCategory(models.TextChoices):
    """Kinds of start-up cost, as grant calls name them in their rules."""

    BUILDING_WORKS = "building_works", _("Building works and fittings")
    EQUIPMENT = "equipment", _("Machinery, tools and furniture")
    DIGITAL = "digital", _("Computers, software and website")
    VEHICLES = "vehicles", _("Vehicles")
    STOCK = "stock", _("First stock and materials")
    SERVICES = "services", _("Advice and professional services")
    TRAINING = "training", _("Training and licences")
    MARKETING = "marketing", _("Launch marketing")
    REGISTRATION = "registration", _("Registration, permits and fees")
    RUNNING = "running", _("Running costs of the first months")
    OTHER = "other", _("Other")


class VatRate(models.TextChoices):
    """The VAT rates that exist in Italy (and none: exempt, or a seller under the forfettario)."""

    NONE = "0", _("No VAT (0 %)")
    SUPER_REDUCED = "4", _("4 %")
    REDUCED_5 = "5", _("5 %")
    REDUCED_10 = "10", _("10 %")
    STANDARD = "22", _("22 %")


class StartupCost(models.Model):
    """Something the business must buy or pay before or when it opens."""

    plan = models.ForeignKey(
        "plans.BusinessPlan", on_delete=models.CASCADE, related_name="startup_costs"
    )
    category = models.CharField(_("category"), max_length=30, choices=BudgetCategory.choices)
    description = models.CharField(_("what it is"), max_length=DESCRIPTION_MAX_LENGTH)
    amount = models.DecimalField(
        _("amount before VAT (€)"),
        max_digits=MONEY_DIGITS,
        decimal_places=2,
        validators=money_validators,
    )
    vat_rate = models.CharField(
        _("VAT rate"), max_length=3, choices=VatRate.choices, default=VatRate.STANDARD
    )
    vat_recoverable = models.BooleanField(
        _("the VAT can be recovered"),
        default=False,
        help_text=_(
            "Only a business that charges VAT recovers it. Under the regime forfettario it cannot."
        ),
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("start-up cost")
        verbose_name_plural = _("start-up costs")
        ordering = ("position", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(amount__lte=MAX_AMOUNT),
                name="plans_startup_cost_amount_range",
            ),
            models.CheckConstraint(
                condition=Q(vat_rate__in=VatRate.values), name="plans_startup_cost_vat_rate"
            ),
        ]

    def __str__(self):
        return self.description


class FundingSource(models.Model):
    """Where the money for the start-up costs comes from."""

    class Kind(models.TextChoices):
        OWN_SAVINGS = "own_savings", _("Own savings")
        MICROGRANT = "microgrant", _("Microgrant")
        MICROCREDIT = "microcredit", _("Microcredit")
        FAMILY = "family", _("Family and friends")
        OTHER = "other", _("Other")

    plan = models.ForeignKey("plans.BusinessPlan", on_delete=models.CASCADE, related_name="funding")
    kind = models.CharField(_("source"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(
        _("amount (€)"), max_digits=MONEY_DIGITS, decimal_places=2, validators=money_validators
    )
    note = models.CharField(_("note"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ("position", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(amount__lte=MAX_AMOUNT),
                name="plans_funding_amount_range",
            )
        ]

    def __str__(self):
        return self.get_kind_display()


class RunningCost(models.Model):
    """A cost the business pays every month once it is open (rent, phone, accountant...)."""

    plan = models.ForeignKey(
        "plans.BusinessPlan", on_delete=models.CASCADE, related_name="running_costs"
    )
    description = models.CharField(_("what it is"), max_length=DESCRIPTION_MAX_LENGTH)
    monthly_amount = models.DecimalField(
        _("each month (€)"),
        max_digits=MONEY_DIGITS,
        decimal_places=2,
        validators=money_validators,
    )
    starts_month = models.PositiveSmallIntegerField(
        _("from month"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("1 is the month the business opens."),
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("running cost")
        verbose_name_plural = _("running costs")
        ordering = ("position", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_amount__gte=0) & Q(monthly_amount__lte=MAX_AMOUNT),
                name="plans_running_cost_amount_range",
            ),
            models.CheckConstraint(
                condition=Q(starts_month__gte=1, starts_month__lte=12),
                name="plans_running_cost_month_range",
            ),
        ]

    def __str__(self):
        return self.description


class Forecast(models.Model):
    """The first year's revenue month by month, and the assumptions for the rest: costs that
    grow with sales, growth in years two and three, and the tax scheme (regime forfettario)."""

    class InpsScheme(models.TextChoices):
        SEPARATA = "separata", _("Gestione separata (professionals)")
        ARTIGIANI = "artigiani", _("Artisans (gestione artigiani)")
        COMMERCIANTI = "commercianti", _("Traders (gestione commercianti)")

    class Coefficient(models.TextChoices):
        """Profitability coefficients of the regime forfettario, by kind of activity (ATECO)."""

        FOOD_TRADE = "40", _("40 % – shops, bars and restaurants, street food")
        STREET_TRADE = "54", _("54 % – street trading of other goods")
        INTERMEDIARIES = "62", _("62 % – agents and intermediaries")
        OTHER = "67", _("67 % – other activities (crafts, services to people)")
        PROFESSIONS = "78", _("78 % – professional, scientific, technical, health, education")
        CONSTRUCTION = "86", _("86 % – construction and real estate")

    plan = models.OneToOneField(
        "plans.BusinessPlan", on_delete=models.CASCADE, related_name="forecast"
    )
    #: Twelve amounts (strings of Decimals), month 1 to month 12.
    monthly_revenue = models.JSONField(_("revenue by month"), default=list, blank=True)
    variable_cost_percent = models.DecimalField(
        _("costs that grow with sales (% of revenue)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=percent_validators,
        help_text=_("Materials or goods you buy for each sale, as a share of the price."),
    )
    growth_year2 = models.DecimalField(
        _("revenue growth in year 2 (%)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        validators=growth_validators,
    )
    growth_year3 = models.DecimalField(
        _("revenue growth in year 3 (%)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        validators=growth_validators,
    )
    coefficient = models.CharField(
        _("kind of activity"),
        max_length=3,
        choices=Coefficient.choices,
        default=Coefficient.OTHER,
    )
    startup_rate = models.BooleanField(
        _("new activity (5 % tax for five years)"),
        default=True,
        help_text=_("True for most people starting for the first time."),
    )
    inps_scheme = models.CharField(
        _("INPS scheme"), max_length=20, choices=InpsScheme.choices, default=InpsScheme.SEPARATA
    )
    inps_reduction = models.BooleanField(
        _("35 % INPS reduction for the forfettario"),
        default=False,
        help_text=_("Artisans and traders under the forfettario may ask INPS for it."),
    )
    #: Raised on every save: a save from an older page is refused instead of overwriting.
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")
        constraints = [
            models.CheckConstraint(
                condition=Q(variable_cost_percent__gte=0, variable_cost_percent__lte=100),
                name="plans_forecast_variable_percent_range",
            ),
        ]

    def __str__(self):
        return str(_("Forecast of %(plan)s") % {"plan": self.plan})
