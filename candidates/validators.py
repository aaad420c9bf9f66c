import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.it import codicefiscale


def normalise_codice_fiscale(value: str) -> str:
    return codicefiscale.compact(value or "")


def validate_codice_fiscale(value: str) -> None:
    """A personal codice fiscale (16 characters) with a correct check character.

    Temporary 11-digit codes (given to foreigners while their documents are processed) are
    not personal codes: they are refused here and the candidate is registered without one.
    """
    code = normalise_codice_fiscale(value)
    try:
        codicefiscale.validate(code)
    except StdnumError as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid codice fiscale."),
            code="invalid_codice_fiscale",
            params={"value": value},
        ) from exc
    if len(code) != 16:
        raise ValidationError(
            _("Enter the 16-character personal codice fiscale."), code="codice_fiscale_length"
        )


def codice_fiscale_facts(value: str) -> tuple[datetime.date, str] | None:
    """(birth date, sex "F"/"M") encoded in a valid personal codice fiscale, else None."""
    code = normalise_codice_fiscale(value)
    if len(code) != 16 or not codicefiscale.is_valid(code):
        return None
    return codicefiscale.get_birth_date(code), codicefiscale.get_gender(code)
