"""What a course or a support action would change, asked of the ranking engine itself.

"If course X completes, N candidates reach the ready score for M open needs": each open need
of the course's profiles is ranked twice among the course's candidates, as they are and with
what the course grants assumed (`matching.ranking.Assumption`), which the ranking counts
exactly as it will count the real qualifications once the course completes.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet

from candidates.models import Candidate
from catalog.models import Comune
from companies.models import Need
from matching.models import MatchingWeights
from matching.ranking import Assumption, rank
from training.models import Course, Enrolment
from training.services import course_end


@dataclass
class NeedLine:
    need: Need
    ready_before: list[Candidate]
    lifted: list[Candidate]


@dataclass
class WhatIf:
    """Who would reach the ready score, for which open needs, if the course or support
    were done; `needs` lists every open need it was asked for."""

    ready_score: int
    needs: list[NeedLine] = field(default_factory=list)

    @property
    def lifted(self) -> list[Candidate]:
        seen = {}
        for line in self.needs:
            for candidate in line.lifted:
                seen.setdefault(candidate.pk, candidate)
        return list(seen.values())

    @property
    def candidates_lifted(self) -> int:
        return len(self.lifted)

    @property
    def needs_reached(self) -> int:
        return sum(1 for line in self.needs if line.lifted)


def open_needs(**lookups) -> QuerySet:
    """The open needs the what-if asks about, with what the ranking reads of them."""
    return (
        Need.objects.filter(status=Need.Status.OPEN, **lookups)
        .select_related("company__organisation", "profile__family", "workplace", "campaign")
        .order_by("workplace__name", "company__organisation__name", "pk")
    )


def course_assumption(course: Course, candidates: list[int]) -> Assumption:
    """What the course grants those who complete it: its skills and certifications verified,
    obtained on its last day, and the Italian level it certifies."""
    ended = course_end(course)
    return Assumption(
        candidates=tuple(candidates),
        skills=frozenset(course.skills.values_list("pk", flat=True)),
        certifications=tuple(
            (certification.pk, certification.expiry_after(ended))
            for certification in course.certifications.all()
        ),
        italian_level=course.italian_level,
    )


def _what_if(needs, candidates: list[int], assume: Assumption) -> WhatIf:
    weights = MatchingWeights.objects.current()
    result = WhatIf(ready_score=weights.ready_score)
    if not candidates:
        return result
    top = len(candidates)
    for need in needs:
        before = rank(need, weights=weights, top=top, among=candidates)
        after = rank(need, weights=weights, top=top, among=candidates, assume=assume)
        ready = [row.candidate for row in before.rows if row.score >= weights.ready_score]
        ready_ids = {candidate.pk for candidate in ready}
        lifted = [
            row.candidate
            for row in after.rows
            if row.score >= weights.ready_score and row.candidate.pk not in ready_ids
        ]
        result.needs.append(NeedLine(need=need, ready_before=ready, lifted=lifted))
    return result


def course_what_if(*, course: Course, candidates: list[int] | None = None) -> WhatIf:
    """If the course completed for `candidates` (by default those proposed or enrolled),
    who of them would reach the ready score for which open needs of its profiles."""
    if candidates is None:
        candidates = list(
            course.enrolments.filter(status__in=Enrolment.ACTIVE).values_list(
                "candidate_id", flat=True
            )
        )
    needs = open_needs(profile__in=course.profiles.all())
    return _what_if(needs, candidates, course_assumption(course, candidates))


def transport_what_if(
    *,
    destination: Comune,
    candidates: list[int],
    reach_km: int = 5,
    since: datetime.date | None = None,
) -> WhatIf:
    """With a way to `destination` (a bus pass, a shuttle: workplaces within `reach_km` of
    it), who of `candidates` would reach the ready score for the open needs it serves."""
    assume = Assumption(
        candidates=tuple(candidates), destination=destination, reach_km=reach_km, since=since
    )
    needs = [need for need in open_needs() if assume.reaches(need)]
    return _what_if(needs, candidates, assume)
