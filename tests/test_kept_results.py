"""Results kept in the shared cache (focus.cache): served until a declared table changes."""

import pytest
from django.db import transaction

from accounts.models import Organisation
from focus import cache as kept_results
from tests.factories import OrganisationFactory

NAMESPACE = "test-organisations"
kept_results.invalidated_by(NAMESPACE, Organisation)

pytestmark = pytest.mark.django_db


def organisation_count(calls: list) -> int:
    def compute() -> int:
        calls.append(1)
        return Organisation.objects.count()

    return kept_results.kept(NAMESPACE, ("count",), compute)


def test_a_result_is_computed_once_and_served_from_the_cache_after(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        OrganisationFactory()
    calls = []
    first = organisation_count(calls)
    assert organisation_count(calls) == first
    assert len(calls) == 1


def test_a_committed_save_of_a_declared_model_retires_the_result(
    django_capture_on_commit_callbacks,
):
    calls = []
    before = organisation_count(calls)
    with django_capture_on_commit_callbacks(execute=True):
        OrganisationFactory()
    assert organisation_count(calls) == before + 1
    assert organisation_count(calls) == before + 1
    assert len(calls) == 2


def test_a_read_in_the_writing_transaction_sees_its_own_writes():
    calls = []
    before = organisation_count(calls)
    OrganisationFactory()  # not committed yet: the test's transaction is open
    assert organisation_count(calls) == before + 1
    OrganisationFactory().delete()
    assert organisation_count(calls) == before + 1


def test_a_rolled_back_write_leaves_the_kept_result_in_place():
    calls = []
    before = organisation_count(calls)

    @transaction.atomic
    def create_then_fail() -> None:
        OrganisationFactory()
        raise RuntimeError

    with pytest.raises(RuntimeError):
        create_then_fail()
    assert organisation_count(calls) == before
    assert len(calls) == 1


def test_a_write_that_sends_no_signal_retires_the_result_with_touch(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        organisation = OrganisationFactory(name="Prima")

    def names() -> list[str]:
        return kept_results.kept(
            NAMESPACE, ("names",), lambda: list(Organisation.objects.values_list("name", flat=True))
        )

    assert "Prima" in names()
    with django_capture_on_commit_callbacks(execute=True):
        Organisation.objects.filter(pk=organisation.pk).update(name="Seconda")
    assert "Prima" in names()  # no signal: the kept list stays until touched
    with django_capture_on_commit_callbacks(execute=True):
        kept_results.touch(NAMESPACE)
    assert "Seconda" in names()


def test_results_of_different_keys_are_kept_apart():
    first = kept_results.kept(NAMESPACE, ("key", 1), lambda: "one")
    second = kept_results.kept(NAMESPACE, ("key", 2), lambda: "two")
    assert (first, second) == ("one", "two")
    assert kept_results.kept(NAMESPACE, ("key", 1), lambda: "other") == "one"
