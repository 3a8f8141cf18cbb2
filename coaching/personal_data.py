"""The registry of personal data: what each app holds about a person, exported and erased.

Every app registers a provider through the Wagtail hook ``register_personal_data`` (the hook
name is a plain string, so an app registers without importing this module)::

    @hooks.register("register_personal_data")
    def register_my_data():
        return MyPersonalData()

A provider has a ``key`` (a short machine name) and these methods, all about one user:

``export(*, user, by)``
    A list of sections, each a mapping ``{"title", "rows", "data"}`` and optionally
    ``"intro"``: ``title`` and ``intro`` (what this is and why it is held) and ``rows``, the
    ``(label, value)`` pairs, are written for people in the active language (the person's):
    labels, never field names; choices by their label, never their code; dates and times in
    the site's time zone. ``data`` is plain JSON-ready data for machines. The readable page,
    its PDF and the JSON download are all made from these sections.
``erase(*, user, by, reason, now)``
    Does the erasure and says what it did: a list of ``{"action", "what", "why"}``, where
    ``action`` is ``"deleted"``, ``"anonymised"`` or ``"kept"``; a record kept must state the
    legal reason in ``why``.
``erasure_plan(*, user)`` (optional)
    What ``erase`` would do, in the same form, without doing it: shown to the person before
    they ask for erasure. A provider without it is shown by its ``erase`` outcomes only after
    the fact, so every provider that holds personal data should have one.
``erase_participation(*, participant, by, reason, now)`` and
``participation_erasure_plan(*, participant)`` (for data tied to one participation)
    A person may take part in two municipalities. Erasing one participation while the other
    still holds data erases only what belongs to that one (its plans, its mentoring), not the
    person's account or the other's records; the provider's ``erase`` runs only when the last
    participation goes. An app whose records hang on a participation must have both.

The export and the erasure walk every registered provider, so a new app's data is covered by
registering. Coaching holds the walker because the host and the mentors already import
coaching, and an app that may not import coaching (resources) only needs the hook's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from wagtail import hooks

HOOK_NAME = "register_personal_data"

DELETED = "deleted"
ANONYMISED = "anonymised"
KEPT = "kept"
ACTIONS = (DELETED, ANONYMISED, KEPT)


@dataclass(frozen=True)
class Section:
    """One labelled part of a person's export."""

    provider: str
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    data: Any = None
    intro: str = ""

    def as_json(self) -> dict:
        return {
            "provider": self.provider,
            "title": self.title,
            "intro": self.intro,
            "rows": [[label, value] for label, value in self.rows],
            "data": self.data,
        }


@dataclass(frozen=True)
class Erasure:
    """What a provider did with one kind of record when the person was erased, and why."""

    provider: str
    action: str
    what: str
    why: str = ""

    def as_json(self) -> dict:
        return {
            "provider": self.provider,
            "action": self.action,
            "what": self.what,
            "why": self.why,
        }


def _get(item, name, default=None):
    if isinstance(item, Mapping):
        return item.get(name, default)
    return getattr(item, name, default)


def personal_data_providers() -> list:
    """Every registered provider, in hook order."""
    providers = [register() for register in hooks.get_hooks(HOOK_NAME)]
    keys = [provider.key for provider in providers]
    if len(keys) != len(set(keys)):
        raise ImproperlyConfigured(f"Two personal-data providers share a key: {keys}")
    return providers


def personal_data_export(*, user, by) -> list[Section]:
    """Every registered app's sections about ``user``, labelled in the active language."""
    sections = []
    for provider in personal_data_providers():
        for item in provider.export(user=user, by=by) or ():
            sections.append(
                Section(
                    provider=provider.key,
                    title=str(_get(item, "title", "")),
                    rows=[(str(label), str(value)) for label, value in _get(item, "rows", ())],
                    data=_get(item, "data"),
                    intro=str(_get(item, "intro", "") or ""),
                )
            )
    return sections


def personal_data_document(sections: list[Section]) -> dict:
    """The machine-readable export: one entry per section, in registry order."""
    return {"sections": [section.as_json() for section in sections]}


def _erasure(provider, item) -> Erasure:
    outcome = Erasure(
        provider=provider.key,
        action=_get(item, "action"),
        what=str(_get(item, "what", "")),
        why=str(_get(item, "why", "") or ""),
    )
    if outcome.action not in ACTIONS:
        raise ImproperlyConfigured(
            f"{provider.key}: erasure action {outcome.action!r} is not one of {ACTIONS}"
        )
    if outcome.action == KEPT and not outcome.why:
        raise ImproperlyConfigured(f"{provider.key}: {outcome.what!r} kept without a reason")
    return outcome


def personal_data_erasure_plan(*, user, exclude=()) -> list[Erasure]:
    """What erasing ``user`` would do in every registered app, said before it is done."""
    plan = []
    for provider in personal_data_providers():
        describe = getattr(provider, "erasure_plan", None)
        if provider.key in exclude or describe is None:
            continue
        plan += [_erasure(provider, item) for item in describe(user=user) or ()]
    return plan


def personal_data_erase(*, user, by, reason: str = "", now=None, exclude=()) -> list[Erasure]:
    """Walk the registry and erase what each app holds about ``user``.

    ``exclude`` names providers (by key) the caller has already erased. Each outcome is
    checked: an unknown action, or a record kept without its legal reason, is a programming
    error and fails loudly rather than passing for an erasure.
    """
    outcomes = []
    for provider in personal_data_providers():
        if provider.key in exclude:
            continue
        for item in provider.erase(user=user, by=by, reason=reason, now=now) or ():
            outcomes.append(_erasure(provider, item))
    return outcomes


def personal_data_participation_erasure_plan(*, participant) -> list[Erasure]:
    """What erasing one participation (not the person) would do in every registered app."""
    plan = []
    for provider in personal_data_providers():
        describe = getattr(provider, "participation_erasure_plan", None)
        if describe is not None:
            plan += [_erasure(provider, item) for item in describe(participant=participant) or ()]
    return plan


def personal_data_erase_participation(
    *, participant, by, reason: str = "", now=None
) -> list[Erasure]:
    """Erase what each app holds about one participation, while the person's other
    participation (another municipality) still holds data: their account and the other's
    records stay."""
    outcomes = []
    for provider in personal_data_providers():
        erase = getattr(provider, "erase_participation", None)
        if erase is None:
            continue
        for item in erase(participant=participant, by=by, reason=reason, now=now) or ():
            outcomes.append(_erasure(provider, item))
    return outcomes
