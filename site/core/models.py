"""The host site's own pages and settings: home, generic pages, site identity and navigation."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from resources.blocks import SharedStreamBlock


class HomePage(Page):
    """The municipality's front page: what the programme is and how the path works."""

    hero_title = models.CharField(
        _("hero title"),
        max_length=120,
        help_text=_("The big sentence at the top of the home page. Keep it short and plain."),
    )
    hero_text = models.TextField(
        _("hero text"),
        blank=True,
        help_text=_("One or two sentences under the title: who the programme is for."),
    )
    hero_cta_text = models.CharField(
        _("hero button text"),
        max_length=60,
        blank=True,
        help_text=_("The text of the main button, e.g. 'Join the programme'."),
    )
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("hero button page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Where the main button leads."),
    )
    path_title = models.CharField(
        _("path title"),
        max_length=120,
        blank=True,
        help_text=_("Title of the section that shows the path as steps."),
    )
    body = StreamField(
        SharedStreamBlock(),
        verbose_name=_("body"),
        blank=True,
        help_text=_("Further content of the home page, shown after the path and featured items."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_cta_text"),
                PageChooserPanel("hero_cta_page"),
            ],
            heading=_("Hero"),
        ),
        MultiFieldPanel(
            [FieldPanel("path_title"), InlinePanel("path_steps", label=_("Step"))],
            heading=_("The self-employment path"),
        ),
        InlinePanel("featured_items", label=_("Featured item"), heading=_("Featured")),
        FieldPanel("body"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("hero_title"),
        index.SearchField("hero_text"),
        index.SearchField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["featured_items"] = self.featured_items.select_related("page").all()
        context["path_steps"] = self.path_steps.all()
        return context


class HomePathStep(Orderable):
    """One step of the self-employment path as the home page presents it."""

    page = ParentalKey(HomePage, related_name="path_steps", on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=80)
    text = models.CharField(
        _("text"), max_length=250, blank=True, help_text=_("One sentence on what happens.")
    )

    panels = [FieldPanel("title"), FieldPanel("text")]


class HomeFeaturedItem(Orderable):
    """A page editors choose to feature on the home page."""

    home = ParentalKey(HomePage, related_name="featured_items", on_delete=models.CASCADE)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    summary = models.CharField(
        _("summary"),
        max_length=250,
        blank=True,
        help_text=_("A short line shown under the title. Leave empty to use the page's own."),
    )

    panels = [PageChooserPanel("page"), FieldPanel("summary")]


class StandardPage(Page):
    """A generic content page (about, contacts, privacy notice, accessibility declaration)."""

    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("A short summary shown under the title and in search results."),
    )
    body = StreamField(SharedStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]

    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["core.HomePage", "core.StandardPage"]
    subpage_types = ["core.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


class SiteText(TranslatableMixin, models.Model):
    """The words of the site settings that change with the language: tagline, address and the
    EU funding statement, translated like a page.

    Wagtail's settings are one row per Site, and this site serves Italian and English from one
    Site tree (wagtail-localize translates its pages), so a setting's text field can hold only
    one language. A translatable snippet that the settings point to gives each language its
    own copy through the same "Translate" and "Sync" tools editors use on pages, for any
    language the site adds later; columns per language would not, and would fall out of step.
    Settings that do not depend on the language (name, e-mail, phone, links, images) stay on
    ``SiteSettings``; the templates read the text in the page's language through
    ``SiteSettings.texts_in_language``.
    """

    name = models.CharField(
        _("name"),
        max_length=120,
        help_text=_("Only for you, to tell these texts apart in the admin, e.g. 'Avvio site'."),
    )
    tagline = models.CharField(
        _("tagline"),
        max_length=120,
        blank=True,
        help_text=_("A short line under the name in the header."),
    )
    address = models.TextField(
        _("address"),
        blank=True,
        help_text=_("The desk's name, street and opening hours, as shown in the footer."),
    )
    funding_statement = RichTextField(
        _("EU funding statement"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("The programme's funding statement shown in the footer of every page."),
    )
    funding_emblems_alt = models.CharField(
        _("funding emblems text"),
        max_length=250,
        blank=True,
        help_text=_("Describe the emblems for people who cannot see them."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("tagline"),
        FieldPanel("address"),
        FieldPanel("funding_statement"),
        FieldPanel("funding_emblems_alt"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("site texts")
        verbose_name_plural = _("site texts")

    def __str__(self) -> str:
        return self.name


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Who runs this site: the municipality's identity, contacts and the legally required links.

    The words among them that change with the language are in ``SiteText``."""

    municipality_name = models.CharField(
        _("municipality name"),
        max_length=120,
        default="Comune",
        help_text=_("Shown in the header, e.g. 'Comune di Napoli'."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The municipality's emblem. Shown next to its name."),
    )
    texts = models.ForeignKey(
        SiteText,
        verbose_name=_("texts in each language"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The tagline, address and EU funding statement. Choose them here, then translate "
            "them under Snippets > Site texts, as you translate a page."
        ),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    facebook_url = models.URLField(_("Facebook page"), blank=True)
    instagram_url = models.URLField(_("Instagram page"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn page"), blank=True)
    youtube_url = models.URLField(_("YouTube channel"), blank=True)
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy notice page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Required on public-sector sites: linked in every page's footer."),
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility declaration page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Required on public-sector sites: linked in every page's footer."),
    )
    accessibility_declaration_url = models.URLField(
        _("accessibility declaration (AgID form)"),
        blank=True,
        help_text=_("The address of the declaration published on AgID's form, if any."),
    )
    accessibility_feedback_email = models.EmailField(
        _("accessibility feedback e-mail"),
        blank=True,
        help_text=_("Where people can report accessibility problems with this site."),
    )
    funding_emblems = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("funding emblems"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("One image with the emblems required by the programme (EU, Republic, PN)."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("municipality_name"), FieldPanel("logo"), FieldPanel("texts")],
            heading=_("Identity"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone")],
            heading=_("Contacts"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("linkedin_url"),
                FieldPanel("youtube_url"),
            ],
            heading=_("Social media"),
        ),
        MultiFieldPanel(
            [
                PageChooserPanel("privacy_page"),
                PageChooserPanel("accessibility_page"),
                FieldPanel("accessibility_declaration_url"),
                FieldPanel("accessibility_feedback_email"),
            ],
            heading=_("Legal links"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("funding_emblems"),
            ],
            heading=_("EU funding"),
        ),
    ]

    class Meta:
        verbose_name = _("site settings")

    @property
    def texts_in_language(self) -> SiteText | None:
        """The site texts in the active language, or in the language they were written in
        when nobody has translated them yet; ``None`` when no texts are chosen.

        Wagtail keeps one settings object per request, and one request may render in two
        languages (an e-mail in its recipient's), so each language is looked up once."""
        if self.texts_id is None:
            return None
        language = translation.get_language()
        by_language = self.__dict__.setdefault("_texts_by_language", {})
        if language not in by_language:
            by_language[language] = self.texts.localized
        return by_language[language]

    @property
    def social_links(self) -> list[tuple[str, str]]:
        links = [
            ("Facebook", self.facebook_url),
            ("Instagram", self.instagram_url),
            ("LinkedIn", self.linkedin_url),
            ("YouTube", self.youtube_url),
        ]
        return [(name, url) for name, url in links if url]


@register_setting(icon="list-ul")
class NavigationSettings(BaseSiteSetting, ClusterableModel):
    """The main menu and the footer menus, edited by communication staff."""

    panels = [
        InlinePanel("main_menu_items", label=_("Main menu item"), heading=_("Main menu")),
        InlinePanel("footer_menu_items", label=_("Footer link"), heading=_("Footer links")),
    ]

    class Meta:
        verbose_name = _("navigation")


class MenuItem(Orderable):
    """A link in a menu: a page of the site, or an address elsewhere."""

    title = models.CharField(
        _("title"),
        max_length=60,
        blank=True,
        help_text=_("Leave empty to use the page's title."),
    )
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    link_url = models.URLField(_("or an external link"), blank=True)

    panels = [FieldPanel("title"), PageChooserPanel("link_page"), FieldPanel("link_url")]

    class Meta(Orderable.Meta):
        abstract = True

    def clean(self):
        if not self.link_page and not self.link_url:
            raise ValidationError({"link_page": _("Choose a page or enter a link.")})
        if self.link_url and not self.title:
            raise ValidationError({"title": _("An external link needs a title.")})


class MainMenuItem(MenuItem):
    settings = ParentalKey(
        NavigationSettings, related_name="main_menu_items", on_delete=models.CASCADE
    )


class FooterMenuItem(MenuItem):
    settings = ParentalKey(
        NavigationSettings, related_name="footer_menu_items", on_delete=models.CASCADE
    )
