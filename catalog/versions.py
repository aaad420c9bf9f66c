"""No lost updates: a record's edit form remembers the version it was opened with, and a save
of a version that is no longer the current one is refused instead of silently undoing what
somebody else saved meanwhile.

- `VersionedModel` gives a model its `version`, which every save of an existing row raises by
  one in the database (`version = version + 1`), whatever path the save takes (edit forms,
  status moves, imports, the admin site).
- `VersionedForm` carries the version and a fingerprint of the values the form was opened
  with, both hidden: a ModelForm's record is its instance, a plain form is given it.
- `version_check`, called by the service that saves the edit inside its transaction, locks
  the row and raises `StaleEdit` when its version moved on (`RecordGone` when the row was
  deleted meanwhile): of two saves of the same version only the first one wins.
- `stale_refuse` prepares the refused form for showing again: what the user typed is kept,
  the fields changed meanwhile are listed with their current values, and the form now
  carries the current version, so that saving again after a review goes through.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django import forms
from django.core import signing
from django.db import models
from django.db.models import F
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

OPENED_SALT = "catalog.versions.opened"


class StaleEdit(Exception):
    """The record changed since its form was opened: the save was refused, nothing written."""


class RecordGone(StaleEdit):
    """The record was deleted since its form was opened: the save was refused."""


class VersionedModel(models.Model):
    """An abstract base for the records edited through forms by several people."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        """Raise the version in the database, atomically, on every update of the row."""
        if self._state.adding:
            return super().save(*args, **kwargs)
        known = self.version
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = [*kwargs["update_fields"], "version"]
        self.version = F("version") + 1
        try:
            super().save(*args, **kwargs)
        finally:
            # What the row now holds when nobody else wrote it meanwhile (true after
            # `version_check`); read it again where it matters.
            self.version = known + 1
        return None


def version_check(instance: VersionedModel, expected: int) -> None:
    """Lock the row of `instance` until the transaction ends and raise StaleEdit unless its
    version is still `expected`. Call it inside the saving transaction, before any write.

    On PostgreSQL a second save of the same version waits for the lock and then reads the
    version the first one wrote; SQLite serialises writers from the start of the transaction
    (IMMEDIATE mode)."""
    current = (
        type(instance)
        ._base_manager.select_for_update()
        .filter(pk=instance.pk)
        .values_list("version", flat=True)
        .first()
    )
    if current is None:
        raise RecordGone
    if current != expected:
        raise StaleEdit
    instance.version = current


@dataclass(frozen=True)
class Change:
    """A field changed meanwhile: its label, its current value, and whether the user had
    changed it too (then the form keeps their value; otherwise it now shows the current)."""

    label: str
    value: str
    conflict: bool


class VersionedForm:
    """A mixin for a form that edits one record of a VersionedModel: `version` and `opened`
    travel hidden.

    On a ModelForm the record is its `instance`. A plain form (its initial values worked out
    by the caller) is given the record as `instance=`, None while there is none yet.

    `version_ignore` names form fields that are no part of the record (confirmations).
    `new_version` is what a form for a record not yet there carries: None, no check (a new
    record cannot meet a save of it by somebody else); 0 where the record is one of a kind
    (one per parent row): the save is then refused if somebody else created it meanwhile."""

    version_ignore: tuple[str, ...] = ()
    new_version: int | None = None
    stale_changes: list[Change] | None = None

    def __init__(self, *args, **kwargs):
        if not isinstance(self, forms.BaseModelForm):
            self.instance = kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=0
        )
        self.fields["opened"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if self.opened_version is not None:
            self.initial["version"] = self.opened_version
            self.initial["opened"] = self.fingerprint  # called when drawn: fields are final

    @property
    def opened_version(self) -> int | None:
        """The version of the record as it is now: the one a form opened now carries."""
        if self.instance is not None and self.instance.pk is not None:
            return self.instance.version
        return self.new_version

    def clean(self):
        cleaned = super().clean()
        if self.opened_version is not None and cleaned.get("version") is None:
            raise forms.ValidationError(
                _("This form is out of date: open the record again to edit it."),
                code="no_version",
            )
        return cleaned

    @property
    def changed_data(self) -> list[str]:
        """The record's fields the user changed: the hidden version and fingerprint are none."""
        return [name for name in super().changed_data if name not in ("version", "opened")]

    @property
    def expected_version(self) -> int | None:
        """The version the form was opened with; None when there is nothing to check."""
        return self.cleaned_data.get("version") if self.opened_version is not None else None

    def _record_fields(self):
        for name, field in self.fields.items():
            if name not in ("version", "opened", *self.version_ignore):
                yield name, field, field.prepare_value(self.get_initial_for_field(field, name))

    def fingerprint(self) -> str:
        """A short digest of each field's value as the form was opened, signed."""
        return signing.dumps(
            {name: _digest(value) for name, _field, value in self._record_fields()},
            salt=OPENED_SALT,
            compress=True,
        )


def stale_refuse(form: VersionedForm, fresh: VersionedForm) -> None:
    """Make the bound, valid `form`, whose save was refused, ready to show again: `fresh` is
    the same form opened on the record as it is now. Sets `form.stale_changes`.

    A field changed meanwhile that the user left as it was now shows its current value, so
    that saving again does not undo it; one the user changed too keeps what they typed."""
    try:
        opened = signing.loads(form.data.get(form.add_prefix("opened"), ""), salt=OPENED_SALT)
    except signing.BadSignature:
        opened = {}
    form.data = form.data.copy()
    form.stale_changes = []
    for name, field, value in fresh._record_fields():
        if name not in form.fields or opened.get(name) == _digest(value):
            continue
        conflict = _digest(form.cleaned_data.get(name)) != opened.get(name)
        if not conflict and not field.disabled:
            form.data.setlist(form.add_prefix(name), _as_data(value))
        form.stale_changes.append(Change(str(field.label), _display(field, value), conflict))
    form.data[form.add_prefix("version")] = _as_data(fresh.opened_version)[0]
    form.data[form.add_prefix("opened")] = fresh.fingerprint()


def _as_data(value) -> list[str]:
    """A prepared value as a browser would post it."""
    if value is None:
        return [""]
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return [str(value)]


def _digest(value) -> str:
    if value is None:
        value = ""
    elif isinstance(value, models.QuerySet):
        value = [item.pk for item in value]
    if isinstance(value, list | tuple | set | frozenset):
        # Nothing chosen reads the same whether the form was given no value or an empty list.
        value = sorted(str(item.pk if isinstance(item, models.Model) else item) for item in value)
        value = value or ""
    elif isinstance(value, models.Model):
        value = value.pk
    return hashlib.sha256(str(value).encode()).hexdigest()[:12]


def _display(field: forms.Field, value) -> str:
    """The value as the user reads it: labels of choices, names of related records."""
    if value in (None, "", [], ()):
        return "—"
    if isinstance(field, forms.ModelMultipleChoiceField):
        related = field.queryset.model._default_manager.filter(pk__in=value)
        return ", ".join(str(item) for item in related) or "—"
    if isinstance(field, forms.ModelChoiceField):
        if isinstance(value, models.Model):
            return str(value)
        related = field.queryset.model._default_manager.filter(pk=value).first()
        return str(related) if related else "—"
    if isinstance(field, forms.BooleanField):
        return str(_("Yes") if value else _("No"))
    if isinstance(field, forms.ChoiceField):
        labels = {str(key): label for key, label in _flat_choices(field.choices)}
        return str(labels.get(str(value), value))
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _flat_choices(choices):
    for key, label in choices:
        if isinstance(label, list | tuple):
            yield from label
        else:
            yield key, label
