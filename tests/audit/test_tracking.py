"""Every write of a followed record is one event naming the fields changed, never a value:
single saves, deletes, and the bulk paths (update, bulk_create, bulk_update)."""

import logging

import pytest
from django.urls import reverse

from audit.context import acting
from audit.models import AuditEvent
from candidates.models import CandidateLanguage, CandidateSkill, ConsentRecord, Experience
from catalog.models import Skill
from interviews.models import Assessment, Obstacle
from tests.audit.conftest import assert_nothing_planted
from tests.factories import CandidateFactory, InterviewFactory, NeedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _all_logs(caplog):
    caplog.set_level(logging.DEBUG)


def test_creating_a_candidate_is_one_event_naming_the_fields_given(caplog, centre, staff, events):
    with acting(staff, "192.0.2.1"):
        candidate = CandidateFactory(
            centre=centre, first_name="Zzplanted", health_notes="Zzsecret-health"
        )
    [event] = events()
    assert (event.action, event.object_type, event.object_id) == (
        "create",
        "candidates.candidate",
        str(candidate.pk),
    )
    assert (event.actor, event.actor_role, event.ip) == (staff, "staff", "192.0.2.1")
    assert event.candidate_id == candidate.pk
    assert {"first_name", "health_notes", "centre"} <= set(event.fields)
    assert "version" not in event.fields
    assert "created_at" not in event.fields
    assert_nothing_planted(caplog)


def test_changing_a_candidate_names_only_the_fields_that_changed(caplog, candidate, events):
    candidate.first_name = "Zzplanted"
    candidate.email = "zzplanted@example.org"
    candidate.health_notes = candidate.health_notes  # unchanged: not named
    candidate.save()
    [event] = events()
    assert event.action == "change"
    assert event.fields == ["email", "first_name"]
    assert event.candidate_id == candidate.pk
    assert_nothing_planted(caplog)


def test_a_second_save_names_what_changed_since_the_first(candidate, events):
    candidate.phone = "+39 333 0001112"
    candidate.save()
    candidate.notes = "Zzplanted"
    candidate.save(update_fields=["notes", "updated_at"])
    assert [event.fields for event in events()] == [["phone"], ["notes"]]
    assert_nothing_planted()


def test_a_save_that_changes_nothing_writes_no_event(candidate, events):
    candidate.save()
    assert events() == []


def test_a_candidates_record_loaded_again_compares_with_what_was_loaded(candidate, events):
    from candidates.models import Candidate

    loaded = Candidate.objects.get(pk=candidate.pk)
    loaded.last_name = "Zzplanted"
    loaded.save()
    [event] = events()
    assert event.fields == ["last_name"]


def test_deleting_a_record_is_one_event_with_its_candidate(candidate, events):
    experience = Experience.objects.create(candidate=candidate, description="Zzplanted", years=2)
    experience_pk = experience.pk
    experience.delete()
    created, deleted = events()
    assert created.fields == ["candidate", "description", "years"]
    assert (deleted.action, deleted.object_id, deleted.candidate_id, deleted.fields) == (
        "delete",
        str(experience_pk),
        candidate.pk,
        [],
    )
    assert_nothing_planted()


def test_a_queryset_update_writes_one_event_per_row_with_the_fields(centre, events):
    first, second = CandidateFactory.create_batch(2, centre=centre)
    CandidateFactory()  # of another centre: not updated
    start = len(events())
    from candidates.models import Candidate

    with acting(None, "192.0.2.9"):
        updated = Candidate.objects.filter(centre=centre).update(notes="Zzplanted", nights=True)
    written = events()[start:]
    assert updated == 2
    assert sorted(int(e.object_id) for e in written) == sorted([first.pk, second.pk])
    assert {e.candidate_id for e in written} == {first.pk, second.pk}
    assert all(e.action == "change" and e.fields == ["nights", "notes"] for e in written)
    assert all(e.ip == "192.0.2.9" for e in written)
    assert_nothing_planted()


def test_an_update_of_a_related_manager_names_its_candidate(candidate, events):
    CandidateLanguage.objects.create(candidate=candidate, language="ara", level="B1")
    start = len(events())
    candidate.languages.update(level="C1")
    [event] = events()[start:]
    assert (event.object_type, event.candidate_id, event.fields) == (
        "candidates.candidatelanguage",
        candidate.pk,
        ["level"],
    )


def test_an_update_that_matches_nothing_writes_nothing(events):
    from candidates.models import Candidate

    Candidate.objects.filter(pk=0).update(notes="Zzplanted")
    assert events() == []


def test_bulk_create_writes_one_create_event_per_row(candidate, events):
    skills = list(Skill.objects.all()[:3])
    links = CandidateSkill.objects.bulk_create(
        CandidateSkill(candidate=candidate, skill=skill) for skill in skills
    )
    written = events()
    assert len(written) == 3
    assert {e.object_id for e in written} == {str(link.pk) for link in links}
    assert all(e.action == "create" and e.candidate_id == candidate.pk for e in written)
    assert all(e.fields == ["candidate", "skill"] for e in written)


def test_bulk_update_writes_one_change_event_per_row_with_the_fields(candidate, events):
    links = [
        CandidateSkill.objects.create(candidate=candidate, skill=skill)
        for skill in Skill.objects.all()[:2]
    ]
    start = len(events())
    for link in links:
        link.verified = True
    CandidateSkill.objects.bulk_update(links, ["verified"])
    written = events()[start:]
    assert [(e.action, e.object_id, e.fields) for e in written] == [
        ("change", str(link.pk), ["verified"]) for link in links
    ]


def test_a_consent_given_on_the_candidate_page_is_one_consent_event(
    login, caplog, caseworker, candidate, events
):
    client = login(caseworker)
    start = len(events())
    response = client.post(
        reverse("candidates:set_consent", args=[candidate.pk]),
        {"purpose": "share_profile", "granted": "on"},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302
    [event] = events()[start:]
    record = ConsentRecord.objects.get(candidate=candidate, purpose="share_profile")
    assert (event.action, event.object_type, event.object_id) == (
        "consent",
        "candidates.consentrecord",
        str(record.pk),
    )
    assert (event.actor, event.actor_role, event.ip) == (caseworker, "caseworker", "198.51.100.7")
    assert event.candidate_id == candidate.pk
    assert_nothing_planted(caplog)


def test_a_status_change_is_one_change_event_naming_the_status(login, staff, candidate, events):
    client = login(staff)
    start = len(events())
    client.post(
        reverse("candidates:set_status", args=[candidate.pk]),
        {"status": "suspended", "reason": "Zzplanted"},
        REMOTE_ADDR="198.51.100.8",
    )
    [event] = events()[start:]
    assert (event.action, event.fields, event.actor, event.ip) == (
        "change",
        ["status"],
        staff,
        "198.51.100.8",
    )
    assert_nothing_planted()


def test_an_assessments_events_name_the_candidate_of_its_interview(staff, events):
    interview = InterviewFactory()
    start = len(events())
    assessment = Assessment.objects.create(
        interview=interview, employability="B", recorded_by=staff, confidential_notes="Zzplanted"
    )
    Obstacle.objects.bulk_create([Obstacle(assessment=assessment, kind="health", note="Zzplanted")])
    created, obstacle = events()[start:]
    assert (created.object_type, created.candidate_id) == (
        "interviews.assessment",
        interview.candidate_id,
    )
    assert "confidential_notes" in created.fields
    assert (obstacle.object_type, obstacle.candidate_id) == (
        "interviews.obstacle",
        interview.candidate_id,
    )
    assert_nothing_planted()


def test_a_need_and_a_user_are_followed_without_a_candidate(admin, events):
    need = NeedFactory()
    start = len(events())
    need.headcount = 5
    need.save()
    admin.first_name = "Zzplanted"
    admin.save()
    changed_need, changed_user = events()[start:]
    assert (changed_need.object_type, changed_need.fields, changed_need.candidate_id) == (
        "companies.need",
        ["headcount"],
        None,
    )
    assert (changed_user.object_type, changed_user.fields) == ("accounts.user", ["first_name"])
    assert_nothing_planted()


def test_a_password_change_names_the_password_never_its_hash(admin, events):
    admin.set_password("Zzplanted-new-password")
    admin.save()
    [event] = events()
    assert event.fields == ["password"]
    assert admin.password not in repr(list(AuditEvent.objects.values_list()))


def test_an_event_is_never_changed_nor_deleted_by_the_model(candidate):
    event = AuditEvent.objects.filter(candidate_id=candidate.pk).first()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
