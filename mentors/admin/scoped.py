"""Site-owned, translatable snippets (skills, milestones) in the admin, scoped like coaching's
site-owned records (``coaching.wagtail_hooks.ScopedViewSetMixin``): a coordinator lists, adds,
edits and deletes only their own sites' rows, and files new ones only under those sites;
another site's coordinator sees none. Written once for every such snippet of mentoring.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from wagtail import hooks
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from coaching.exports import SafeSpreadsheetExportMixin
from coaching.selectors import scope_to_sites
from coaching.wagtail_hooks import ROLE, ScopedFormMixin, ScopedViewSetMixin, SiteScopedMixin

#: The models whose snippet viewsets are ``SiteScopedSnippetViewSet``s (for the bulk delete).
SCOPED_MODELS: set[type] = set()


class SnippetScopedMixin(SiteScopedMixin):
    """``SiteScopedMixin`` for snippet views, whose own lookup also sets what they need besides
    the object (the live object, the locale): that lookup runs, then the scope."""

    def get_object(self, *args):
        obj = super(SiteScopedMixin, self).get_object(*args)
        if obj is not None and not self.scoped(self.model._default_manager.filter(pk=obj.pk)):
            raise Http404
        return obj


class ScopedSnippetIndexView(
    SafeSpreadsheetExportMixin, SnippetScopedMixin, snippet_views.IndexView
):
    def get_base_queryset(self):
        return self.scoped(super().get_base_queryset()).select_related("site", "locale")


class ScopedSnippetCreateView(ScopedFormMixin, snippet_views.CreateView):
    def get_object(self, queryset=None):
        # Nothing to look up yet (``SiteScopedMixin`` would look for a pk).
        return None


class ScopedSnippetEditView(ScopedFormMixin, snippet_views.EditView):
    def get_object(self, queryset=None):
        # The snippet views read ``live_object``; the lookup is the scoped one.
        self.live_object = super().get_object(queryset)
        return self.live_object


class ScopedSnippetDeleteView(SnippetScopedMixin, snippet_views.DeleteView):
    pass


class ScopedSnippetUsageView(SnippetScopedMixin, snippet_views.UsageView):
    pass


class ScopedSnippetHistoryView(SnippetScopedMixin, snippet_views.HistoryView):
    pass


class ScopedSnippetInspectView(SnippetScopedMixin, snippet_views.InspectView):
    pass


class SiteScopedSnippetViewSet(ScopedViewSetMixin, SnippetViewSet):
    """A snippet owned by one site (a ``site`` field), translatable, with no chooser."""

    index_view_class = ScopedSnippetIndexView
    add_view_class = ScopedSnippetCreateView
    edit_view_class = ScopedSnippetEditView
    delete_view_class = ScopedSnippetDeleteView
    usage_view_class = ScopedSnippetUsageView
    history_view_class = ScopedSnippetHistoryView
    inspect_view_class = ScopedSnippetInspectView
    copy_view_enabled = False

    def on_register(self):
        SCOPED_MODELS.add(self.model)
        super().on_register()

    def register_chooser_viewset(self):
        """No chooser: no form of ours needs it, and Wagtail's chooser would list every
        site's rows."""


@hooks.register("before_delete_snippet")
def refuse_deleting_other_sites_rows(request, instances):
    """The bulk delete of snippets looks objects up by id alone: refuse it (and its
    confirmation page, which names them) for another site's rows."""
    for model in SCOPED_MODELS:
        rows = [obj for obj in instances if isinstance(obj, model)]
        if not rows:
            continue
        allowed = scope_to_sites(
            request.user, model._default_manager.filter(pk__in=[r.pk for r in rows]), role=ROLE
        ).count()
        if allowed != len(rows):
            raise PermissionDenied
    return None
