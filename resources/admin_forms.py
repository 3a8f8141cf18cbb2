"""The editing form of the library's pages in the Wagtail admin."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminPageForm


class ResourcePageForm(WagtailAdminPageForm):
    """Offers only the topics in the page's own language.

    Topics are translated snippets: without this, an Italian lesson lists every Italian and
    English topic side by side. A translated page may still point at the topics of the page it
    was copied from; they are shown ticked as their translation in the page's language (topics
    keep their slug across languages), so saving the page moves it to its own language's topics.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("topics")
        locale_id = getattr(self.instance, "locale_id", None)
        if field is None or locale_id is None:
            return
        field.queryset = field.queryset.filter(locale_id=locale_id).order_by("name")
        if self.is_bound or not self.instance.pk:
            return
        chosen = self.initial.get("topics") or []
        slugs = [getattr(topic, "slug", None) for topic in chosen]
        if any(getattr(topic, "locale_id", locale_id) != locale_id for topic in chosen):
            self.initial["topics"] = list(field.queryset.filter(slug__in=slugs))
