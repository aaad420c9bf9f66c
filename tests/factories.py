"""factory_boy factories. Every user's password is PASSWORD."""

import datetime

import factory
from django.utils import timezone
from stdnum import luhn

from accounts.models import ROLE_ORGANISATION_KINDS, Organisation, User
from candidates.models import Candidate
from catalog.models import AtecoCode, Comune, JobProfile
from companies.models import Company, Need, SurveyCampaign
from interviews.models import Interview, Tranche

PASSWORD = "correct-horse-battery-staple"

factory.Faker._DEFAULT_LOCALE = "it_IT"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organizzazione {n}")
    code = factory.Sequence(lambda n: f"org-{n}")
    kind = Organisation.Kind.CENTRE


def _partita_iva(n: int) -> str:
    base = f"{n:07d}016"
    return base + luhn.calc_check_digit(base)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    organisation = factory.SubFactory(
        OrganisationFactory,
        kind=Organisation.Kind.COMPANY,
        name=factory.Sequence(lambda n: f"Officine Bergamasche {n} S.r.l."),
    )
    partita_iva = factory.Sequence(lambda n: _partita_iva(n + 1000))
    ateco = factory.LazyFunction(lambda: AtecoCode.objects.get(code="25.11.00"))
    comune = factory.LazyFunction(lambda: Comune.objects.get(istat_code="016024"))
    size = Company.Size.SMALL


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"utente{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = User.Role.STAFF
    organisation = factory.LazyAttribute(
        lambda u: OrganisationFactory(kind=ROLE_ORGANISATION_KINDS[u.role][-1])
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        is_admin = kwargs["role"] == User.Role.ADMIN
        kwargs.setdefault("is_staff", is_admin)
        kwargs.setdefault("is_superuser", is_admin)
        return model_class._default_manager.create_user(*args, password=PASSWORD, **kwargs)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    centre = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.CENTRE)
    status = Candidate.Status.REGISTERED
    sex = Candidate.Sex.FEMALE
    birth_date = factory.Faker("date_of_birth", minimum_age=20, maximum_age=55)
    nationality = "MA"
    birth_country = "MA"
    italian_level = "A2"
    residence_comune = factory.LazyFunction(lambda: Comune.objects.get(istat_code="016024"))
    phone = factory.Sequence(lambda n: f"+39 333 {n:07d}")
    consent_programme = True
    consent_matching = True


class SurveyCampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyCampaign

    name = factory.Sequence(lambda n: f"Rilevazione fabbisogni {2020 + n}")
    opens_on = factory.LazyFunction(lambda: datetime.date(2026, 10, 1))
    closes_on = factory.LazyFunction(lambda: datetime.date(2026, 12, 31))
    status = SurveyCampaign.Status.OPEN


class NeedFactory(factory.django.DjangoModelFactory):
    """Needs use the reference data loaded once per test session (see conftest)."""

    class Meta:
        model = Need

    company = factory.SubFactory(CompanyFactory)
    campaign = factory.SubFactory(SurveyCampaignFactory)
    profile = factory.LazyFunction(lambda: JobProfile.objects.get(code="addetto-assemblaggio"))
    workplace = factory.LazyFunction(lambda: Comune.objects.get(istat_code="016024"))
    headcount = 2
    contract = Need.Contract.FIXED_TERM


class TrancheFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tranche

    name = factory.Sequence(lambda n: f"Tranche {n + 1}")
    starts_on = factory.LazyFunction(lambda: datetime.date(2026, 11, 1))
    ends_on = factory.LazyFunction(lambda: datetime.date(2026, 12, 20))
    target = 46


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    tranche = factory.SubFactory(TrancheFactory)
    candidate = factory.SubFactory(CandidateFactory)
    recruiter = factory.SubFactory(UserFactory, role=User.Role.RECRUITER)
    agency = factory.LazyAttribute(lambda i: i.recruiter.organisation)
    # From 09:00 tomorrow (local time), 45 minutes apart: in the agenda whenever tests run.
    scheduled_at = factory.Sequence(
        lambda n: (
            timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
            + datetime.timedelta(days=1, minutes=45 * n)
        )
    )
