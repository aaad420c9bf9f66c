"""An employability class is drawn in its colour (interviews.models.CLASS_TONES) wherever a page
colours it: the agenda's badges, a tranche's figures. tests/browser/test_class_colours.py
checks what the browser draws against the dashboard and the workbook."""

import re

import pytest
from django.urls import reverse

from interviews.models import CLASS_TONES, Assessment, EmployabilityClass, Interview
from tests.factories import InterviewFactory, TrancheFactory


def _assessed(recruiter, classes, **kwargs) -> list[Interview]:
    interviews = InterviewFactory.create_batch(
        len(classes), recruiter=recruiter, status=Interview.Status.DONE, **kwargs
    )
    for interview, cls in zip(interviews, classes, strict=True):
        Assessment.objects.create(interview=interview, employability=cls, recorded_by=recruiter)
    return interviews


@pytest.mark.django_db
def test_the_agenda_shows_each_class_in_its_colour(login, recruiter, django_assert_num_queries):
    _assessed(recruiter, ["A", "B", "C", "A"])
    InterviewFactory(recruiter=recruiter)  # not assessed yet: no class badge
    client = login(recruiter)
    # session, user with organisation, their second factor's device, count for the paginator, the
    # page of interviews with candidate, comune, recruiter, agency, tranche and assessment
    with django_assert_num_queries(5):
        content = client.get(reverse("interviews:agenda")).content.decode()
    badges = re.findall(
        r'<span class="badge text-bg-(\w+)" data-class="(\w)">Classe (\w)</span>', content
    )
    assert badges == [
        (CLASS_TONES[EmployabilityClass(cls)], cls, cls) for cls in ("A", "B", "C", "A")
    ]
    assert [tone for tone, _, _ in badges[:3]] == ["success", "warning", "danger"]


@pytest.mark.django_db
def test_a_tranches_figures_colour_each_class_as_the_dashboard_does(login, staff, recruiter):
    tranche = TrancheFactory()
    _assessed(recruiter, ["A", "B", "B", "C"], tranche=tranche)
    content = login(staff).get(reverse("interviews:tranche_detail", args=[tranche.pk])).text
    table = re.search(rf'data-testid="classes-{tranche.pk}">(.*?)</table>', content, re.DOTALL)
    bars = re.findall(r'class="progress-bar bg-(\w+)" data-width="(\d+)"', table.group(1))
    assert bars == [("success", "25"), ("warning", "50"), ("danger", "25")]
    assert [tone for tone, _ in bars] == [CLASS_TONES[cls] for cls in EmployabilityClass]
