from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.it import iva


def normalise_partita_iva(value: str) -> str:
    """Digits only: spaces, dots and a leading "IT" are what people paste from invoices."""
    value = value.strip().upper().replace(" ", "").replace(".", "")
    return value.removeprefix("IT")


def validate_partita_iva(value: str) -> None:
    try:
        iva.validate(normalise_partita_iva(value))
    except StdnumError as exc:
        raise ValidationError(
            _(
                "“%(value)s” is not a valid partita IVA: "
                "it must have 11 digits and a correct check digit."
            ),
            code="invalid_partita_iva",
            params={"value": value},
        ) from exc
