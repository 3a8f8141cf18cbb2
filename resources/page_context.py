"""What the library's page types add to their template context, registered by the read layer.

A page's ``get_context`` needs reads (listings, progress, related content) that query the page
types themselves, so the models cannot import the selectors without an import cycle. The
models ask this registry instead; ``resources.selectors.pages`` registers one provider per page
type when the app is ready, the way ``wagtail_hooks`` modules register hooks. This module
imports neither side.
"""

from collections.abc import Callable
from typing import Any

Provider = Callable[..., dict[str, Any]]

_providers: dict[str, list[Provider]] = {}


def provides(model_label: str) -> Callable[[Provider], Provider]:
    """Register ``provider(*, page, request) -> dict`` for ``model_label`` and its subclasses.

    ``model_label`` is ``"app_label.ModelName"``; an abstract base's label covers every page
    type built on it.
    """

    def register(provider: Provider) -> Provider:
        providers = _providers.setdefault(model_label.lower(), [])
        if provider not in providers:
            providers.append(provider)
        return provider

    return register


def context_for(*, page, request) -> dict[str, Any]:
    """The context every provider registered along the page's class hierarchy adds, base first."""
    context: dict[str, Any] = {}
    for klass in reversed(type(page).__mro__):
        meta = getattr(klass, "_meta", None)
        if meta is None:
            continue
        for provider in _providers.get(meta.label_lower, ()):
            context.update(provider(page=page, request=request))
    return context


class ProvidedContextMixin:
    """Adds the registered providers' context to a page's own (``Page.get_context``)."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(context_for(page=self, request=request))
        return context
