"""Public-site views of business plans, thin: access is ``coaching.plans.selectors``, writes
are ``coaching.plans.services``."""
