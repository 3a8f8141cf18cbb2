"""The grant call's form in the Wagtail page editor: the checks a call must pass before it is
saved, each said in words an editor can act on.

- the criteria's weights add up to 100 %, and so do the tranches' shares;
- the call closes after it opens (``GrantCallPage.clean``);
- the budget rules are the municipality's own (the site the page is published under);
- the rules' smallest and largest grant fit in the call's budget.

Kept apart from the model (which imports it) so the page's module imports no admin views.
"""

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from coaching.plans.models import CallRules

HUNDRED = Decimal("100")


def _number(value: Decimal) -> str:
    return formats.number_format(value, None if value % 1 else 0, use_l10n=True)


class GrantCallPageForm(WagtailAdminPageForm):
    #: Inline lists whose ``field`` must add up to 100, with the message when they do not.
    SUMS_TO_HUNDRED = {
        "criteria": (
            "weight",
            _("The criteria's weights add up to %(total)s %%: they must add up to 100 %%."),
        ),
        "tranche_rules": (
            "percent",
            _("The tranches' shares add up to %(total)s %%: they must add up to 100 %%."),
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.call_site = self._call_site()
        rules = self.fields.get("rules")
        if rules is not None and self.call_site is not None:
            # Editors choose among their municipality's rules only.
            rules.queryset = CallRules.objects.filter(site=self.call_site)
            rules.error_messages["invalid_choice"] = _(
                "Choose budget rules of this municipality: these belong to another site or "
                "no longer exist."
            )

    def _call_site(self):
        parent = self.parent_page
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        return parent.get_site() if parent is not None else None

    def _rows(self, name) -> list[dict] | None:
        """The rows of an inline list that stay (not marked to delete), or ``None`` when
        the list has errors of its own (shown next to its fields)."""
        formset = self.formsets.get(name)
        if formset is None or not formset.is_valid():
            return None
        kept = formset.initial_form_count()
        return [
            form.cleaned_data
            for index, form in enumerate(formset.forms)
            # A saved row counts unless deleted; an extra one only once filled in.
            if (index < kept or form.has_changed()) and not formset._should_delete_form(form)
        ]

    def _check_sum(self, name) -> None:
        field, message = self.SUMS_TO_HUNDRED[name]
        rows = self._rows(name)
        if not rows:
            return
        total = sum((Decimal(row.get(field) or 0) for row in rows), Decimal("0"))
        if total != HUNDRED:
            text = message % {"total": _number(total)}
            # Next to the list, and in the editor's message at the top of the page.
            self.formsets[name]._non_form_errors.append(text)
            self.add_error(None, text)

    def clean(self):
        data = super().clean()
        for name in self.SUMS_TO_HUNDRED:
            self._check_sum(name)
        rules, budget = data.get("rules"), data.get("budget")
        if rules is not None and self.call_site is not None and rules.site_id != self.call_site.pk:
            self.add_error("rules", self.fields["rules"].error_messages["invalid_choice"])
        elif rules is not None and budget is not None:
            for limit, message in (
                (
                    rules.max_grant,
                    _(
                        "The budget (%(budget)s €) is smaller than the largest grant of the "
                        "rules chosen (%(limit)s €): raise the budget or choose other rules."
                    ),
                ),
                (
                    rules.min_grant,
                    _(
                        "The budget (%(budget)s €) is smaller than the smallest grant of the "
                        "rules chosen (%(limit)s €): raise the budget or choose other rules."
                    ),
                ),
            ):
                if limit is not None and limit > budget:
                    self.add_error(
                        "budget", message % {"budget": _number(budget), "limit": _number(limit)}
                    )
                    break
        return data
