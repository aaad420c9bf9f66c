import pytest
from django.db import IntegrityError, transaction

from accounts.models import Organisation, User
from tests.factories import OrganisationFactory, UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "kind"),
    [
        (User.Role.CASEWORKER, Organisation.Kind.COMPANY),
        (User.Role.COMPANY_HR, Organisation.Kind.CENTRE),
        (User.Role.RECRUITER, Organisation.Kind.PROGRAMME),
        (User.Role.ADMIN, Organisation.Kind.AGENCY),
    ],
)
def test_database_refuses_a_role_that_does_not_fit_the_organisation(role, kind):
    organisation = OrganisationFactory(kind=kind)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("mismatch", "m@example.org", role=role, organisation=organisation)


@pytest.mark.django_db
def test_database_refuses_the_same_email_in_another_case():
    UserFactory(email="Mario.Rossi@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="mario.rossi@EXAMPLE.org")


@pytest.mark.django_db
def test_staff_may_belong_to_the_programme_office_or_an_agency():
    for kind in (Organisation.Kind.PROGRAMME, Organisation.Kind.AGENCY):
        user = UserFactory(role=User.Role.STAFF, organisation=OrganisationFactory(kind=kind))
        assert user.role_fits_organisation()
