"""The plan's money pages through the views: who may open and change what, amounts typed the
Italian and the English way, every kind of bad input answered with a message (never a 500)
and kept in the form, stale pages and double clicks, a plan under review, the forecast, the
warnings and a call's rules, the charts and the number of queries."""

import html
import re
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext
from wagtail.models import ModelLogEntry

from coaching.plans.forms.finance import MAX_LINES
from coaching.plans.models import (
    BusinessPlan,
    CallRules,
    CategoryRule,
    Forecast,
    FundingSource,
    RunningCost,
    StartupCost,
)
from coaching.plans.services.finance import finance_lines_save
from coaching.plans.services.review import plan_submit
from tests.plans.test_plans_views import OTHER_HOST, make_world

pytestmark = pytest.mark.django_db

READERS = ("mentor", "coordinator")
NOBODY = ("stranger", "elsewhere_coordinator")
LIST_SLUGS = {
    "start-up-costs": "startup_costs",
    "funding": "funding",
    "running-costs": "running_costs",
}


@pytest.fixture
def world(site, other_site):
    return make_world(site=site, other_site=other_site)


# --- Helpers ----------------------------------------------------------------------------------


def _url(plan, tail="", language="en") -> str:
    return f"/{language}/plans/{plan.pk}/money/{tail}"


def _text(response) -> str:
    """The page's main part as a person reads it (entities decoded)."""
    page = response.content.decode()
    return html.unescape(page[page.index("<main") : page.index("</main>")])


def _in(language: str, msgid: str, **values) -> str:
    """``msgid`` as the catalogue gives it in ``language``: the Italian text where
    coaching/locale/it has one (or Django's own), the English otherwise."""
    with translation.override(language):
        text = gettext(msgid)
    return text % values if values else text


def cost(description="Forno", category="equipment", amount="1250,50", vat_rate="22", **extra):
    return {
        "description": description,
        "category": category,
        "amount": amount,
        "vat_rate": vat_rate,
        **extra,
    }


def lines_data(kind: str, lines, *, revision=0, initial=0, extra=2) -> dict:
    """What the lines page posts: the management form, one block per line (blank extra lines
    as the page has them) and the finance revision."""
    total = len(lines) + extra
    data = {
        f"{kind}-TOTAL_FORMS": str(total),
        f"{kind}-INITIAL_FORMS": str(initial),
        f"{kind}-MIN_NUM_FORMS": "0",
        f"{kind}-MAX_NUM_FORMS": str(MAX_LINES),
        "revision": str(revision),
    }
    blank = {
        "startup_costs": {
            "description": "",
            "category": "equipment",
            "amount": "",
            "vat_rate": "22",
        },
        "funding": {"kind": "own_savings", "amount": "", "note": ""},
        "running_costs": {"description": "", "monthly_amount": "", "starts_month": "1"},
    }[kind]
    for index, line in enumerate([*lines, *([blank] * extra)]):
        for name, value in line.items():
            data[f"{kind}-{index}-{name}"] = value
    return data


def forecast_data(*, revision=0, months=None, **assumptions) -> dict:
    data = {
        "variable_cost_percent": "30",
        "growth_year2": "-10",
        "growth_year3": "5",
        "coefficient": "40",
        "startup_rate": "on",
        "inps_scheme": "commercianti",
        "revision": str(revision),
    }
    data.update(assumptions)
    for number, amount in enumerate(months or ["1000"] * 12, start=1):
        data[f"month_{number}"] = amount
    return data


def _revision(plan) -> int:
    return Forecast.objects.filter(plan=plan).values_list("revision", flat=True).first() or 0


def _costs(plan) -> list[tuple]:
    return list(
        StartupCost.objects.filter(plan=plan)
        .order_by("position")
        .values_list("description", "category", "amount", "vat_rate")
    )


def _finance_logs(plan) -> int:
    return ModelLogEntry.objects.filter(action="plans.finance", object_id=str(plan.pk)).count()


def _state(plan) -> tuple:
    """Everything the money pages may change, to compare before and after a refused POST."""
    forecast = Forecast.objects.filter(plan=plan).values().first()
    if forecast:
        forecast.pop("updated_at")
    return (
        _costs(plan),
        list(FundingSource.objects.filter(plan=plan).values_list("kind", "amount", "note")),
        list(
            RunningCost.objects.filter(plan=plan).values_list(
                "description", "monthly_amount", "starts_month"
            )
        ),
        forecast,
        _finance_logs(plan),
    )


def _save_costs(plan, by, lines) -> None:
    finance_lines_save(
        plan=plan, by=by, kind="startup_costs", lines=lines, revision=_revision(plan)
    )


def _line(description, amount, category="equipment", vat_rate="22") -> dict:
    return {
        "description": description,
        "category": category,
        "amount": Decimal(amount),
        "vat_rate": vat_rate,
        "vat_recoverable": False,
    }


# --- Who may open and change what --------------------------------------------------------------


def _all_urls(plan) -> list[str]:
    return [
        _url(plan),
        *(_url(plan, f"{slug}/") for slug in LIST_SLUGS),
        _url(plan, "forecast/"),
        _url(plan, "chart-cash.svg"),
        _url(plan, "chart-years.svg"),
    ]


def test_the_owner_opens_every_money_page(world):
    client = world.client("owner")
    for url in _all_urls(world.plan):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", READERS)
def test_the_mentor_and_a_coordinator_read_the_figures_but_cannot_change_them(world, who):
    plan = world.plan
    _save_costs(plan, world.owner, [_line("Forno", "4000")])
    before = _state(plan)
    client = world.client(who)
    page = client.get(_url(plan))
    assert page.status_code == 200
    main = _text(page)
    assert "Money: costs, funding and forecast" in main
    assert "4,000.00 €" in main
    # No link to a page they may not use.
    assert _url(plan, "start-up-costs/") not in main
    assert _url(plan, "forecast/") not in main
    for name in ("cash", "years"):
        chart = client.get(_url(plan, f"chart-{name}.svg"))
        assert chart.status_code == 200
        assert chart["Content-Type"].startswith("image/svg+xml")
    for slug, kind in LIST_SLUGS.items():
        assert client.get(_url(plan, f"{slug}/")).status_code == 404
        posted = client.post(_url(plan, f"{slug}/"), lines_data(kind, [cost()], revision=1))
        assert posted.status_code == 404
    assert client.get(_url(plan, "forecast/")).status_code == 404
    assert client.post(_url(plan, "forecast/"), forecast_data(revision=1)).status_code == 404
    assert _state(plan) == before


@pytest.mark.parametrize("who", NOBODY)
def test_anyone_else_gets_a_404_everywhere_and_their_post_changes_nothing(world, who):
    plan = world.plan
    _save_costs(plan, world.owner, [_line("Forno", "4000")])
    before = _state(plan)
    client = world.client(who)
    for url in _all_urls(plan):
        assert client.get(url).status_code == 404, url
    for slug, kind in LIST_SLUGS.items():
        data = lines_data(kind, [cost(description="Rubato")], revision=_revision(plan))
        assert client.post(_url(plan, f"{slug}/"), data).status_code == 404
    data = forecast_data(revision=_revision(plan))
    assert client.post(_url(plan, "forecast/"), data).status_code == 404
    assert _state(plan) == before


def test_the_owner_does_not_open_the_money_pages_through_another_site(world, other_site):
    client = world.client("owner")
    for url in _all_urls(world.plan):
        assert client.get(url, HTTP_HOST=OTHER_HOST).status_code == 404, url


def test_without_a_sign_in_every_money_page_leads_to_the_login(world, client):
    for url in _all_urls(world.plan):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"] or "login" in response["Location"]
    response = client.post(
        _url(world.plan, "start-up-costs/"), lines_data("startup_costs", [cost()])
    )
    assert response.status_code == 302
    assert not StartupCost.objects.exists()


def test_an_unknown_list_or_chart_is_a_404(world):
    client = world.client("owner")
    assert client.get(_url(world.plan, "taxes/")).status_code == 404
    assert client.get(_url(world.plan, "chart-pie.svg")).status_code == 404


# --- Saving lines -----------------------------------------------------------------------------


def test_the_owner_saves_a_start_up_cost_typed_the_italian_way(world):
    plan = world.plan
    client = world.client("owner")
    page = client.get(_url(plan, "start-up-costs/", "it"))
    assert page.status_code == 200
    assert 'name="startup_costs-TOTAL_FORMS"' in page.content.decode()
    assert 'name="revision"' in page.content.decode()
    response = client.post(
        _url(plan, "start-up-costs/", "it"), lines_data("startup_costs", [cost(amount="1250,50")])
    )
    assert response.status_code == 302
    assert response["Location"] == _url(plan, language="it")
    assert _costs(plan) == [("Forno", "equipment", Decimal("1250.50"), "22")]
    assert _finance_logs(plan) == 1
    assert _revision(plan) == 1
    figures = client.get(response["Location"])
    assert "1.250,50 €" in _text(figures)
    # The lines page shows the saved line the Italian way.
    again = client.get(_url(plan, "start-up-costs/", "it")).content.decode()
    assert 'value="1250,50"' in again


def test_the_owner_saves_lines_typed_the_english_way(world):
    plan = world.plan
    client = world.client("owner")
    response = client.post(
        _url(plan, "start-up-costs/"), lines_data("startup_costs", [cost(amount="1250.50")])
    )
    assert response.status_code == 302
    assert _costs(plan) == [("Forno", "equipment", Decimal("1250.50"), "22")]
    response = client.post(
        _url(plan, "funding/"),
        lines_data(
            "funding",
            [{"kind": "microgrant", "amount": "3000.00", "note": "Bando"}],
            revision=_revision(plan),
        ),
    )
    assert response.status_code == 302
    response = client.post(
        _url(plan, "running-costs/"),
        lines_data(
            "running_costs",
            [{"description": "Affitto", "monthly_amount": "450.00", "starts_month": "3"}],
            revision=_revision(plan),
        ),
    )
    assert response.status_code == 302
    assert list(FundingSource.objects.filter(plan=plan).values_list("kind", "amount", "note")) == [
        ("microgrant", Decimal("3000.00"), "Bando")
    ]
    assert list(
        RunningCost.objects.filter(plan=plan).values_list(
            "description", "monthly_amount", "starts_month"
        )
    ) == [("Affitto", Decimal("450.00"), 3)]
    assert _finance_logs(plan) == 3
    main = _text(client.get(_url(plan)))
    assert "1,250.50 €" in main
    assert "3,000.00 €" in main


#: One bad value in one field, the text that must be shown (msgid and its values, looked up in
#: the page's language) and the value the form must still hold.
BAD_AMOUNT = "Write a number, for example %(example)s, with no separator for thousands."
#: The example as each language writes it.
EXAMPLE = {"it": "1250,50", "en": "1250.50"}


def _bad_cases():
    return [
        ("amount", "1.250,50", BAD_AMOUNT, {"example": None}),
        ("amount", "abc", BAD_AMOUNT, {"example": None}),
        ("amount", "-5", "Write a number of at least %(limit_value)s.", {"limit_value": "0"}),
        ("description", "x" * 201, None, {}),
        (
            "category",
            "spaceships",
            "Select a valid choice. %(value)s is not one of the available choices.",
            {"value": "spaceships"},
        ),
        (
            "vat_rate",
            "7",
            "Select a valid choice. %(value)s is not one of the available choices.",
            {"value": "7"},
        ),
    ]


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize(("field", "typed", "msgid", "values"), _bad_cases())
def test_a_bad_start_up_cost_is_answered_with_a_message_and_kept(
    world, language, field, typed, msgid, values
):
    plan = world.plan
    before = _state(plan)
    line = cost(amount="100")
    line[field] = typed
    response = world.client("owner").post(
        _url(plan, "start-up-costs/", language), lines_data("startup_costs", [line])
    )
    assert response.status_code == 400
    main = _text(response)
    if msgid is None:  # Django's own message for a text too long
        with translation.override(language):
            expected = ngettext(
                "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
                "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
                200,
            ) % {"limit_value": 200, "show_value": 201}
    else:
        if "example" in values:
            values = {**values, "example": EXAMPLE[language]}
        expected = _in(language, msgid, **values)
    assert expected in main
    if language == "it" and field in ("category", "vat_rate", "description"):
        # Django's own messages have Italian: they must be shown in Italian.
        assert ("Scegli un'opzione valida" in main) or ("Assicurati che" in main)
    with translation.override(language):
        nothing = gettext("Nothing was saved yet: please check these.")
    assert nothing in main
    # The error is linked from the summary to its field, and the field holds what was typed.
    assert f'href="#id_startup_costs-0-{field}"' in response.content.decode()
    form = response.context["formset"].forms[0]
    assert form[field].value() == typed
    if field in ("amount", "description"):
        assert f'value="{html.escape(typed, quote=True)}"' in response.content.decode()
    assert _state(plan) == before


def test_an_amount_too_large_is_refused_and_kept(world):
    plan = world.plan
    response = world.client("owner").post(
        _url(plan, "start-up-costs/", "it"),
        lines_data("startup_costs", [cost(amount="2000000")]),
    )
    assert response.status_code == 400
    main = _text(response)
    # The limit as the page writes numbers, in the page's language.
    assert (
        _in("it", "That is more than %(limit_value)s: check the number.", limit_value="1000000")
        in main
    )
    assert "1000000.00" not in main
    assert response.context["formset"].forms[0]["amount"].value() == "2000000"
    assert 'value="2000000"' in response.content.decode()
    assert not StartupCost.objects.filter(plan=plan).exists()


def test_a_dot_on_an_italian_page_is_not_read_as_a_decimal_comma_for_thousands(world):
    """``1.250`` on an Italian page is a thousands dot: it must not become 1,25 €."""
    plan = world.plan
    response = world.client("owner").post(
        _url(plan, "start-up-costs/", "it"), lines_data("startup_costs", [cost(amount="1.250")])
    )
    assert not StartupCost.objects.filter(plan=plan, amount=Decimal("1.25")).exists()
    assert response.status_code == 400
    # Told how to write it, not that it has too many digits after the comma.
    assert _in("it", BAD_AMOUNT, example=EXAMPLE["it"]) in _text(response)


@pytest.mark.parametrize("language", ["it", "en"])
def test_an_amount_with_an_exponent_is_refused(world, language):
    plan = world.plan
    response = world.client("owner").post(
        _url(plan, "start-up-costs/", language), lines_data("startup_costs", [cost(amount="1e5")])
    )
    assert response.status_code == 400
    assert _in(language, BAD_AMOUNT, example=EXAMPLE[language]) in _text(response)
    assert not StartupCost.objects.filter(plan=plan).exists()


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("typed", ["1" * 27, "9" * 40, "1_000", "-0,0,0", "1.2.3"])
def test_an_overlong_or_odd_amount_is_refused_with_words(world, language, typed):
    plan = world.plan
    response = world.client("owner").post(
        _url(plan, "start-up-costs/", language), lines_data("startup_costs", [cost(amount=typed)])
    )
    assert response.status_code == 400
    assert response.context["formset"].forms[0]["amount"].value() == typed
    assert not StartupCost.objects.filter(plan=plan).exists()


@pytest.mark.parametrize(
    ("language", "typed", "saved"),
    [
        ("it", "12,500", "12.50"),
        ("en", "12.500", "12.50"),
        # A phone keypad with only a dot, on an Italian page: the cents are not lost.
        ("it", "12.50", "12.50"),
        ("it", "12.5", "12.50"),
        ("it", "-0", "0.00"),
    ],
)
def test_zeros_after_the_cents_are_not_more_digits(world, language, typed, saved):
    plan = world.plan
    response = world.client("owner").post(
        _url(plan, "start-up-costs/", language), lines_data("startup_costs", [cost(amount=typed)])
    )
    assert response.status_code == 302
    amount = StartupCost.objects.get(plan=plan).amount
    assert amount == Decimal(saved) and not amount.is_signed()


@pytest.mark.parametrize("language", ["it", "en"])
def test_a_month_after_the_first_year_is_refused_and_kept(world, language):
    plan = world.plan
    response = world.client("owner").post(
        _url(plan, "running-costs/", language),
        lines_data(
            "running_costs",
            [{"description": "Affitto", "monthly_amount": "450", "starts_month": "13"}],
        ),
    )
    assert response.status_code == 400
    expected = _in(
        language,
        "Select a valid choice. %(value)s is not one of the available choices.",
        value="13",
    )
    assert expected in _text(response)
    if language == "it":
        assert "Scegli un'opzione valida. 13 non è tra quelle disponibili." in _text(response)
    form = response.context["formset"].forms[0]
    assert form["starts_month"].value() == "13"
    assert form["description"].value() == "Affitto"
    assert not RunningCost.objects.filter(plan=plan).exists()


@pytest.mark.parametrize("language", ["it", "en"])
def test_too_many_lines_is_a_message_not_a_500(world, language):
    plan = world.plan
    data = lines_data("startup_costs", [cost(amount="10")])
    data["startup_costs-TOTAL_FORMS"] = "1000"
    response = world.client("owner").post(_url(plan, "start-up-costs/", language), data)
    assert response.status_code == 400
    with translation.override(language):
        expected = ngettext(
            "Please submit at most %(num)d form.", "Please submit at most %(num)d forms.", MAX_LINES
        ) % {"num": MAX_LINES}
    assert expected in _text(response)
    if language == "it":
        assert f"Si prega di inviare al massimo {MAX_LINES} form." in _text(response)
    assert not StartupCost.objects.filter(plan=plan).exists()


@pytest.mark.parametrize("language", ["it", "en"])
def test_a_missing_management_form_is_a_message_not_a_500(world, language):
    plan = world.plan
    data = {
        key: value
        for key, value in lines_data("startup_costs", [cost()]).items()
        if "_FORMS" not in key
    }
    response = world.client("owner").post(_url(plan, "start-up-costs/", language), data)
    assert response.status_code == 400
    main = _text(response)
    if language == "it":
        assert "Mancano i dati ManagementForm o sono stati manomessi." in main
    else:
        assert "ManagementForm data is missing or has been tampered with." in main
    assert not StartupCost.objects.filter(plan=plan).exists()


@pytest.mark.parametrize("revision", ["abc", "99999999999", "-1"])
@pytest.mark.parametrize("page", ["start-up-costs/", "forecast/"])
def test_a_broken_revision_is_a_message_not_a_500_and_keeps_what_was_typed(world, revision, page):
    plan = world.plan
    before = _state(plan)
    if page == "forecast/":
        data = forecast_data(months=["777"] * 12)
    else:
        data = lines_data("startup_costs", [cost(description="Forno a legna")])
    data["revision"] = revision
    response = world.client("owner").post(_url(plan, page), data)
    assert response.status_code == 400
    main = _text(response)
    # The person is told something they can act on (a form error or a message), not nothing.
    assert "alert" in response.content.decode()
    assert re.search(r"out of date|open it again|expired|changed", main, re.IGNORECASE), main
    if page == "forecast/":
        assert response.context["form"]["month_1"].value() == "777"
    else:
        assert response.context["formset"].forms[0]["description"].value() == "Forno a legna"
    assert _state(plan) == before


def test_blank_extra_lines_are_ignored(world):
    plan = world.plan
    data = lines_data("startup_costs", [cost(description="Forno", amount="100")], extra=5)
    response = world.client("owner").post(_url(plan, "start-up-costs/"), data)
    assert response.status_code == 302
    assert _costs(plan) == [("Forno", "equipment", Decimal("100.00"), "22")]


def test_a_line_with_an_amount_but_no_description_is_an_error_not_skipped(world):
    plan = world.plan
    data = lines_data("startup_costs", [cost(description="", amount="100")])
    response = world.client("owner").post(_url(plan, "start-up-costs/"), data)
    assert response.status_code == 400
    assert not StartupCost.objects.filter(plan=plan).exists()


def test_remove_this_line_removes_it(world):
    plan = world.plan
    _save_costs(plan, world.owner, [_line("Forno", "4000"), _line("Banco", "800")])
    client = world.client("owner")
    page = client.get(_url(plan, "start-up-costs/"))
    body = page.content.decode()
    assert "Remove this line" in body
    assert 'name="startup_costs-0-DELETE"' in body
    data = lines_data(
        "startup_costs",
        [
            cost(description="Forno", amount="4000.00", DELETE="on"),
            cost(description="Banco", amount="800.00"),
        ],
        initial=2,
        revision=_revision(plan),
    )
    response = client.post(_url(plan, "start-up-costs/"), data)
    assert response.status_code == 302
    assert _costs(plan) == [("Banco", "equipment", Decimal("800.00"), "22")]


def test_a_page_opened_before_another_save_is_warned_and_saves_nothing(world):
    plan = world.plan
    client = world.client("owner")
    page = client.get(_url(plan, "start-up-costs/", "it"))
    opened_at = page.context["revision_form"]["revision"].value()
    assert opened_at == 0
    _save_costs(plan, world.owner, [_line("Dal telefono", "300")])  # another device
    before = _state(plan)
    data = lines_data("startup_costs", [cost(description="Dal portatile", amount="999,99")])
    response = client.post(_url(plan, "start-up-costs/", "it"), data)
    assert response.status_code == 400
    main = _text(response)
    assert (
        _in(
            "it",
            "The figures were changed in another tab or device after you opened this page, so "
            "nothing was saved. What you typed is still here: check it against the figures page "
            "and save again.",
        )
        in main
    )
    assert _state(plan) == before
    form = response.context["formset"].forms[0]
    assert (form["description"].value(), form["amount"].value()) == ("Dal portatile", "999,99")
    assert 'value="999,99"' in response.content.decode()
    # Sent again from the warned page (now on the current revision), it saves.
    data["revision"] = str(response.context["revision_form"]["revision"].value())
    assert client.post(_url(plan, "start-up-costs/", "it"), data).status_code == 302
    assert _costs(plan) == [("Dal portatile", "equipment", Decimal("999.99"), "22")]


def test_a_page_with_an_error_keeps_the_revision_it_was_opened_at(world):
    """An error shown again must not move the page to a newer revision: the next save would
    then overwrite what another device saved meanwhile, with no warning."""
    plan = world.plan
    client = world.client("owner")
    _save_costs(plan, world.owner, [_line("Dal telefono", "300")])  # revision 1, elsewhere
    data = lines_data("startup_costs", [cost(description="Dal portatile", amount="abc")])
    response = client.post(_url(plan, "start-up-costs/"), data)  # opened at revision 0
    assert response.status_code == 400
    shown = int(response.context["revision_form"]["revision"].value())
    data["startup_costs-0-amount"] = "10"
    data["revision"] = str(shown)
    response = client.post(_url(plan, "start-up-costs/"), data)
    if shown == 0:
        assert response.status_code == 400  # stale: warned, nothing overwritten
    assert _costs(plan) == [("Dal telefono", "equipment", Decimal("300.00"), "22")]


def test_the_same_post_twice_saves_once(world):
    plan = world.plan
    client = world.client("owner")
    data = lines_data(
        "startup_costs", [cost(amount="1250.50"), cost(description="Banco", amount="80")]
    )
    first = client.post(_url(plan, "start-up-costs/"), data)
    second = client.post(_url(plan, "start-up-costs/"), data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert _costs(plan) == [
        ("Forno", "equipment", Decimal("1250.50"), "22"),
        ("Banco", "equipment", Decimal("80.00"), "22"),
    ]
    assert _finance_logs(plan) == 1
    assert _revision(plan) == 1
    followed = client.get(second["Location"])
    assert "These figures were already saved." in _text(followed)


def test_the_same_forecast_twice_saves_once(world):
    plan = world.plan
    client = world.client("owner")
    data = forecast_data()
    assert client.post(_url(plan, "forecast/"), data).status_code == 302
    assert client.post(_url(plan, "forecast/"), data).status_code == 302
    assert _finance_logs(plan) == 1
    assert _revision(plan) == 1


# --- A plan under review -------------------------------------------------------------------------


def test_a_plan_under_review_cannot_be_changed(world):
    plan = world.plan
    _save_costs(plan, world.owner, [_line("Forno", "4000")])
    plan, moved = plan_submit(plan=plan, by=world.owner)
    assert moved and plan.status == BusinessPlan.Status.SUBMITTED
    before = _state(plan)
    client = world.client("owner")
    for page in (*(f"{slug}/" for slug in LIST_SLUGS), "forecast/"):
        response = client.get(_url(plan, page, "it"))
        assert response.status_code == 302, page
        assert response["Location"] == _url(plan, language="it")
    for slug, kind in LIST_SLUGS.items():
        data = lines_data(kind, [cost(description="Tardi")], revision=_revision(plan))
        response = client.post(_url(plan, f"{slug}/"), data)
        assert response.status_code == 302
        assert response["Location"] == _url(plan)
    response = client.post(_url(plan, "forecast/"), forecast_data(revision=_revision(plan)))
    assert response.status_code == 302
    assert _state(plan) == before
    # The figures page says why, in words, and offers no change link.
    figures = client.get(_url(plan, language="en"))
    main = _text(figures)
    assert "This plan is submitted for review" in main
    assert _url(plan, "start-up-costs/") not in main
    assert "4,000.00 €" in main


def test_the_service_refuses_a_plan_under_review(world):
    from django.core.exceptions import ValidationError

    plan, _moved = plan_submit(plan=world.plan, by=world.owner)
    with pytest.raises(ValidationError):
        finance_lines_save(
            plan=plan,
            by=world.owner,
            kind="startup_costs",
            lines=[_line("Tardi", "1")],
            revision=_revision(plan),
        )
    assert not StartupCost.objects.filter(plan=plan).exists()


# --- The forecast ------------------------------------------------------------------------------


def test_the_forecast_round_trip(world):
    plan = world.plan
    client = world.client("owner")
    page = client.get(_url(plan, "forecast/", "it"))
    assert page.status_code == 200
    months = [
        "1000,50",
        "1200",
        "0",
        "800",
        "900",
        "1000",
        "1100",
        "1200",
        "1300",
        "1400",
        "1500",
        "2000",
    ]
    response = client.post(
        _url(plan, "forecast/", "it"),
        forecast_data(months=months, growth_year2="-10", coefficient="78", inps_scheme="artigiani"),
    )
    assert response.status_code == 302, _text(response)
    forecast = Forecast.objects.get(plan=plan)
    assert forecast.monthly_revenue == [
        "1000.50",
        "1200.00",
        "0.00",
        "800.00",
        "900.00",
        "1000.00",
        "1100.00",
        "1200.00",
        "1300.00",
        "1400.00",
        "1500.00",
        "2000.00",
    ]
    assert forecast.growth_year2 == Decimal("-10")
    assert forecast.coefficient == "78"
    assert forecast.inps_scheme == "artigiani"
    assert forecast.startup_rate is True
    assert forecast.inps_reduction is False
    assert _finance_logs(plan) == 1
    # The form opens again with what was saved, the Italian way.
    again = client.get(_url(plan, "forecast/", "it"))
    form = again.context["form"]
    assert form["month_1"].value() == Decimal("1000.50")
    assert 'value="1000,50"' in again.content.decode()
    assert form["coefficient"].value() == "78"
    assert form["inps_scheme"].value() == "artigiani"
    # Year 1's revenue on the figures page: the twelve months added up.
    year_1 = sum(Decimal(m.replace(",", ".")) for m in months)
    assert year_1 == Decimal("13400.50")
    assert "13.400,50 €" in _text(client.get(_url(plan, language="it")))
    assert "13,400.50 €" in _text(client.get(_url(plan)))


def test_a_bad_forecast_is_refused_and_kept(world):
    plan = world.plan
    data = forecast_data(growth_year2="-150", coefficient="99")
    data["month_3"] = "abc"
    response = world.client("owner").post(_url(plan, "forecast/"), data)
    assert response.status_code == 400
    main = _text(response)
    assert BAD_AMOUNT % {"example": EXAMPLE["en"]} in main
    assert "Write a number of at least -100." in main
    assert "Select a valid choice. 99 is not one of the available choices." in main
    form = response.context["form"]
    assert (form["month_3"].value(), form["growth_year2"].value()) == ("abc", "-150")
    assert not Forecast.objects.filter(plan=plan, revision__gt=0).exists()


# --- Warnings and the call's rules --------------------------------------------------------------


def test_funding_short_and_negative_cash_are_said_in_words(world):
    plan = world.plan
    _save_costs(plan, world.owner, [_line("Forno", "10000")])
    finance_lines_save(
        plan=plan,
        by=world.owner,
        kind="funding",
        lines=[{"kind": "own_savings", "amount": Decimal("2000"), "note": ""}],
        revision=_revision(plan),
    )
    main = _text(world.client("owner").get(_url(plan)))
    assert "Look at these" in main
    # 10,000 € + 22 % VAT = 12,200 €; funding 2,000 €: 10,200 € missing.
    assert (
        "The funding (2,000.00 €) does not cover the start-up costs with VAT (12,200.00 €): "
        "10,200.00 € are missing."
    ) in main
    assert "Cash falls below zero: its lowest point is" in main


def test_a_broken_call_rule_is_said_in_words(world, site):
    plan = world.plan
    call = CallRules.objects.create(site=site, name="Microcredito 2027")
    CategoryRule.objects.create(rules=call, category="marketing", max_percent=Decimal("10"))
    BusinessPlan.objects.filter(pk=plan.pk).update(call_rules=call)
    _save_costs(
        plan,
        world.owner,
        [_line("Forno", "6000"), _line("Volantini", "4000", category="marketing")],
    )
    main = _text(world.client("owner").get(_url(plan)))
    assert "Not within the rules of “Microcredito 2027”" in main
    # 4,000 of 10,000 € eligible is 40 %, the call funds at most 10 %.
    assert (
        "Launch marketing: 40.00 % of the eligible costs, and the call funds at most 10.00 %."
        in main
    )


def test_a_plan_within_the_call_rules_says_so(world, site):
    plan = world.plan
    call = CallRules.objects.create(site=site, name="Microcredito 2027")
    CategoryRule.objects.create(rules=call, category="marketing", max_percent=Decimal("50"))
    BusinessPlan.objects.filter(pk=plan.pk).update(call_rules=call)
    _save_costs(plan, world.owner, [_line("Forno", "6000"), _line("Volantini", "400", "marketing")])
    main = _text(world.client("owner").get(_url(plan)))
    assert "The start-up costs keep within the budget rules of “Microcredito 2027”." in main
    assert "Not within the rules" not in main


# --- The charts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["cash", "years"])
@pytest.mark.parametrize("language", ["it", "en"])
def test_a_chart_is_an_svg_without_script_under_a_closed_policy(world, name, language):
    _save_costs(world.plan, world.owner, [_line("Forno", "4000")])
    response = world.client("mentor").get(_url(world.plan, f"chart-{name}.svg", language))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    body = response.content.decode()
    assert body.lstrip().startswith("<svg") or body.lstrip().startswith("<ns0:svg")
    assert "<script" not in body.lower()
    assert "javascript:" not in body.lower()
    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["default-src"] == ["'none'"]
    assert "script-src" not in directives
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_the_chart_words_follow_the_page_language(world):
    english = world.client("owner").get(_url(world.plan, "chart-cash.svg", "en")).content.decode()
    assert "Cash at the end of each month" in english


def test_the_figures_page_gives_each_chart_a_text_alternative(world):
    _save_costs(world.plan, world.owner, [_line("Forno", "4000")])
    body = world.client("owner").get(_url(world.plan)).content.decode()
    images = re.findall(r"<img [^>]*>", body[body.index("<main") :])
    charts = [tag for tag in images if "chart-" in tag]
    assert len(charts) == 2
    for tag in charts:
        alt = re.search(r'alt="([^"]*)"', tag)
        assert alt and alt.group(1).strip(), tag
    # The image is named by its title; the caption under it says what it shows (a screen
    # reader hears each once, not the same sentences twice).
    alts = {html.unescape(re.search(r'alt="([^"]*)"', tag).group(1)) for tag in charts}
    assert alts == {"Cash at the end of each month (€)", "Each year (€)"}
    captions = [html.unescape(c) for c in re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", body)]
    assert any(c.startswith("Cash starts at") for c in captions)
    assert any(c.startswith("Year 1: revenue") for c in captions)


# --- Queries ----------------------------------------------------------------------------------


def _lines(count: int) -> list[dict]:
    return [_line(f"Voce {n}", str(100 + n)) for n in range(count)]


#: Counted for the figures page of the owner of a plan aimed at a call (16): session, user,
#: groups and permissions (2), the site, the plan with its owner and call, the forecast, the
#: three kinds of line, the call's caps, and the site's settings and menus (4). One more
#: query per line would show up at 30 lines, far above this.
FIGURES_QUERIES = 16


def test_the_figures_page_makes_few_queries_however_many_lines(
    world, site, django_assert_max_num_queries
):
    plan = world.plan
    call = CallRules.objects.create(site=site, name="Bando")
    CategoryRule.objects.create(rules=call, category="marketing", max_percent=Decimal("10"))
    BusinessPlan.objects.filter(pk=plan.pk).update(call_rules=call)
    client = world.client("owner")
    counts = {}
    for count in (3, 30):
        _save_costs(plan, world.owner, _lines(count))
        finance_lines_save(
            plan=plan,
            by=world.owner,
            kind="running_costs",
            lines=[
                {"description": f"Spesa {n}", "monthly_amount": Decimal("10"), "starts_month": 1}
                for n in range(count)
            ],
            revision=_revision(plan),
        )
        client.get(_url(plan))  # warm the caches (site, locale)
        with django_assert_max_num_queries(FIGURES_QUERIES) as captured:
            response = client.get(_url(plan))
        assert response.status_code == 200
        assert f"Voce {count - 1}" not in _text(response)  # lines are counted, not listed
        assert f"{count} lines" in _text(response)
        counts[count] = len(captured)
    assert counts[3] == counts[30], counts


# --- Markup ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["start-up-costs/", "funding/", "running-costs/", "forecast/"])
@pytest.mark.parametrize("language", ["it", "en"])
def test_every_field_is_described_by_elements_that_exist(world, page, language):
    """``aria-describedby`` naming a missing id links a field to nothing: a screen reader
    user would not hear the help (the example of how to write an amount)."""
    body = world.client("owner").get(_url(world.plan, page, language)).content.decode()
    ids = set(re.findall(r'\sid="([^"]+)"', body))
    described = re.findall(r'aria-describedby="([^"]+)"', body)
    assert described
    for value in described:
        for target in value.split():
            assert target in ids, f"{target} is not on the page"


# --- More edges -------------------------------------------------------------------------------


def test_a_removal_ticked_on_a_page_with_an_error_is_still_ticked(world):
    """The page shown again with an error must keep the "Remove this line" tick: without it,
    the next save would keep the line the person took away."""
    plan = world.plan
    _save_costs(plan, world.owner, [_line("Forno", "4000"), _line("Banco", "800")])
    data = lines_data(
        "startup_costs",
        [
            cost(description="Forno", amount="4000.00", DELETE="on"),
            cost(description="Banco", amount="ottocento"),
        ],
        initial=2,
        revision=_revision(plan),
    )
    response = world.client("owner").post(_url(plan, "start-up-costs/"), data)
    assert response.status_code == 400
    body = response.content.decode()
    tick = re.search(r'<input type="checkbox" name="startup_costs-0-DELETE"[^>]*>', body)
    assert tick, "the removal checkbox is gone"
    assert "checked" in tick.group(0)
    assert "Line 1 (new)" not in _text(response)
    assert len(_costs(plan)) == 2


def test_a_line_marked_for_removal_is_removed_even_with_a_bad_amount(world):
    plan = world.plan
    _save_costs(plan, world.owner, [_line("Forno", "4000"), _line("Banco", "800")])
    data = lines_data(
        "startup_costs",
        [
            cost(description="Forno", amount="quattromila", DELETE="on"),
            cost(description="Banco", amount="800.00"),
        ],
        initial=2,
        revision=_revision(plan),
    )
    assert world.client("owner").post(_url(plan, "start-up-costs/"), data).status_code == 302
    assert _costs(plan) == [("Banco", "equipment", Decimal("800.00"), "22")]


def test_a_euro_sign_and_spaces_typed_with_an_amount_are_fine(world):
    plan = world.plan
    data = lines_data("startup_costs", [cost(amount=" 1250,50 €")])
    response = world.client("owner").post(_url(plan, "start-up-costs/", "it"), data)
    assert response.status_code == 302
    assert _costs(plan) == [("Forno", "equipment", Decimal("1250.50"), "22")]


def test_a_forecast_page_opened_before_another_save_is_warned_and_saves_nothing(world):
    plan = world.plan
    client = world.client("owner")
    assert client.get(_url(plan, "forecast/")).context["revision_form"]["revision"].value() == 0
    _save_costs(plan, world.owner, [_line("Dal telefono", "300")])  # another device
    before = _state(plan)
    response = client.post(_url(plan, "forecast/"), forecast_data(months=["4321"] * 12))
    assert response.status_code == 400
    assert "The figures were changed in another tab or device" in _text(response)
    assert response.context["form"]["month_1"].value() == "4321"
    assert _state(plan) == before


@pytest.mark.parametrize("initial", ["5000", "abc", "-3"])
def test_a_hand_made_count_of_saved_lines_is_never_a_500(world, initial):
    plan = world.plan
    data = lines_data("startup_costs", [cost(amount="10")])
    data["startup_costs-INITIAL_FORMS"] = initial
    response = world.client("owner").post(_url(plan, "start-up-costs/"), data)
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert "Nothing was saved yet: please check these." in _text(response)
        assert not StartupCost.objects.filter(plan=plan).exists()
