"""Microgrants: calls, applications, evaluation, awards, tranches paid through Stripe Connect,
expense reports, the ledger and the audit trail (see the README's "Microgrants" section).

``stripe_gateway`` is the one module that talks to Stripe; ``services.payouts`` the one that
moves money (a tranche recorded as *sending* before the transfer is asked for and *sent* after
it); ``selectors`` holds every access rule.
"""
