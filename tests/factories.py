"""factory_boy factories for the whole project (wagtail-factories for pages)."""

import factory
import wagtail_factories
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from portal_site.core.models import HomePage, StandardPage

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="it_IT")
    last_name = factory.Faker("last_name", locale="it_IT")
    password = factory.django.Password(TEST_PASSWORD)

    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        """Accounts in tests have a verified address unless ``verified_email=False``."""
        if create and extracted is not False:
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Avvio"
    hero_title = "Avvia la tua attività"

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Pagina {n}")
    introduction = "Una pagina di prova."

    class Meta:
        model = StandardPage


def italian_home() -> HomePage:
    """The Italian home page created by the migrations, as the default site's root."""
    return HomePage.objects.get(depth=2, locale__language_code="it")


def english_home(home_page: HomePage) -> HomePage:
    """The English translation of the home page (as wagtail-localize would create it)."""
    from wagtail.models import Locale

    english = Locale.objects.get_or_create(language_code="en")[0]
    existing = home_page.get_translation_or_none(english)
    if existing:
        return existing.specific
    translation = home_page.copy_for_translation(english)
    translation.hero_title = "Start your own business"
    translation.save_revision().publish()
    return translation


def user_with_role(role: str, **kwargs):
    from django.contrib.auth.models import Group

    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user
