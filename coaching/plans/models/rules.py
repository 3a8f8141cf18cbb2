"""Budget rules that a grant call sets, and that a plan aimed at the call is checked against."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel

from coaching.plans.models.finance import MONEY_DIGITS, BudgetCategory


class CallRules(ClusterableModel):
    """The money rules of a grant call: the grant's limits, a cap per budget category as a
    share of the eligible total, and the categories it does not fund. A plan names the rules
    of the call it is aimed at and is warned when its budget breaks them; the grant
    application checks the same rules with the same function (``financials.check_rules``)."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="plan_call_rules",
    )
    name = models.CharField(
        _("name"),
        max_length=160,
        help_text=_("The call's name as participants know it, e.g. “Microgrants 2027”."),
    )
    min_grant = models.DecimalField(
        _("smallest grant (€)"), max_digits=MONEY_DIGITS, decimal_places=2, null=True, blank=True
    )
    max_grant = models.DecimalField(
        _("largest grant (€)"), max_digits=MONEY_DIGITS, decimal_places=2, null=True, blank=True
    )
    is_open_for_plans = models.BooleanField(
        _("participants may aim a plan at it"),
        default=True,
        help_text=_("Untick when the call is over, so new plans cannot choose it."),
    )

    class Meta:
        verbose_name = _("budget rules of a call")
        verbose_name_plural = _("budget rules of calls")
        ordering = ("site", "name")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_grant__isnull=True)
                | Q(max_grant__isnull=True)
                | Q(min_grant__lte=models.F("max_grant")),
                name="plans_call_rules_grant_order",
            )
        ]

    def __str__(self):
        return self.name


class CategoryRule(models.Model):
    """One budget category's rule in a call: a cap as a share of the eligible total, or not
    funded at all."""

    rules = ParentalKey(CallRules, on_delete=models.CASCADE, related_name="caps")
    category = models.CharField(_("category"), max_length=30, choices=BudgetCategory.choices)
    max_percent = models.DecimalField(
        _("at most (% of the total)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty for no cap."),
    )
    ineligible = models.BooleanField(_("not funded"), default=False)

    panels = [FieldPanel("category"), FieldPanel("max_percent"), FieldPanel("ineligible")]

    class Meta:
        verbose_name = _("category rule")
        verbose_name_plural = _("category rules")
        constraints = [
            models.UniqueConstraint(fields=("rules", "category"), name="plans_category_rule_once"),
            models.CheckConstraint(
                condition=Q(max_percent__isnull=True) | Q(max_percent__gte=0, max_percent__lte=100),
                name="plans_category_rule_percent_range",
            ),
        ]

    def __str__(self):
        return self.get_category_display()
