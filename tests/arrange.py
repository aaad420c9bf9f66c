"""What many tests arrange alike: a comune by its ISTAT code, a candidate assessed through
the recruiters' service, the ranking's weights with other limits."""

from catalog.models import Comune
from interviews.models import Assessment
from interviews.services import ObstacleInput, assessment_record
from matching.models import MatchingWeights
from matching.services import weights_update
from tests.factories import InterviewFactory


def comune(code: str) -> Comune:
    return Comune.objects.get(istat_code=code)


def recorded_assessment(
    candidate, recruiter, *obstacles: ObstacleInput, employability: str = "B"
) -> Assessment:
    """`candidate` interviewed by `recruiter`, who records the class and the obstacles."""
    return assessment_record(
        interview=InterviewFactory(candidate=candidate, recruiter=recruiter),
        actor=recruiter,
        employability=employability,
        obstacles=list(obstacles),
    )


def weights_with(actor, **changes) -> MatchingWeights:
    """A new version of the ranking's weights: the default components, with `changes` (the
    limits of a commute, the ready score...)."""
    defaults = {name: getattr(MatchingWeights(), name) for name in MatchingWeights.COMPONENTS}
    return weights_update(actor=actor, **defaults, **changes)
