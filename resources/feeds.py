"""RSS and Atom feeds of the library's opportunities (django.contrib.syndication)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from resources import selectors


class OpportunitiesFeed(Feed):
    title = _("Opportunities: calls, markets and events")
    description = _("New opportunities in the learning library, with their deadlines.")

    def link(self):
        return reverse("resources:opportunities_rss")

    def items(self):
        return selectors.opportunities_for_feed(locale=Locale.get_active())

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        deadline = item.deadline.strftime("%d/%m/%Y")
        return f"{item.summary} ({_('Deadline')}: {deadline})"

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at


class OpportunitiesAtomFeed(OpportunitiesFeed):
    feed_type = Atom1Feed
    subtitle = OpportunitiesFeed.description

    def link(self):
        return reverse("resources:opportunities_atom")
