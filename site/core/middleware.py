"""Keep what a signed-in person sees out of every cache between them and the server."""

from django.utils.cache import cc_delim_re, patch_cache_control, patch_vary_headers

# Directives that let a shared cache or the browser keep and reuse a response.
_STORABLE_DIRECTIVES = frozenset(
    {"public", "max-age", "s-maxage", "immutable", "stale-while-revalidate", "stale-if-error"}
)


class PrivateCacheMiddleware:
    """Answer every signed-in person with ``Cache-Control: private, no-store``.

    Their pages carry personal data (the intake, the data export, consent forms,
    certificates), and a proxy or a shared computer's browser must not keep them. This wins
    over whatever a view set: a ``public`` or ``max-age`` meant for anonymous visitors is
    removed. ``Vary: Cookie`` tells caches that the same address answers differently per
    session. Anonymous responses are left as the view made them.

    Place it right after ``AuthenticationMiddleware``, so it sees ``request.user`` and
    handles the response after every middleware and view inside it. Static files are
    answered by WhiteNoise before the session is read and never reach it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.make_private(response)
        return response

    @staticmethod
    def make_private(response) -> None:
        kept = [
            directive.strip()
            for directive in cc_delim_re.split(response.get("Cache-Control", ""))
            if directive.strip()
            and directive.split("=", 1)[0].strip().lower() not in _STORABLE_DIRECTIVES
        ]
        if kept:
            response["Cache-Control"] = ", ".join(kept)
        elif "Cache-Control" in response:
            del response["Cache-Control"]
        if "Expires" in response:
            del response["Expires"]
        patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, ("Cookie",))
