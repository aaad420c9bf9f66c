import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from candidates.models import CandidateSkill
from catalog.models import Comune, Skill
from companies.models import NeedSkill
from tests.factories import CandidateFactory, NeedFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def run(*args: str) -> str:
    out = StringIO()
    call_command("rank", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def forklift() -> Skill:
    return Skill.objects.get(code="conduzione-carrello")


@pytest.fixture
def world(centre, forklift):
    """A need in Bergamo asking for forklift driving (mandatory): one candidate at home with
    the skill, one in Treviglio without a car but with the skill, one without the skill."""
    need = NeedFactory(workplace=Comune.objects.get(istat_code="016024"), italian_level="B1")
    NeedSkill.objects.create(need=need, skill=forklift, mandatory=True)
    near = CandidateFactory(centre=centre, first_name="Amina", last_name="Bakr", italian_level="B2")
    far = CandidateFactory(
        centre=centre,
        first_name="Rachid",
        last_name="Ziani",
        residence_comune=Comune.objects.get(istat_code="016219"),
    )
    lacking = CandidateFactory(centre=centre, first_name="Sara", last_name="Lupo")
    for candidate in (near, far):
        CandidateSkill.objects.create(candidate=candidate, skill=forklift)
    return {"need": need, "near": near, "far": far, "lacking": lacking}


def test_the_table_lists_the_ranked_candidates_in_order_with_aligned_columns(world):
    lines = run("--need", str(world["need"].pk)).splitlines()

    header = next(line for line in lines if line.lstrip().startswith("pos."))
    for heading in ("score", "profile", "skills", "Italian", "employability", "commute"):
        assert heading in header
    body = [line for line in lines if "Amina" in line or "Rachid" in line]
    assert ["Amina" in body[0], "Rachid" in body[1]] == [True, True]
    assert "Sara" not in "\n".join(lines)
    score_at = header.index("score") + len("score")
    assert all(line[score_at - 1].isdigit() for line in body)  # right-aligned under heading
    assert "Italian below B1 → an Italian course" in body[1]
    assert "km by road without a car → transport support" in body[1]
    assert f" {world['near'].pk} " in body[0]
    assert lines[-1] == "2 shown of 2 ranked candidates."


def test_top_limits_the_rows(world):
    output = run("--need", str(world["need"].pk), "--top", "1")

    assert "Amina" in output
    assert "Rachid" not in output
    assert "1 shown of 2 ranked candidates." in output


def test_json_gives_every_row_with_its_breakdown_and_gaps(world):
    data = json.loads(run("--need", str(world["need"].pk), "--format", "json"))

    assert data["need"] == world["need"].pk
    assert data["eligible"] == 2
    first, second = data["rows"]
    assert [first["candidate"]["id"], second["candidate"]["id"]] == [
        world["near"].pk,
        world["far"].pk,
    ]
    assert first["position"] == 1
    assert first["candidate"]["name"] == "Amina Bakr"
    assert set(first["components"]) == {
        "profile",
        "skills",
        "language",
        "employability",
        "commute",
        "availability",
    }
    assert 20 < second["distance_km"] < 32  # by road
    assert {"what": "Italian below B1", "closes_it": "an Italian course"} in second["gaps"]
    assert first["score"] > second["score"]


def test_explain_gives_the_position_and_breakdown(world):
    output = run("--need", str(world["need"].pk), "--explain", str(world["far"].pk))

    assert f"Candidate {world['far'].pk} Rachid Ziani: position 2, score" in output
    assert "  commute " in output
    assert "Italian below B1 → an Italian course" in output


def test_explain_says_why_a_candidate_is_out(world, forklift):
    output = run("--need", str(world["need"].pk), "--explain", str(world["lacking"].pk))

    assert f"Candidate {world['lacking'].pk} Sara Lupo is not ranked:" in output
    assert f"  - lacks the mandatory skill “{forklift.name}”" in output


def test_explain_in_json(world, forklift):
    need = str(world["need"].pk)
    ranked = json.loads(run("--need", need, "--explain", str(world["near"].pk), "--format", "json"))
    out = json.loads(run("--need", need, "--explain", str(world["lacking"].pk), "--format", "json"))

    assert (ranked["ranked"], ranked["position"], ranked["candidate"]["id"]) == (
        True,
        1,
        world["near"].pk,
    )
    assert out == {
        "need": world["need"].pk,
        "weights": None,
        "ranked": False,
        "candidate": {"id": world["lacking"].pk, "name": "Sara Lupo"},
        "why_not": [f"lacks the mandatory skill “{forklift.name}”"],
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--need", "999999"], "There is no need with ID 999999."),
        (["--explain", "999999"], "There is no candidate with ID 999999."),
        (["--top", "0"], "--top must be at least 1."),
    ],
)
def test_wrong_ids_are_refused_with_a_message(world, args, message):
    need = ["--need", str(world["need"].pk)]
    with pytest.raises(CommandError, match=message):
        run(*need, *args)
