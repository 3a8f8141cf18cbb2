"""The beneficiary's receipt form and the coordinator's check of one line."""

from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from coaching.forms.base import AccessibleFormMixin
from coaching.grants.uploads import upload_content_type


class BudgetLineChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.description} ({obj.get_category_display()})"


class ExpenseForm(AccessibleFormMixin, forms.Form):
    """One receipt. The file is checked here by the service's rule (``receipt_problem``)
    so that a refused file is reported with the other answers and never stored."""

    budget_line = BudgetLineChoice(
        label=_("Budget line"),
        queryset=None,
        empty_label=_("Choose the line of your budget"),
        help_text=_("The line of the budget you were awarded that this expense belongs to."),
    )
    supplier = forms.CharField(label=_("Supplier"), max_length=200)
    description = forms.CharField(label=_("What you bought"), max_length=200)
    spent_on = forms.DateField(
        label=_("Date of the receipt"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    amount = forms.DecimalField(
        label=_("Amount without VAT (€)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    vat = forms.DecimalField(
        label=_("VAT (€)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        initial=Decimal("0"),
        help_text=_("Write 0 if the receipt shows no VAT."),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    receipt = forms.FileField(
        label=_("Receipt or invoice"),
        help_text=_("A PDF, JPG or PNG file."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = lines

    def clean_receipt(self):
        receipt = self.cleaned_data.get("receipt")
        if receipt is None:
            raise forms.ValidationError(_("Attach the receipt: a PDF, JPG or PNG file."))
        upload_content_type(receipt)
        return receipt


class ReviewForm(AccessibleFormMixin, forms.Form):
    """Accept or reject one line; a rejection needs a reason (the service says so too)."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why it is rejected"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The beneficiary reads this."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the expense is not accepted."))
        return data
