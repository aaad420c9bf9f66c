import pytest

from tests.reports.programme_data import build_programme


@pytest.fixture
def programme(company, other_company, centre, other_centre, staff):
    """The programme the dashboard's tests count (programme_data); a module adds to it by
    asking for this fixture under the same name, and the export's tests build their own."""
    return build_programme(
        company=company,
        other_company=other_company,
        centre=centre,
        other_centre=other_centre,
        staff=staff,
    )
