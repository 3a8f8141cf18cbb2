"""A grant call: the page editors publish per site, with its criteria, tranche scheme,
required documents and questions people ask. Its money rules (smallest and largest grant,
caps per budget category, categories not funded) are the plan's ``CallRules``, so a plan and
an application are checked by the same rule."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from coaching.conf import app_settings
from coaching.grants.call_page_form import GrantCallPageForm
from coaching.grants.models.money import MoneyField, share_of

percent = [MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))]


def _parent_page_types():
    return app_settings.GRANT_CALL_PARENT_PAGE_TYPES


class GrantCallPage(Page):
    """A call for microgrant applications on one municipality's site.

    Applications are accepted from ``opens_at`` to ``closes_at`` (Europe/Rome, the site's
    time zone). The total of its awards never exceeds ``budget``: ``services.awards`` locks
    this page's row while it adds one.
    """

    class Window(models.TextChoices):
        NOT_YET = "not_yet", _("Not open yet")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    intro = models.TextField(
        _("summary"), max_length=400, help_text=_("Who the call is for, in one or two sentences.")
    )
    body = RichTextField(
        _("the call"),
        blank=True,
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"],
    )
    rules = models.ForeignKey(
        "plans.CallRules",
        verbose_name=_("budget rules"),
        on_delete=models.PROTECT,
        related_name="grant_calls",
        help_text=_(
            "Smallest and largest grant, caps per budget category and categories not funded. "
            "Plans aimed at these rules are checked against them as participants write."
        ),
    )
    budget = MoneyField(_("budget (€)"), validators=[MinValueValidator(Decimal("1"))])
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    requires_ready_plan = models.BooleanField(
        _("only with a plan the mentor marked ready"), default=True
    )
    requires_eligible_participant = models.BooleanField(
        _("only participants found eligible for the path"), default=True
    )
    evaluators_per_application = models.PositiveSmallIntegerField(
        _("evaluators per application"),
        default=2,
        validators=[MinValueValidator(2), MaxValueValidator(5)],
    )
    disagreement_threshold = models.DecimalField(
        _("flag disagreement above (points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("2"),
        help_text=_("Evaluators whose weighted scores differ by more than this are flagged."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("budget"),
                FieldPanel("rules"),
            ],
            heading=_("Window and money"),
        ),
        MultiFieldPanel(
            [FieldPanel("requires_ready_plan"), FieldPanel("requires_eligible_participant")],
            heading=_("Who may apply"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("evaluators_per_application"),
                FieldPanel("disagreement_threshold"),
                InlinePanel("criteria", label=_("Criterion"), min_num=1),
            ],
            heading=_("Evaluation"),
        ),
        InlinePanel("tranche_rules", label=_("Tranche"), min_num=1),
        InlinePanel("required_documents", label=_("Required document")),
        InlinePanel("faqs", label=_("Question")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = _parent_page_types()
    subpage_types: list[str] = []
    template = "grants/call_page.html"
    base_form_class = GrantCallPageForm

    class Meta:
        verbose_name = _("grant call")
        verbose_name_plural = _("grant calls")

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The call must close after it opens.")
        if errors:
            raise ValidationError(errors)

    def window(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return self.Window.NOT_YET
        if now >= self.closes_at:
            return self.Window.CLOSED
        return self.Window.OPEN


class GrantCriterion(Orderable):
    """One thing evaluators score, with its weight and the range of scores."""

    page = ParentalKey(GrantCallPage, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=160)
    description = models.TextField(_("what evaluators look for"), blank=True, max_length=1000)
    weight = models.DecimalField(
        _("weight (%)"), max_digits=5, decimal_places=2, validators=percent
    )
    min_score = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    max_score = models.PositiveSmallIntegerField(
        _("highest score"), default=10, validators=[MaxValueValidator(100)]
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("weight"), FieldPanel("min_score"), FieldPanel("max_score")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_score__lt=models.F("max_score")),
                name="grants_criterion_score_range",
            )
        ]

    def __str__(self):
        return self.name


class TrancheRule(Orderable):
    """One tranche of the call's payment scheme: a share of the award and when it is due."""

    class Condition(models.TextChoices):
        ON_AWARD = "on_award", _("When the agreement is signed")
        AFTER_EXPENSES = (
            "after_expenses",
            _("When the expenses reported justify what was paid before"),
        )

    page = ParentalKey(GrantCallPage, on_delete=models.CASCADE, related_name="tranche_rules")
    percent = models.DecimalField(
        _("share of the award (%)"), max_digits=5, decimal_places=2, validators=percent
    )
    condition = models.CharField(_("due"), max_length=20, choices=Condition.choices)

    panels = [FieldRowPanel([FieldPanel("percent"), FieldPanel("condition")])]

    class Meta(Orderable.Meta):
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")

    def __str__(self):
        return f"{self.percent} % · {self.get_condition_display()}"


class RequiredDocument(Orderable):
    """A document applicants upload (an ID, a quote, a certificate of registration)."""

    page = ParentalKey(GrantCallPage, on_delete=models.CASCADE, related_name="required_documents")
    name = models.CharField(_("document"), max_length=160)
    help_text = models.CharField(_("what it is"), max_length=400, blank=True)
    required = models.BooleanField(_("required to submit"), default=True)

    panels = [FieldPanel("name"), FieldPanel("help_text"), FieldPanel("required")]

    class Meta(Orderable.Meta):
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")

    def __str__(self):
        return self.name


class CallQuestion(Orderable):
    """A question people ask about the call, with its answer."""

    page = ParentalKey(GrantCallPage, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(_("question"), max_length=300)
    answer = RichTextField(_("answer"), features=["bold", "italic", "ol", "ul", "link"])

    panels = [FieldPanel("question"), FieldPanel("answer")]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.question


def tranche_split(call_id, amount) -> list[tuple[TrancheRule, Decimal]]:
    """The call's scheme applied to ``amount``: each rule with its share to the cent, in
    order, the last taking what rounding left so that they add up to ``amount``. The one rule
    for both the agreement's terms and the tranches made when it is signed."""
    rules = list(TrancheRule.objects.filter(page_id=call_id).order_by("sort_order", "pk"))
    split, left = [], Decimal(amount)
    for number, rule in enumerate(rules, start=1):
        share = left if number == len(rules) else share_of(amount, rule.percent)
        left -= share
        split.append((rule, share))
    return split
