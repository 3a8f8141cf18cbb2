"""Demo content for the host site: a bilingual municipality site with a user for each role.

Every function is idempotent: running ``load_demo`` twice leaves the same rows. A re-run
creates what is missing (a deleted page or translation, an empty setting) and never changes what
exists, so it cannot undo an editor's work; only the demo users get their demo password back.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Locale, Page, Site

from coaching.models import StaffSiteAssignment
from portal_site.accounts.roles import STAFF_ROLES, Role, role_group_name
from portal_site.core.demo_privacy import (
    PRIVACY_BODY_EN,
    PRIVACY_BODY_IT,
    PRIVACY_INTRODUCTION_EN,
    PRIVACY_INTRODUCTION_IT,
)
from portal_site.core.models import (
    FooterMenuItem,
    HomePage,
    HomePathStep,
    MainMenuItem,
    NavigationSettings,
    SiteSettings,
    SiteText,
    StandardPage,
)
from resources.models import LibraryIndexPage


@dataclass(frozen=True)
class DemoPage:
    slug: str
    slug_en: str
    title: str
    introduction: str
    body: str | list  # one paragraph of HTML, or the page's blocks
    title_en: str
    introduction_en: str
    body_en: str | list


DEMO_USERS = {
    Role.PARTICIPANT: ("partecipante@avvio.example", "Amina", "Diallo"),
    Role.MENTOR: ("mentore@avvio.example", "Giulia", "Esposito"),
    Role.EDITOR: ("redazione@avvio.example", "Marco", "Russo"),
    Role.COORDINATOR: ("coordinamento@avvio.example", "Lucia", "Romano"),
    Role.FINANCE_OFFICER: ("ragioneria@avvio.example", "Paolo", "Ferrari"),
    Role.EVALUATOR: ("valutazione@avvio.example", "Sara", "Conti"),
}

HOME_IT = {
    "title": "Avvio",
    "hero_title": "Trasforma la tua idea in un lavoro in regola",
    "hero_text": (
        "Un percorso gratuito del Comune per chi vuole mettersi in proprio: formazione, "
        "un mentore che ti accompagna, un piano d'impresa e un contributo per partire."
    ),
    "hero_cta_text": "Scopri il percorso",
    "path_title": "Come funziona il percorso",
}
HOME_EN = {
    "title": "Avvio",
    "hero_title": "Turn your idea into legal, paid work",
    "hero_text": (
        "A free programme of the municipality for people who want to work for themselves: "
        "training, a mentor by your side, a business plan and a grant to get started."
    ),
    "hero_cta_text": "Discover the path",
    "path_title": "How the path works",
}
PATH_STEPS = [
    (
        "Iscriviti",
        "Crea un account e raccontaci chi sei e cosa ti serve.",
        "Sign up",
        "Create an account and tell us who you are and what you need.",
    ),
    (
        "Orientamento",
        "Un incontro per capire insieme se il percorso fa per te.",
        "Orientation",
        "A meeting to see together whether the path suits you.",
    ),
    (
        "Formazione",
        "Brevi lezioni su transizione verde e digitale, tasse e regole.",
        "Training",
        "Short lessons on the green and digital transition, tax and rules.",
    ),
    (
        "Mentore",
        "Una persona esperta ti segue passo dopo passo.",
        "Mentor",
        "An experienced person follows you step by step.",
    ),
    (
        "Piano d'impresa",
        "Metti nero su bianco costi, ricavi e obiettivi.",
        "Business plan",
        "Write down your costs, income and goals.",
    ),
    (
        "Contributo",
        "Chiedi un microcontributo per avviare l'attività.",
        "Grant",
        "Apply for a microgrant to start your business.",
    ),
]

PAGES = [
    DemoPage(
        slug="percorso",
        slug_en="path",
        title="Il percorso",
        introduction="Sei tappe, gratuite, per passare da un'idea a un'attività in regola.",
        body=(
            "<p>Il percorso è pensato per chi lavora senza contratto, per chi cerca lavoro da "
            "molto tempo e per chi vuole ripartire mettendosi in proprio.</p>"
            "<p>Non serve avere già un'impresa: basta un'idea e la voglia di provarci.</p>"
        ),
        title_en="The path",
        introduction_en="Six free steps to go from an idea to a legal business.",
        body_en=(
            "<p>The path is for people who work without a contract, who have been looking for "
            "work for a long time, or who want a fresh start by working for themselves.</p>"
            "<p>You don't need a business yet: an idea and the will to try are enough.</p>"
        ),
    ),
    DemoPage(
        slug="chi-siamo",
        slug_en="about",
        title="Chi siamo",
        introduction="Il servizio del Comune per il lavoro autonomo e l'avvio d'impresa.",
        body=(
            "<p>Avvio è gestito dal Comune con enti del terzo settore del territorio, "
            "grazie ai fondi europei del Fondo sociale europeo plus (FSE+).</p>"
        ),
        title_en="About us",
        introduction_en="The municipality's service for self-employment and start-ups.",
        body_en=(
            "<p>Avvio is run by the municipality with local social-economy organisations, "
            "funded by the European Social Fund Plus (ESF+).</p>"
        ),
    ),
    DemoPage(
        slug="contatti",
        slug_en="contacts",
        title="Contatti",
        introduction="Scrivici, chiamaci o vieni allo sportello: ti aiutiamo anche a iscriverti.",
        body=(
            "<p>Sportello Avvio, via Roma 1. Aperto dal lunedì al venerdì, dalle 9 alle 13. "
            "Se non hai un computer o un'e-mail, possiamo iscriverti noi.</p>"
        ),
        title_en="Contacts",
        introduction_en="Write, call or visit the desk: we can also sign you up.",
        body_en=(
            "<p>Avvio desk, via Roma 1. Open Monday to Friday, 9am to 1pm. If you have no "
            "computer or e-mail, we can sign you up ourselves.</p>"
        ),
    ),
    DemoPage(
        slug="privacy",
        slug_en="privacy",
        title="Informativa privacy",
        introduction=PRIVACY_INTRODUCTION_IT,
        body=PRIVACY_BODY_IT,
        title_en="Privacy notice",
        introduction_en=PRIVACY_INTRODUCTION_EN,
        body_en=PRIVACY_BODY_EN,
    ),
    DemoPage(
        slug="accessibilita",
        slug_en="accessibility",
        title="Dichiarazione di accessibilità",
        introduction="Il Comune si impegna a rendere questo sito accessibile a tutte le persone.",
        body=(
            "<p>Questo sito è progettato per rispettare le WCAG 2.1 di livello AA. Se trovi un "
            "problema, scrivici: rispondiamo entro 30 giorni.</p>"
        ),
        title_en="Accessibility declaration",
        introduction_en="The municipality is committed to making this site accessible to all.",
        body_en=(
            "<p>This site is designed to meet WCAG 2.1 level AA. If you find a problem, write "
            "to us: we answer within 30 days.</p>"
        ),
    ),
]


def _paragraph(html: str | list) -> list:
    return html if isinstance(html, list) else [("paragraph", html)]


def ensure_locales() -> tuple[Locale, Locale]:
    italian = Locale.objects.get_or_create(language_code="it")[0]
    english = Locale.objects.get_or_create(language_code="en")[0]
    return italian, english


def _translate_once(page: Page, locale: Locale, fields: dict) -> Page:
    """Create and publish ``page``'s translation unless it exists (editors may have changed it)."""
    existing = page.get_translation_or_none(locale)
    if existing:
        return existing.specific
    translation = page.copy_for_translation(locale)
    for field, value in fields.items():
        setattr(translation, field, value)
    translation.save_revision().publish()
    return translation


def load_home(*, site: Site, english: Locale) -> HomePage:
    """Fill the placeholder home page from the migration, once."""
    home = site.root_page.specific
    if home.path_steps.exists():
        return home
    for field, value in HOME_IT.items():
        setattr(home, field, value)
    for title, text, _title_en, _text_en in PATH_STEPS:
        home.path_steps.add(HomePathStep(title=title, text=text))
    home.save_revision().publish()
    home_en = _translate_once(home, english, HOME_EN)
    home_en.path_steps.all().delete()
    for _title, _text, title_en, text_en in PATH_STEPS:
        home_en.path_steps.add(HomePathStep(title=title_en, text=text_en))
    home_en.save_revision().publish()
    return home


def load_pages(*, home: HomePage, english: Locale) -> dict[str, StandardPage]:
    pages = {}
    for spec in PAGES:
        page = StandardPage.objects.child_of(home).filter(slug=spec.slug).first()
        if page is None:
            page = StandardPage(
                slug=spec.slug,
                title=spec.title,
                introduction=spec.introduction,
                body=_paragraph(spec.body),
            )
            home.add_child(instance=page)
            page.save_revision().publish()
        _translate_once(
            page,
            english,
            {
                "slug": spec.slug_en,
                "title": spec.title_en,
                "introduction": spec.introduction_en,
                "body": _paragraph(spec.body_en),
            },
        )
        pages[spec.slug] = page
    if home.hero_cta_page_id is None:
        home.hero_cta_page = pages["percorso"]
        home.save_revision().publish()
    return pages


def _fill_defaults(instance, values: dict) -> None:
    """Set each field still at its model default; a field someone changed keeps its value."""
    for name, value in values.items():
        field = instance._meta.get_field(name)
        if getattr(instance, field.attname) == field.get_default():
            setattr(instance, name, value)
    instance.save()


SITE_TEXT_IT = {
    "name": "Avvio",
    "tagline": "Avvio · percorsi per il lavoro autonomo",
    "address": "Sportello Avvio\nVia Roma 1\n80100 Esempio (NA)",
    "funding_statement": (
        "<p>Progetto finanziato dall'Unione europea – Fondo sociale europeo plus (FSE+), "
        "Programma nazionale Metro plus e città medie Sud 2021-2027, obiettivo specifico "
        "4.8.</p>"
    ),
}
SITE_TEXT_EN = {
    "tagline": "Avvio · paths to self-employment",
    "address": "Avvio desk\nVia Roma 1\n80100 Esempio (NA), Italy",
    "funding_statement": (
        "<p>Project funded by the European Union – European Social Fund Plus (ESF+), "
        "National Programme Metro plus e città medie Sud 2021-2027, specific objective "
        "4.8.</p>"
    ),
}


def load_site_texts(*, site_settings: SiteSettings, english: Locale) -> None:
    """The settings' translatable texts in Italian and English, each created once."""
    if site_settings.texts is None:
        italian = Locale.get_default()
        site_settings.texts = SiteText.objects.create(locale=italian, **SITE_TEXT_IT)
        site_settings.save(update_fields=["texts"])
    source = site_settings.texts
    if source.get_translation_or_none(english) is None:
        translation = source.copy_for_translation(english)
        for field, value in SITE_TEXT_EN.items():
            setattr(translation, field, value)
        translation.save()


def load_settings(*, site: Site, pages: dict[str, StandardPage], english: Locale) -> None:
    if not site.site_name:
        # The site's own name is what the apps show people (their data export, for one).
        site.site_name = "Comune di Esempio"
        site.save(update_fields=["site_name"])
    site_settings = SiteSettings.for_site(site)
    _fill_defaults(
        site_settings,
        {
            "municipality_name": "Comune di Esempio",
            "contact_email": "avvio@comune.esempio.it",
            "contact_phone": "+39 081 000 0000",
            "privacy_page": pages["privacy"],
            "accessibility_page": pages["accessibilita"],
            "accessibility_feedback_email": "accessibilita@comune.esempio.it",
        },
    )
    load_site_texts(site_settings=site_settings, english=english)

    navigation = NavigationSettings.for_site(site)
    if not navigation.main_menu_items.exists():
        # Position 1 is left for the learning library (see link_library_in_menu).
        for order, slug in [(0, "percorso"), (2, "chi-siamo"), (3, "contatti")]:
            MainMenuItem.objects.create(
                settings=navigation, link_page=pages[slug], sort_order=order
            )
    if not navigation.footer_menu_items.exists():
        for order, slug in enumerate(["contatti", "privacy", "accessibilita"]):
            FooterMenuItem.objects.create(
                settings=navigation, link_page=pages[slug], sort_order=order
            )


def link_library_in_menu(*, site: Site) -> None:
    """Put the learning library (made by the resources demo) in the main menu, once."""
    library = LibraryIndexPage.objects.child_of(site.root_page).first()
    if library is None:
        return
    navigation = NavigationSettings.for_site(site)
    if not navigation.main_menu_items.filter(link_page=library).exists():
        MainMenuItem.objects.create(settings=navigation, link_page=library, sort_order=1)


def load_users(*, site: Site, password: str) -> dict[str, object]:
    User = get_user_model()
    users = {}
    for role, (email, first_name, last_name) in DEMO_USERS.items():
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "is_staff": role in STAFF_ROLES,
                "preferred_language": "it",
            },
        )
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=role_group_name(role)))
        if role in STAFF_ROLES:
            # Staff work for this municipality: their page permissions come with it.
            StaffSiteAssignment.objects.get_or_create(user=user, site=site)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        users[role.value] = user
    return users


@transaction.atomic
def load(*, password: str) -> dict:
    """Build the host site's demo; returns what the apps' demo loaders need."""
    site = Site.objects.get(is_default_site=True)
    _italian, english = ensure_locales()
    home = load_home(site=site, english=english)
    pages = load_pages(home=home, english=english)
    load_settings(site=site, pages=pages, english=english)
    users = load_users(site=site, password=password)
    return {"site": site, "home_page": home, "users": users}
