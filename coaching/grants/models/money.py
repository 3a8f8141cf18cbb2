"""Money as the grants app keeps it: Decimal euros with two places in the records people
fill in, integer cents in the ledger and at Stripe's boundary. Never floats."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _

MONEY_DIGITS = 12
CENT = Decimal("0.01")


class MoneyField(models.DecimalField):
    """Euros with cents (``Decimal``), up to ten digits before the point."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", MONEY_DIGITS)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        # Keep migrations plain DecimalFields: the defaults are this class's, not Django's.
        return name, "django.db.models.DecimalField", args, kwargs


def to_cents(amount: Decimal) -> int:
    """Euros to cents, exactly: an amount with more than two decimals is a bug, not rounding."""
    cents = (Decimal(amount) * 100).to_integral_value()
    if cents != Decimal(amount) * 100:
        raise ValueError(f"{amount} has fractions of a cent")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def share_of(amount: Decimal, percent: Decimal) -> Decimal:
    """``percent`` % of ``amount`` to the cent (half up)."""
    return (Decimal(amount) * Decimal(percent) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def euros(amount) -> str:
    """``1.234,50 €`` in the active language's format: how pages, e-mails, exports and the
    agreement write money (``grants_money.euros`` in templates). ``—`` for no amount."""
    if amount is None or amount == "":
        return "—"
    return _("%(amount)s €") % {
        "amount": formats.number_format(
            Decimal(amount), decimal_pos=2, use_l10n=True, force_grouping=True
        )
    }
