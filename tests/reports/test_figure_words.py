"""Words and numbers: every page that shows a figure shows it with the same label, the same
value and the same definition (focus.figures.MEANINGS), and writes it as Italians do."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from lxml import html as lxml_html
from openpyxl import load_workbook

from focus.figures import MEANINGS
from reports.exporting import workbook_write
from reports.figures import Period, programme_figures
from tests.factories import InterviewFactory, NeedFactory, SurveyCampaignFactory, TrancheFactory
from tests.reports.programme_data import EXPECTED

HOME = reverse("reports:home")
DASHBOARD = reverse("reports:dashboard")
DEMAND = reverse("companies:demand")
TRANCHES = reverse("interviews:tranche_list")
DEMAND_KEYS = ("companies", "needs", "headcount")


def _page(client, url: str, query: dict | None = None):
    response = client.get(url, query or {})
    assert response.status_code == 200, url
    return lxml_html.fromstring(response.text)


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _shown(page) -> dict[str, str]:
    """The number each figure of the page shows, by its key, as the page writes it: the
    figure's own big or bold number, or the one of the card it labels."""
    shown = {}
    for element in page.xpath("//*[@data-figure]"):
        key = element.get("data-figure")
        for scope in (element, element.getparent()):
            numbers = scope.xpath(
                ".//*[contains(@class, 'display-6') or contains(@class, 'h3') or "
                "contains(@class, 'fw-semibold')]"
            )
            if numbers or scope.get("data-testid") == "panel-count":
                shown[key] = _text(numbers[0] if numbers else scope)
                break
    return shown


def _definitions(page) -> dict[str, str]:
    return {
        item.get("data-definition"): _text(item) for item in page.xpath("//*[@data-definition]")
    }


# One figure, one number ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_home_and_the_dashboard_show_the_same_number_for_each_figure(login, admin, programme):
    client = login(admin)
    home = _shown(_page(client, HOME))
    dashboard = _shown(_page(client, DASHBOARD))
    assert set(EXPECTED) <= set(home)  # every figure of the programme at a glance
    for key in EXPECTED:
        assert home[key] == dashboard[key] == str(EXPECTED[key]), key


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "staff"])
def test_every_page_that_shows_the_demand_shows_the_same_numbers(login, personas, role, programme):
    """The dashboard, the demand overview and the campaign's page count companies with needs,
    needs and people needed once (companies.selectors.demand_figures), for the whole
    programme and for one campaign; the programme office's home shows the same."""
    client = login(personas[role])
    campaign = programme.campaign
    pages = {
        "dashboard": _shown(_page(client, DASHBOARD)),
        "demand": _shown(_page(client, DEMAND)),
    }
    if role == "admin":
        pages["home"] = _shown(_page(client, HOME))
    in_campaign = {
        "dashboard": _shown(_page(client, DASHBOARD, {"campaign": campaign.pk})),
        "demand": _shown(_page(client, DEMAND, {"campaign": campaign.pk})),
        "campaign": _shown(_page(client, campaign.get_absolute_url())),
    }
    for key in DEMAND_KEYS:
        assert {page[key] for page in pages.values()} == {str(EXPECTED[key])}, key
    # Rilevazione 2026: both companies' three needs but the other company's 2025 one
    assert {key: {page[key] for page in in_campaign.values()} for key in DEMAND_KEYS} == {
        "companies": {"1"},
        "needs": {"2"},
        "headcount": {"5"},
    }


def test_no_two_meanings_share_a_label():
    """Two counts of different things never go by the same words, in either language."""
    for language in ("it", "en"):
        with translation.override(language):
            labels = [str(meaning.label) for meaning in MEANINGS.values()]
        assert len(labels) == len(set(labels)), language


@pytest.mark.django_db
def test_every_figure_shown_is_a_meaning_and_goes_by_its_label(login, admin, programme):
    client = login(admin)
    shown = set()
    for url in (HOME, DASHBOARD, DEMAND, TRANCHES, programme.campaign.get_absolute_url()):
        page = _page(client, url)
        for element in page.xpath("//*[@data-figure]"):
            key = element.get("data-figure")
            assert key in MEANINGS, (url, key)
            shown.add(key)
            if element.get("data-testid") == "panel-count":  # a home's task: its title
                element = element.getparent()
            if not key.startswith("class_"):  # a class goes by the class's own name
                with translation.override("it"):
                    assert str(MEANINGS[key].label) in _text(element), (url, key)
    assert len(shown) > 20


# Every figure says what it counts --------------------------------------------------------------


def _check_definitions(page, *, at_least: int) -> None:
    """Each figure of `page` has its definition on the page, in Italian, once."""
    figures = {element.get("data-figure") for element in page.xpath("//*[@data-figure]")}
    definitions = _definitions(page)
    assert len(figures) >= at_least
    with translation.override("it"):
        for key in figures:
            assert definitions.get(key) == str(MEANINGS[key].definition), key
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids))  # the figures' definitions are told apart by id


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "at_least"),
    [("admin", 12), ("staff", 3), ("recruiter", 3), ("caseworker", 3), ("company_hr", 3)],
)
def test_each_figure_of_a_home_says_what_it_counts(login, personas, role, at_least, programme):
    page = _page(login(personas[role]), HOME)
    _check_definitions(page, at_least=at_least)
    for figure in page.xpath("//*[@data-testid='home-figures']//a[@data-figure]"):
        definition = page.get_element_by_id(figure.get("aria-describedby"))
        assert definition.get("data-definition") == figure.get("data-figure")


@pytest.mark.django_db
def test_each_figure_of_the_dashboard_says_what_it_counts(login, admin, programme):
    page = _page(login(admin), DASHBOARD)
    _check_definitions(page, at_least=17)
    definitions = _definitions(page)
    with translation.override("it"):
        # the columns of the demand by profile and of the tranches, the obstacles
        for key in ("suitable", "target", "planned", "done", "no_show", "tranche_class_a"):
            assert definitions[key] == str(MEANINGS[key].definition), key
        assert definitions["obstacles"] == str(MEANINGS["obstacles"].definition)


@pytest.mark.django_db
def test_each_figure_of_a_companys_dashboard_says_what_it_counts(login, company_hr, programme):
    definitions = _definitions(_page(login(company_hr), DASHBOARD))
    with translation.override("it"):
        for key in ("headcount", "company_hired", "company_steps"):
            assert definitions[key] == str(MEANINGS[key].definition), key


@pytest.mark.django_db
def test_each_figure_of_the_tranches_and_the_demand_says_what_it_counts(login, staff, programme):
    client = login(staff)
    tranche = programme.tranche
    for url in (TRANCHES, tranche.get_absolute_url()):
        page = _page(client, url)
        _check_definitions(page, at_least=3)
        definitions = _definitions(page)
        with translation.override("it"):
            for key in ("assessed", "tranche_class_b", "tranche_groups", "tranche_obstacles"):
                assert definitions[key] == str(MEANINGS[key].definition), (url, key)
    _check_definitions(_page(client, DEMAND), at_least=3)
    _check_definitions(_page(client, programme.campaign.get_absolute_url()), at_least=3)


# Italian numbers -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_figures_of_a_thousand_and_more_are_written_as_italians_write_them(
    login, admin, staff, recruiter
):
    campaign = SurveyCampaignFactory()
    NeedFactory(campaign=campaign, headcount=800)
    NeedFactory(campaign=campaign, headcount=700)
    tranche = TrancheFactory(target=1200)
    InterviewFactory(tranche=tranche, recruiter=recruiter)
    client = login(admin)
    assert _shown(_page(client, HOME))["headcount"] == "1.500"
    dashboard = _page(client, DASHBOARD)
    assert _shown(dashboard)["headcount"] == "1.500"
    row = dashboard.xpath(f"//tr[@data-tranche='{tranche.pk}']")[0]
    assert "1.200" in _text(row)  # its target
    for url in (DEMAND, campaign.get_absolute_url()):
        assert _shown(_page(client, url))["headcount"] == "1.500", url
    staff_client = login(staff)
    for url in (TRANCHES, tranche.get_absolute_url()):
        planned = _page(staff_client, url).xpath("//*[@data-figure='planned']")[0]
        assert _text(planned).startswith("1 / 1.200"), url


@pytest.mark.django_db
def test_the_workbook_says_what_each_key_figure_counts_as_the_pages_do(admin, programme):
    buffer = io.BytesIO()
    workbook_write(buffer, actor=admin, period=Period())
    rows = load_workbook(buffer)["Riepilogo"].iter_rows(values_only=True)
    assert next(rows)[:3] == ("Indicatore", "Valore", "Che cosa conta")
    with translation.override("it"):
        figures = programme_figures(admin, Period()).funnel
        expected = {str(figure.label): str(figure.definition) for figure in figures}
    written = {}
    for row in rows:
        if row[0] is None:
            break
        written[row[0]] = row[2]
    assert written == expected
    assert all(written.values())
