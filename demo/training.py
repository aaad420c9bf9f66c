"""Demo pathway: the first tranche's recommendations, taken up by the caseworkers over the
months since. Transport supports settled into a shuttle, a pass or a lift to a workplace of
the open campaign near the candidate's home, for a profile the recruiter found them suitable
for, agreed on the day they started (the way to work counts from then), some done; care and
Italian courses under way; some referrals done. Deterministic for a given random generator;
the proposals themselves come from the assessments
(training.services.support_actions_from_assessment).

The hires' follow-up: the first demo company's hire still in the job at one month, its check
at three months due now; the second company's hire lost the job within the first month (the
afternoon shift no longer fitted with the children), so the candidate looks for work again,
on day shifts only."""

import datetime
import random

from django.utils import timezone

from candidates.models import Candidate
from catalog.models import Comune
from companies.models import Company, Need
from interviews.models import SuitableProfile, Tranche
from matching.models import Entry
from matching.ranking import road_km
from training.models import FollowUp, FundingChannel, SupportAction
from training.services import follow_up_record, support_action_move, support_action_update

Kind, Status = SupportAction.Kind, SupportAction.Status
TRANSPORT_SETTLED = [Kind.COMPANY_SHUTTLE, Kind.TRANSPORT_PASS, Kind.CAR_POOLING]
ON_TIME_BY_BUS = (
    "Il primo autobus arriva a ridosso dell'inizio del turno: ne parla con il capoturno."
)
ON_TIME_BY_CAR = "Tangenziale in coda ogni mattina: esce di casa venti minuti prima."


def _advance(
    action: SupportAction, steps: list[str], *, on=None, agreed_on=None, outcome: str = ""
):
    """Move the action through `steps`: agreed on `agreed_on`, ended on `on`."""
    actor = action.owner or action.created_by
    for step in steps:
        final = step in SupportAction.FINAL
        action = support_action_move(
            action=action,
            to=step,
            actor=actor,
            outcome=outcome if final else "",
            on=on if final else agreed_on if step == Status.AGREED else None,
        )
    return action


def _destination(rng: random.Random, candidate: Candidate, needs: list[Need]) -> Comune:
    """Where a way to work takes the candidate: one of the three workplaces nearest home
    among the open needs of a profile the recruiter found them suitable for (of any
    profile, when none is)."""
    suitable = set(
        SuitableProfile.objects.filter(candidate=candidate).values_list("profile", flat=True)
    )
    theirs = [need for need in needs if need.profile_id in suitable] or needs
    home = candidate.residence_comune
    places = sorted(
        {need.workplace for need in theirs},
        key=lambda place: (road_km(home, place) or 999, place.pk),
    )
    return rng.choice(places[:3])


def seed_support_actions(*, rng: random.Random, tranche: Tranche) -> None:
    today = timezone.localdate()
    needs = list(
        Need.objects.filter(campaign__status="open", status=Need.Status.OPEN)
        .select_related("workplace")
        .order_by("pk")
    )
    charity = FundingChannel.objects.get(code="charity")
    company = FundingChannel.objects.get(code="company")
    actions = (
        SupportAction.objects.filter(assessment__interview__tranche=tranche)
        .select_related("owner", "created_by", "candidate__residence_comune")
        .order_by("pk")
    )
    for action in actions:
        roll = rng.random()
        started = today - datetime.timedelta(days=rng.randint(40, 70))
        due = started + datetime.timedelta(days=rng.choice([30, 60, 90]))
        if action.kind == Kind.TRANSPORT and roll < 0.75 and needs:
            kind = rng.choice(TRANSPORT_SETTLED)
            action = support_action_update(
                action=action,
                actor=action.owner or action.created_by,
                kind=kind,
                destination=_destination(rng, action.candidate, needs),
                starts_on=started,
                due_on=due,
                cost=0 if kind == Kind.COMPANY_SHUTTLE else 45,
                funding=company if kind == Kind.COMPANY_SHUTTLE else charity,
            )
            if roll < 0.45:
                _advance(
                    action,
                    [Status.AGREED, Status.IN_PROGRESS, Status.DONE],
                    agreed_on=started,
                    on=started + datetime.timedelta(days=rng.randint(7, 30)),
                    outcome="Attivato: il candidato raggiunge il posto di lavoro.",
                )
            else:
                _advance(action, [Status.AGREED], agreed_on=started)
        elif action.kind in {Kind.CARE, Kind.ITALIAN_COURSE} and roll < 0.6:
            action = support_action_update(
                action=action,
                actor=action.owner or action.created_by,
                starts_on=started,
                due_on=due,
                funding=charity,
            )
            _advance(action, [Status.AGREED, Status.IN_PROGRESS], agreed_on=started)
        elif action.kind == Kind.SOCIAL_REFERRAL and roll < 0.4:
            _advance(
                action,
                [Status.AGREED, Status.IN_PROGRESS, Status.DONE],
                on=started + datetime.timedelta(days=14),
                outcome="Presa in carico dai servizi sociali del comune.",
            )


def seed_follow_ups(*, companies: list[Company]) -> None:
    """The one-month checks of the demo hires, made by the candidates' caseworkers a few days
    after they were due: still employed at the first company, the job ended at the second.
    The caseworker then records the children as a care duty: day shifts only, from now."""
    hires = (
        Entry.objects.filter(status=Entry.Status.HIRED, shortlist__need__company__in=companies[:2])
        .select_related("candidate__caseworker", "shortlist__need")
        .order_by("pk")
    )
    for entry in hires:
        check = entry.follow_ups.get(months=FollowUp.Months.ONE)
        candidate = entry.candidate
        if entry.shortlist.need.company_id == companies[0].pk:
            follow_up_record(
                follow_up=check,
                actor=candidate.caseworker,
                outcome=FollowUp.Outcome.STILL_EMPLOYED,
                done_on=check.due_on + datetime.timedelta(days=2),
                difficulties=ON_TIME_BY_CAR if candidate.own_car else ON_TIME_BY_BUS,
                note="Si trova bene con i colleghi; l'azienda conferma l'inserimento.",
            )
        else:
            follow_up_record(
                follow_up=check,
                actor=candidate.caseworker,
                outcome=FollowUp.Outcome.ENDED,
                done_on=check.due_on + datetime.timedelta(days=1),
                ended_on=check.due_on - datetime.timedelta(days=4),
                difficulties=(
                    "Il turno del pomeriggio, fino alle 22, non si concilia più con i figli: "
                    "la vicina che li teneva si è trasferita."
                ),
                note="Periodo di prova interrotto. Da riproporre per turni giornalieri.",
            )
            candidate.care_duties = True
            candidate.care_notes = "Due figli alla scuola primaria: solo turni di giornata."
            candidate.shifts, candidate.nights = Candidate.Shifts.DAY, False
            candidate.save(update_fields=["care_duties", "care_notes", "shifts", "nights"])
