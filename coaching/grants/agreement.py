"""The grant agreement: made from the award (beneficiary, call, amount, tranche scheme,
obligations, how expenses are reported), in the beneficiary's language, as HTML for the award
page and as a PDF rendered by ``resources.pdf.html_pdf`` (the one module that talks to
WeasyPrint, whose URL fetcher fetches nothing but ``data:`` URLs).

The *terms* are rendered on their own (``grants/award_agreement_terms.html``): their SHA-256
is the agreement's fingerprint, stored when the beneficiary signs. The terms hold no clock
time, so the same award renders the same fingerprint; change the amount, the scheme or the
name and the fingerprint changes, and a page opened before the change can no longer sign.
Everything the beneficiary typed is autoescaped, like on every page.
"""

from __future__ import annotations

import hashlib

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from coaching.grants.models import Award, TrancheRule
from coaching.grants.models.calls import tranche_split
from coaching.grants.models.money import euros
from coaching.plans.pdf import municipality_header, page_counter_css
from coaching.services.notify import language_for
from resources.pdf import html_pdf


def signing_name(award: Award) -> str:
    """The name the agreement is made out to: the one on the identity document if the
    person gave it, else their account's name."""
    participant = award.application.participant
    return (
        participant.legal_name.strip()
        or participant.user.get_full_name().strip()
        or participant.preferred_name.strip()
    )


def agreement_language(award: Award) -> str:
    return language_for(award.application.participant.user)


def tranche_scheme(award: Award) -> list[dict]:
    """The call's tranches for this award, as ``services.tranches.tranches_create`` will make
    them: each its share to the cent, the last what rounding left."""
    return [
        {
            "number": number,
            "percent": rule.percent,
            "amount": amount,
            "condition": rule.get_condition_display(),
            "after_expenses": rule.condition == TrancheRule.Condition.AFTER_EXPENSES,
        }
        for number, (rule, amount) in enumerate(
            tranche_split(award.application.call_id, award.amount), start=1
        )
    ]


def _terms_context(award: Award) -> dict:
    application = award.application
    site = application.site
    return {
        "award": award,
        "application": application,
        "call": application.call,
        "beneficiary": signing_name(award),
        "participant": application.participant,
        "municipality": site.site_name or site.hostname,
        "amount": euros(award.amount),
        "tranches": [{**row, "amount": euros(row["amount"])} for row in tranche_scheme(award)],
        "budget_lines": list(application.budget_lines.all()),
        "awarded_on": timezone.localdate(award.awarded_at),
    }


def agreement_terms_html(award: Award) -> str:
    """The terms, in the beneficiary's language: what they sign, or, once signed, what they
    signed (kept with the award)."""
    if award.agreement_terms:
        return award.agreement_terms
    with translation.override(agreement_language(award)):
        return render_to_string("grants/award_agreement_terms.html", _terms_context(award))


def agreement_sha256(award: Award) -> str:
    return hashlib.sha256(agreement_terms_html(award).encode("utf-8")).hexdigest()


def agreement_pdf(award: Award) -> bytes:
    """The agreement as PDF bytes: the terms, the fingerprint, and the signature once given."""
    terms = agreement_terms_html(award)
    with translation.override(agreement_language(award)):
        html = render_to_string(
            "grants/agreement_pdf.html",
            {
                "award": award,
                "language": agreement_language(award),
                "municipality": municipality_header(award.application.site),
                # Our own template, rendered with autoescaping just above.
                "terms": mark_safe(terms),
                "fingerprint": hashlib.sha256(terms.encode("utf-8")).hexdigest(),
                "generated_at": timezone.localtime(),
                "page_counter": mark_safe(page_counter_css()),  # escaped in CSS
            },
        )
    return html_pdf(html)
