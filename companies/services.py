"""Writes on companies."""

from django.db import transaction
from django.utils.text import slugify

from accounts.models import Organisation
from companies.models import Company
from companies.validators import normalise_partita_iva


def _unique_code(name: str) -> str:
    base = slugify(name)[:32] or "azienda"
    code, n = base, 1
    while Organisation.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


@transaction.atomic
def company_register(*, name: str, partita_iva: str) -> Company:
    """Create a company and the organisation its HR users will belong to."""
    organisation = Organisation(name=name, code=_unique_code(name), kind=Organisation.Kind.COMPANY)
    organisation.full_clean()
    organisation.save()
    company = Company(organisation=organisation, partita_iva=normalise_partita_iva(partita_iva))
    company.full_clean()
    company.save()
    return company


@transaction.atomic
def company_update(*, company: Company, name: str, partita_iva: str) -> Company:
    company.organisation.name = name
    company.organisation.full_clean()
    company.organisation.save(update_fields=["name"])
    company.partita_iva = normalise_partita_iva(partita_iva)
    company.full_clean()
    company.save(update_fields=["partita_iva", "updated_at"])
    return company
