"""Microgrants: calls, applications, evaluation, awards, tranches paid through Stripe Connect,
expense reports and the ledger (issue 13; being built).

What is here so far: ``stripe_gateway``, the one module that talks to Stripe. Everything
else (the models, the payout run that records a tranche as *sending* before the call and
*sent* after it, reconciliation and webhooks) builds on it and never imports ``stripe``.
"""
