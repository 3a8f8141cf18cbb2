"""The nine boxes of the lean canvas, in the order the page shows them."""

from django.utils.translation import gettext_lazy as _

#: (code, title, hint). Codes are stored on plan sections and template sections: never rename.
BOXES = (
    ("problem", _("Problem"), _("The three biggest problems your customers have.")),
    ("customers", _("Customer segments"), _("Who has these problems? Who pays first?")),
    (
        "value",
        _("Unique value proposition"),
        _("One clear sentence: why you are different and worth buying from."),
    ),
    ("solution", _("Solution"), _("How you solve each problem, in a few words.")),
    ("channels", _("Channels"), _("How customers will find you and buy from you.")),
    ("revenue", _("Revenue streams"), _("What you sell, at what price, and how people pay.")),
    ("costs", _("Cost structure"), _("What you must spend to start and every month.")),
    ("metrics", _("Key metrics"), _("The few numbers that tell you it is working.")),
    ("advantage", _("Unfair advantage"), _("What others cannot easily copy or buy.")),
)

CODES = tuple(code for code, _title, _hint in BOXES)
CHOICES = tuple((code, title) for code, title, _hint in BOXES)
TITLES = {code: title for code, title, _hint in BOXES}
HINTS = {code: hint for code, _title, hint in BOXES}
