"""What the portal's services share: a record's fields set, checked and saved."""

from collections.abc import Iterable, Mapping
from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def fields_save(record: M, changes: Mapping[str, object], *, allowed: Iterable[str]) -> M:
    """Set `changes` on `record`, each one of the `allowed` fields (TypeError otherwise),
    validate the whole record (`full_clean`: ValidationError keyed by field, and nothing is
    written) and save it: a new record whole, an existing one only in the fields changed."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"Not a field of {type(record).__name__}: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(record, name, value)
    record.full_clean()
    if record.pk is None:
        record.save()
    else:
        record.save(update_fields=list(changes))
    return record
