import pytest
from django.test import Client
from django.urls import reverse

from interviews.models import Assessment
from interviews.services import assessment_record
from tests.concurrency import at_once
from tests.factories import InterviewFactory
from tests.posted import form_data


@pytest.fixture
def interview(recruiter, candidate):
    return InterviewFactory(candidate=candidate, recruiter=recruiter)


def _url(interview) -> str:
    return reverse("interviews:interview_assess", args=[interview.pk])


def _posted(page, **typed) -> dict:
    """What the browser posts from the assessment form on `page`, with `typed` typed in."""
    actions = page.context["actions"]
    return {**form_data(page.context["form"], actions.management_form, *actions.forms), **typed}


@pytest.mark.django_db
def test_an_assessment_opened_before_its_correction_does_not_undo_it(
    login, client, recruiter, staff, interview
):
    recruiter_client = login(recruiter, client=client)
    assert (
        recruiter_client.post(
            _url(interview), _posted(recruiter_client.get(_url(interview)), employability="B")
        ).status_code
        == 302
    )
    staff_client = login(staff, client=Client())
    staff_page = staff_client.get(_url(interview))
    corrected = recruiter_client.post(
        _url(interview), _posted(recruiter_client.get(_url(interview)), employability="A")
    )
    assert corrected.status_code == 302

    refused = staff_client.post(
        _url(interview), _posted(staff_page, confidential_notes="Richiamare a gennaio")
    )

    assert refused.status_code == 200
    assessment = Assessment.objects.get(interview=interview)
    assert (assessment.employability, assessment.confidential_notes) == ("A", "")
    assert "Nel frattempo qualcun altro ha modificato questa scheda" in refused.text
    changes = refused.context["form"].stale_changes
    assert [(c.value, c.conflict) for c in changes] == [("A - collocabile subito", False)]
    assert "Richiamare a gennaio" in refused.text

    again = staff_client.post(_url(interview), _posted(refused))

    assert again.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.employability, assessment.confidential_notes) == (
        "A",
        "Richiamare a gennaio",
    )


@pytest.mark.django_db
def test_a_first_assessment_that_meets_one_recorded_meanwhile_does_not_overwrite_it(
    login, client, recruiter, staff, interview
):
    recruiter_client = login(recruiter, client=client)
    recruiter_page = recruiter_client.get(_url(interview))  # no assessment yet
    staff_client = login(staff, client=Client())
    recorded = staff_client.post(
        _url(interview),
        _posted(staff_client.get(_url(interview)), employability="C", obstacle_health="3"),
    )
    assert recorded.status_code == 302

    refused = recruiter_client.post(
        _url(interview),
        _posted(recruiter_page, employability="B", confidential_notes="Molto motivata"),
    )

    assert refused.status_code == 200
    assessment = Assessment.objects.get(interview=interview)
    assert (assessment.employability, assessment.confidential_notes) == ("C", "")
    assert [o.kind for o in assessment.obstacles.all()] == ["health"]
    assert "Nel frattempo qualcun altro ha modificato questa scheda" in refused.text
    changes = {c.label: (c.value, c.conflict) for c in refused.context["form"].stale_changes}
    assert changes == {
        "Classe di occupabilità": ("C - bassa occupabilità", True),  # typed B is kept
        "Salute": ("Alta", False),
    }
    assert "Molto motivata" in refused.text

    again = recruiter_client.post(_url(interview), _posted(refused))

    assert again.status_code == 302
    assessment = Assessment.objects.get(interview=interview)
    assert (assessment.employability, assessment.confidential_notes) == ("B", "Molto motivata")
    assert [o.kind for o in assessment.obstacles.all()] == ["health"]  # the staff's kept


@pytest.mark.django_db
def test_actions_changed_meanwhile_are_listed_and_kept_when_saving_again(
    login, client, recruiter, staff, interview
):
    recruiter_client = login(recruiter, client=client)
    first = _posted(recruiter_client.get(_url(interview)), employability="B")
    assert recruiter_client.post(_url(interview), first).status_code == 302
    staff_client = login(staff, client=Client())
    staff_page = staff_client.get(_url(interview))
    page = recruiter_client.get(_url(interview))
    added = recruiter_client.post(
        _url(interview),
        _posted(page, **{"actions-TOTAL_FORMS": "1", "actions-0-kind": "transport"}),
    )
    assert added.status_code == 302

    refused = staff_client.post(
        _url(interview), _posted(staff_page, confidential_notes="Richiamare a gennaio")
    )

    assert refused.status_code == 200
    changes = refused.context["form"].stale_changes
    assert [(c.label, c.value, c.conflict) for c in changes] == [
        ("Azioni consigliate", "Supporto ai trasporti", False)
    ]
    assessment = Assessment.objects.get(interview=interview)
    assert assessment.confidential_notes == ""

    again = staff_client.post(_url(interview), _posted(refused))

    assert again.status_code == 302
    assessment.refresh_from_db()
    assert assessment.confidential_notes == "Richiamare a gennaio"
    assert [a.kind for a in assessment.actions.all()] == ["transport"]


def _two_at_once(interview, actor, expected_version: int) -> list[str]:
    """Two saves of the interview's assessment, both opened on `expected_version`, at once."""

    def recording(employability: str):
        return lambda: assessment_record(
            interview=interview,
            actor=actor,
            employability=employability,
            expected_version=expected_version,
        )

    return at_once(recording("A"), recording("C"))


@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_first_assessments_only_one_is_written(reference_data, recruiter):
    interview = InterviewFactory(recruiter=recruiter)

    assert _two_at_once(interview, recruiter, expected_version=0) == ["refused", "saved"]
    stored = Assessment.objects.get(interview=interview)
    assert stored.version == 1
    assert stored.employability in {"A", "C"}


@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_corrections_of_the_same_version_only_one_is_written(
    reference_data, recruiter
):
    interview = InterviewFactory(recruiter=recruiter)
    assessment_record(interview=interview, actor=recruiter, employability="B")

    assert _two_at_once(interview, recruiter, expected_version=1) == ["refused", "saved"]
    stored = Assessment.objects.get(interview=interview)
    assert stored.version == 2
    assert stored.employability in {"A", "C"}
