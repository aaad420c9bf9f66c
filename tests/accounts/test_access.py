import pytest
from django.contrib.contenttypes.models import ContentType

from accounts.access import can, scope
from accounts.models import Organisation, User
from companies.models import Company


@pytest.mark.django_db
def test_a_model_without_rules_is_invisible_and_untouchable(admin):
    assert ContentType.objects.exists()
    assert list(scope(admin, ContentType)) == []
    assert not can(admin, "list", ContentType)


@pytest.mark.django_db
def test_a_deactivated_user_sees_nothing_and_may_do_nothing(staff, company):
    staff.is_active = False
    assert list(scope(staff, Company)) == []
    assert not can(staff, "list", Company)


@pytest.mark.django_db
def test_company_hr_scope_is_their_own_company(company_hr, company, other_company):
    assert list(scope(company_hr, Company)) == [company]
    assert can(company_hr, "change", company)
    assert not can(company_hr, "change", other_company)
    assert not can(company_hr, "list", Company)


@pytest.mark.django_db
def test_non_administrators_see_only_their_own_organisation_and_themselves(
    caseworker, centre, other_centre
):
    assert list(scope(caseworker, Organisation)) == [centre]
    assert list(scope(caseworker, User)) == [caseworker]


@pytest.mark.django_db
def test_administrator_cannot_deactivate_themselves(admin, staff):
    assert can(admin, "deactivate", staff)
    assert not can(admin, "deactivate", admin)
