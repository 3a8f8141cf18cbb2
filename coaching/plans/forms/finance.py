"""The forms of the plan's money: three kinds of line (start-up costs, funding, running costs)
and the forecast.

Amounts are typed the way people write them: ``1250,50`` on Italian pages and ``1250.50`` on
English ones (Django's localized input, with no thousands separator, so ``1.250`` is never
read as one euro and a quarter: it is refused with an example; ``12.50`` from a keypad with
only a dot is read as 12,50). Every bound is a form error,
never a database error; a blank line is no line; what was typed stays in the form.
"""

import re
from decimal import Decimal

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from coaching.forms.base import AccessibleFormMixin
from coaching.plans.forms.editor import REVISION_MAX
from coaching.plans.models import MAX_AMOUNT, BudgetCategory, Forecast, FundingSource, VatRate
from coaching.plans.models.finance import DESCRIPTION_MAX_LENGTH

#: More lines than any microgrant plan needs; a longer list is a hand-made request.
MAX_LINES = 60
#: Empty lines offered under the filled ones, so no JavaScript is needed to add one.
EXTRA_LINES = 2

EXAMPLE = Decimal("1250.50")
#: A dot that can only be a decimal mark: one or two digits after it.
DOT_DECIMAL = re.compile(r"-?\d*\.\d{1,2}")


def amount_example() -> str:
    """1250,50 or 1250.50: the page's own way, so the example can be copied as it is."""
    return formats.number_format(EXAMPLE, 2, use_l10n=True)


def amount_help():
    return _("In euros, for example %(example)s, with no separator for thousands.") % {
        "example": amount_example()
    }


def _limit(value: Decimal) -> str:
    """A bound as the page writes numbers: 1000000, 0, -100 (no cents when it has none)."""
    places = 0 if value == value.to_integral_value() else None
    return formats.number_format(value, places, use_l10n=True)


class AmountField(forms.DecimalField):
    """Euros and cents, at least 0 and at most ``MAX_AMOUNT``, typed with the page's decimal
    mark; a phone shows its number keyboard (``inputmode="decimal"``)."""

    def __init__(
        self, *, minimum=Decimal("0"), maximum=MAX_AMOUNT, places=2, with_example=False, **kwargs
    ):
        self.with_example = with_example
        kwargs.setdefault(
            "error_messages",
            {
                "max_decimal_places": _("Write at most %(max)s digits after the comma."),
                "max_value": _("That is more than %(limit_value)s: check the number."),
                "min_value": _("Write a number of at least %(limit_value)s."),
                "max_digits": _("That number is too long: check it."),
                "max_whole_digits": _("That number is too long: check it."),
            },
        )
        super().__init__(
            min_value=minimum,
            max_value=maximum,
            max_digits=12,
            decimal_places=places,
            localize=True,
            **kwargs,
        )
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def localize_texts(self) -> None:
        """The example in the help and the error in the page's language (forms call it from
        ``__init__``, when the request's language is active)."""
        if self.with_example:
            self.help_text = amount_help()
        self.error_messages["invalid"] = _(
            "Write a number, for example %(example)s, with no separator for thousands."
        ) % {"example": amount_example()}
        # The limits as the page writes numbers (1000000,00), not as Python does.
        # (Formatted here, the text has no placeholder left for the validator's own.)
        self.error_messages["max_value"] = _(
            "That is more than %(limit_value)s: check the number."
        ) % {"limit_value": _limit(self.max_value)}
        self.error_messages["min_value"] = _("Write a number of at least %(limit_value)s.") % {
            "limit_value": _limit(self.min_value)
        }

    def to_python(self, value):
        if isinstance(value, str):
            value = self._as_typed(value)
        number = super().to_python(value)
        if number is not None and number.is_finite() and len(number.as_tuple().digits) <= 20:
            # 12,500 is 12,50: zeros after the cents are not more digits. (A longer number is
            # left to the length and limit checks, which refuse it in words.)
            cents = number.quantize(Decimal(1).scaleb(-self.decimal_places))
            if cents == number:
                number = cents + 0  # and -0 is 0
        return number

    def _as_typed(self, value: str) -> str:
        """The text as the person meant it, or a refusal with the example.

        A space or a euro sign typed or pasted with the number is not a mistake. On a page
        whose decimal mark is the comma, a dot with one or two digits after it (12.50, from a
        phone keypad that has only the dot) is the decimal mark; any other dot (1.250, a
        thousands separator) is refused rather than read as another number. An exponent
        (1e5) or an underscore (1_000) is a slip Python would read: refused too.
        """
        value = value.replace("€", "").replace(" ", "").replace("\u00a0", "")
        if "e" in value.lower() or "_" in value:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        mark = formats.get_format("DECIMAL_SEPARATOR")
        if mark != "." and "." in value:
            if mark in value or not DOT_DECIMAL.fullmatch(value):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            value = value.replace(".", mark)
        return value


class AmountTextsMixin:
    """Gives each ``AmountField`` its help and error in the page's language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, AmountField):
                field.localize_texts()
                if field.help_text:
                    # Set after AccessibleFormMixin looked for help: link the field to it.
                    field.widget.attrs["aria-describedby"] = f"id_{self.add_prefix(name)}_help"


class RevisionForm(forms.Form):
    """The finance revision the page was opened at (``Forecast.revision``)."""

    revision = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, max_value=REVISION_MAX, required=False
    )

    def clean_revision(self):
        return self.cleaned_data["revision"] or 0

    def full_clean(self):
        super().full_clean()
        if "revision" in self.errors:
            # Only a hand-made request breaks it: say what to do, not the hidden field's name.
            self.errors.pop("revision")
            self.add_error(None, _("This page is out of date: open it again to go on."))


class _LineForm(AmountTextsMixin, AccessibleFormMixin, forms.Form):
    """One line of a list; a line left blank is skipped, not an error."""

    #: The field that makes a line a line: without it the rest is a mistake.
    main_field = "description"

    def has_changed(self):
        # An empty extra line's defaults (a category, a VAT rate) are not a change.
        return any(
            str(self.data.get(self.add_prefix(name), "")).strip()
            for name in (self.main_field, "amount", "monthly_amount", "note")
            if name in self.fields
        )


class StartupCostForm(_LineForm):
    description = forms.CharField(
        label=_("What it is"), max_length=DESCRIPTION_MAX_LENGTH, strip=True
    )
    category = forms.ChoiceField(label=_("Category"), choices=BudgetCategory.choices)
    amount = AmountField(label=_("Amount before VAT (€)"), with_example=True)
    vat_rate = forms.ChoiceField(
        label=_("VAT rate"), choices=VatRate.choices, initial=VatRate.STANDARD
    )
    vat_recoverable = forms.BooleanField(
        label=_("The VAT can be recovered"),
        required=False,
        help_text=_(
            "Only a business that charges VAT recovers it. Under the regime forfettario it cannot."
        ),
    )


class FundingForm(_LineForm):
    main_field = "amount"

    kind = forms.ChoiceField(label=_("Source"), choices=FundingSource.Kind.choices)
    amount = AmountField(label=_("Amount (€)"), with_example=True)
    note = forms.CharField(
        label=_("Note"), max_length=DESCRIPTION_MAX_LENGTH, required=False, strip=True
    )


class RunningCostForm(_LineForm):
    description = forms.CharField(
        label=_("What it is"), max_length=DESCRIPTION_MAX_LENGTH, strip=True
    )
    monthly_amount = AmountField(label=_("Each month (€)"), with_example=True)
    starts_month = forms.TypedChoiceField(
        label=_("From month"),
        choices=[(n, str(n)) for n in range(1, 13)],
        coerce=int,
        initial=1,
        help_text=_("1 is the month the business opens."),
    )


#: The fields of a line that hold amounts: the snapshot keeps them as strings.
AMOUNT_KEYS = ("amount", "monthly_amount")


def lines_initial(lines: list[dict]) -> list[dict]:
    """A formset's initial lines from the snapshot's, amounts as Decimals so the page shows
    them with its own decimal mark."""
    return [
        {key: Decimal(value) if key in AMOUNT_KEYS else value for key, value in line.items()}
        for line in lines
    ]


class _LineFormSet(forms.BaseFormSet):
    def lines(self) -> list[dict]:
        """The filled lines, in order, without those marked to remove."""
        return [
            form.cleaned_data
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form)
        ]


def line_formset(form_class):
    return forms.formset_factory(
        form_class,
        formset=_LineFormSet,
        extra=EXTRA_LINES,
        can_delete=True,
        max_num=MAX_LINES,
        validate_max=True,
        absolute_max=MAX_LINES + EXTRA_LINES,
    )


StartupCostFormSet = line_formset(StartupCostForm)
FundingFormSet = line_formset(FundingForm)
RunningCostFormSet = line_formset(RunningCostForm)


class ForecastForm(AmountTextsMixin, AccessibleFormMixin, forms.Form):
    """The first year's revenue month by month and the assumptions for the rest."""

    variable_cost_percent = AmountField(
        label=_("Costs that grow with sales (% of revenue)"),
        maximum=Decimal("100"),
        help_text=_("Materials or goods you buy for each sale, as a share of the price."),
    )
    growth_year2 = AmountField(
        label=_("Revenue growth in year 2 (%)"),
        minimum=Decimal("-100"),
        maximum=Decimal("1000"),
        help_text=_("0 if you expect the same as in year 1; a minus sign for less."),
    )
    growth_year3 = AmountField(
        label=_("Revenue growth in year 3 (%)"),
        minimum=Decimal("-100"),
        maximum=Decimal("1000"),
        help_text=_("Compared with year 2."),
    )
    coefficient = forms.ChoiceField(
        label=_("Kind of activity"),
        choices=Forecast.Coefficient.choices,
        help_text=_("Under the regime forfettario, tax is paid on this share of revenue."),
    )
    startup_rate = forms.BooleanField(
        label=_("New activity (5 % tax for five years)"),
        required=False,
        help_text=_("True for most people starting for the first time."),
    )
    inps_scheme = forms.ChoiceField(label=_("INPS scheme"), choices=Forecast.InpsScheme.choices)
    inps_reduction = forms.BooleanField(
        label=_("35 % INPS reduction for the forfettario"),
        required=False,
        help_text=_("Artisans and traders under the forfettario may ask INPS for it."),
    )

    MONTHS = tuple(f"month_{n}" for n in range(1, 13))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, name in enumerate(self.MONTHS, start=1):
            self.fields[name] = AmountField(
                label=_("Month %(number)s") % {"number": number}, initial=Decimal("0")
            )
            self.fields[name].localize_texts()
        # The months come first, in their order; AccessibleFormMixin styled the rest.
        self.order_fields([*self.MONTHS])
        for name in self.MONTHS:
            self.fields[name].widget.attrs.setdefault("class", "form-control")

    @property
    def month_fields(self):
        return [self[name] for name in self.MONTHS]

    @property
    def assumption_fields(self):
        return [self[name] for name in self.fields if name not in self.MONTHS]

    def forecast_data(self) -> dict:
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.MONTHS}
        data["monthly_revenue"] = [self.cleaned_data[name] for name in self.MONTHS]
        return data

    @classmethod
    def initial_from(cls, forecast: dict) -> dict:
        """The form's initial values from the snapshot's ``forecast`` part."""
        revenue = list(forecast.get("monthly_revenue") or []) + ["0"] * 12
        initial = {
            name: Decimal(str(revenue[index] or "0")) for index, name in enumerate(cls.MONTHS)
        }
        for name, value in forecast.items():
            if value is None or name == "monthly_revenue":
                continue  # missing in an older snapshot: the field's own initial value
            if name in ("variable_cost_percent", "growth_year2", "growth_year3"):
                initial[name] = Decimal(str(value or "0"))
            else:
                initial[name] = value
        return initial
