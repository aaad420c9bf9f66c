"""No value typed about a candidate, in any field of any record the portal keeps about them,
reaches company HR: a recognisable value is planted in every text field of every model that
leads to the candidate (found through the app registry, so that a model or a field added
later is planted too), and the companies' pages and e-mails are searched for each."""

import datetime
import decimal
import itertools

import pytest
from django.core import mail
from django.db import models
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate, CandidateLanguage, Experience
from catalog.models import AtecoCode, JobProfile
from matching.models import Entry
from matching.services import entry_move, shortlist_add, shortlist_share
from tests.factories import CandidateFactory, InterviewFactory, NeedFactory
from training.models import Course
from training.services import (
    course_save,
    course_session_add,
    enrolment_propose,
    support_action_propose,
)

pytestmark = pytest.mark.django_db

# What the company reads by design, and is no value of the person's: the pseudonyms of a
# shortlist entry and of a course enrolment (the host company's course page).
SHOWN_BY_DESIGN = {("matching.entry", "code"), ("training.enrolment", "code")}


def reachable_models() -> list[type[models.Model]]:
    """Every model whose rows lead to a candidate through foreign keys (the audit trail
    aside: it holds no values)."""
    found, todo = [], [Candidate]
    while todo:
        model = todo.pop(0)
        found.append(model)
        for relation in model._meta.related_objects:
            related = relation.related_model
            if (
                (relation.one_to_many or relation.one_to_one)
                and related not in found
                and related not in todo
                and related._meta.app_label != "audit"
            ):
                todo.append(related)
    return found


def _path_to_candidate(model) -> str:
    """The lookup from `model` to its candidate, e.g. "interview__candidate"."""
    if model is Candidate:
        return "pk"
    forward = [field for field in model._meta.concrete_fields if field.is_relation]
    for field in forward:
        if field.related_model is Candidate:
            return field.name
    for field in forward:
        if field.related_model in reachable_models()[1:]:
            return f"{field.name}__{_path_to_candidate(field.related_model)}"
    raise AssertionError(f"{model._meta.label} does not lead to a candidate")


def _value(field, number: int):
    """A value for `field` that a search can find, within its length."""
    if isinstance(field, models.EmailField):
        return f"zq{number:03d}q@planted.example"
    if isinstance(field, models.JSONField):
        return [f"Zq{number:03d}q"]
    return f"Zq{number:03d}q"[: field.max_length] if field.max_length else f"Zq{number:03d}q"


def _planted_fields(model):
    for field in model._meta.concrete_fields:
        if (model._meta.label_lower, field.name) in SHOWN_BY_DESIGN:
            continue
        if isinstance(field, models.CharField | models.TextField | models.JSONField) and not (
            field.choices or field.is_relation or field.primary_key
        ):
            yield field


def _row(model, candidate, parents: dict, users: dict):
    """A row of `model` for the candidate, with whatever its required fields need."""
    values = {}
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is Candidate:
            values[field.name] = candidate  # the row is the candidate's, if it may be no one's
            continue
        if field.primary_key or field.has_default() or field.null or field.blank:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        if field.is_relation:
            target = field.related_model
            values[field.name] = (
                candidate
                if target is Candidate
                else parents.get(target) or users.get(target) or target._default_manager.first()
            )
        elif field.choices:
            values[field.attname] = field.choices[0][0]
        elif isinstance(field, models.BooleanField):
            values[field.attname] = False
        elif isinstance(field, models.DecimalField | models.IntegerField | models.FloatField):
            values[field.attname] = (
                decimal.Decimal(1) if isinstance(field, models.DecimalField) else 1
            )
        elif isinstance(field, models.DateTimeField):
            values[field.attname] = timezone.now()
        elif isinstance(field, models.DateField):
            values[field.attname] = timezone.localdate()
        elif isinstance(field, models.TimeField):
            values[field.attname] = datetime.time(9)
        elif isinstance(field, models.JSONField):
            values[field.attname] = []
        else:
            values[field.attname] = "x"
    return model._default_manager.create(**values)


@pytest.fixture
def planted(company, company_hr, staff, centre, caseworker, other_centre):
    """A candidate shared with the HR persona's company, at "interested" (no contacts), with a
    row of every model that leads to them and a value planted in every text field of each.
    Returns the planted values."""
    need = NeedFactory(company=company)
    candidate = CandidateFactory(
        centre=centre,
        caseworker=caseworker,
        consent_share_profile=True,
        driving_licences="B",
    )
    Experience.objects.create(
        candidate=candidate,
        profile=JobProfile.objects.get(code="carrellista"),
        sector=AtecoCode.objects.get(code="56"),
        years=2,
    )
    CandidateLanguage.objects.create(candidate=candidate, language="fr", level="B1")
    entry = shortlist_add(need=need, candidate=candidate, actor=staff)
    shortlist_share(shortlist=entry.shortlist, actor=staff, portal_url="")
    entry_move(entry=entry, to=Entry.Status.INTERESTED, actor=company_hr)
    InterviewFactory(candidate=candidate)
    support_action_propose(candidate=candidate, kind="housing", actor=staff)
    course = course_save(
        course=Course(title="Carrellisti", host=company, seats=5),
        actor=staff,
        profiles=[JobProfile.objects.get(code="carrellista")],
    )
    course_session_add(
        course=course,
        date=timezone.localdate(),
        starts_at=datetime.time(9),
        ends_at=datetime.time(13),
    )
    enrolment_propose(course=course, candidate=candidate, actor=staff)
    elsewhere = CandidateFactory(centre=other_centre)
    parents = {Candidate: candidate, Entry: entry}
    users = {type(staff): staff}
    counter = itertools.count(1)
    planted = {}
    for model in reachable_models():
        rows = model._default_manager.filter(**{_path_to_candidate(model): candidate.pk})
        if model._meta.label_lower == "candidates.duplicatereview" and not rows.exists():
            model.objects.create(candidate=candidate, existing=elsewhere, reasons=["phone"])
        elif not rows.exists():
            _row(model, candidate, parents, users)
        first = rows.first()
        parents.setdefault(model, first)
        for field in _planted_fields(model):
            value = _value(field, next(counter))
            model._default_manager.filter(pk=first.pk).update(**{field.name: value})
            planted[f"{model._meta.label}.{field.name}"] = (
                value[0] if isinstance(value, list) else value
            )
    return entry.shortlist, course, planted


def test_every_model_that_leads_to_a_candidate_was_planted(planted):
    _shortlist, _course, values = planted
    planted_models = {name.rsplit(".", 1)[0] for name in values}
    expected = {model._meta.label for model in reachable_models() if any(_planted_fields(model))}
    assert planted_models == expected
    assert len(values) > 30  # the candidate's own text fields, and every record's


def test_no_planted_value_reaches_company_hr(login, company_hr, planted):
    shortlist, course, values = planted
    client = login(company_hr)
    pages = [
        client.get(reverse("matching:shortlist_list")),
        client.get(reverse("matching:shortlist_cards", args=[shortlist.pk])),
        client.get("/"),
        client.get(course.get_absolute_url()),
    ]
    assert all(page.status_code == 200 for page in pages)
    assert 'data-testid="card"' in pages[1].text  # the card is there, with what it may show
    read = "".join(page.text for page in pages) + "".join(
        message.subject + message.body for message in mail.outbox if company_hr.email in message.to
    )
    leaked = {name: value for name, value in values.items() if value in read}
    assert leaked == {}
    assert "Carrellista" in pages[1].text  # the job by its profile, and the language
    assert "Francese B1" in pages[1].text
