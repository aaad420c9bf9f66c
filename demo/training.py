"""Demo pathway: the first tranche's recommendations, taken up by the caseworkers over the
months since. Transport supports settled into a shuttle, a pass or a lift to a workplace of
the open campaign, some done; care and Italian courses under way; some referrals done.
Deterministic for a given random generator; the proposals themselves come from the
assessments (training.services.support_actions_from_assessment).

The hires' follow-up: the first demo company's hire still in the job at one month, its check
at three months due now; the second company's hire lost the job within the first month, so
the candidate looks for work again."""

import datetime
import random

from django.utils import timezone

from catalog.models import Comune
from companies.models import Company, Need
from interviews.models import Tranche
from matching.models import Entry
from training.models import FollowUp, FundingChannel, SupportAction
from training.services import follow_up_record, support_action_move, support_action_update

Kind, Status = SupportAction.Kind, SupportAction.Status
TRANSPORT_SETTLED = [Kind.COMPANY_SHUTTLE, Kind.TRANSPORT_PASS, Kind.CAR_POOLING]


def _advance(action: SupportAction, steps: list[str], *, on=None, outcome: str = ""):
    actor = action.owner or action.created_by
    for step in steps:
        final = step in SupportAction.FINAL
        action = support_action_move(
            action=action,
            to=step,
            actor=actor,
            outcome=outcome if final else "",
            on=on if final else None,
        )
    return action


def seed_support_actions(*, rng: random.Random, tranche: Tranche) -> None:
    today = timezone.localdate()
    workplaces = list(
        Comune.objects.filter(
            pk__in=Need.objects.filter(campaign__status="open").values("workplace")
        ).order_by("pk")
    )
    charity = FundingChannel.objects.get(code="charity")
    company = FundingChannel.objects.get(code="company")
    actions = (
        SupportAction.objects.filter(assessment__interview__tranche=tranche)
        .select_related("owner", "created_by", "candidate")
        .order_by("pk")
    )
    for action in actions:
        roll = rng.random()
        started = today - datetime.timedelta(days=rng.randint(40, 70))
        due = started + datetime.timedelta(days=rng.choice([30, 60, 90]))
        if action.kind == Kind.TRANSPORT and roll < 0.75 and workplaces:
            kind = rng.choice(TRANSPORT_SETTLED)
            action = support_action_update(
                action=action,
                actor=action.owner or action.created_by,
                kind=kind,
                destination=rng.choice(workplaces),
                starts_on=started,
                due_on=due,
                cost=0 if kind == Kind.COMPANY_SHUTTLE else 45,
                funding=company if kind == Kind.COMPANY_SHUTTLE else charity,
            )
            if roll < 0.45:
                _advance(
                    action,
                    [Status.AGREED, Status.IN_PROGRESS, Status.DONE],
                    on=started + datetime.timedelta(days=rng.randint(7, 30)),
                    outcome="Attivato: il candidato raggiunge il posto di lavoro.",
                )
            else:
                _advance(action, [Status.AGREED])
        elif action.kind in {Kind.CARE, Kind.ITALIAN_COURSE} and roll < 0.6:
            action = support_action_update(
                action=action,
                actor=action.owner or action.created_by,
                starts_on=started,
                due_on=due,
                funding=charity,
            )
            _advance(action, [Status.AGREED, Status.IN_PROGRESS])
        elif action.kind == Kind.SOCIAL_REFERRAL and roll < 0.4:
            _advance(
                action,
                [Status.AGREED, Status.IN_PROGRESS, Status.DONE],
                on=started + datetime.timedelta(days=14),
                outcome="Presa in carico dai servizi sociali del comune.",
            )


def seed_follow_ups(*, companies: list[Company]) -> None:
    """The one-month checks of the demo hires, made by the candidates' caseworkers a few days
    after they were due: still employed at the first company, the job ended at the second."""
    hires = (
        Entry.objects.filter(status=Entry.Status.HIRED, shortlist__need__company__in=companies[:2])
        .select_related("candidate__caseworker", "shortlist__need")
        .order_by("pk")
    )
    for entry in hires:
        check = entry.follow_ups.get(months=FollowUp.Months.ONE)
        if entry.shortlist.need.company_id == companies[0].pk:
            follow_up_record(
                follow_up=check,
                actor=entry.candidate.caseworker,
                outcome=FollowUp.Outcome.STILL_EMPLOYED,
                done_on=check.due_on + datetime.timedelta(days=2),
                difficulties="Fatica ad arrivare per il turno delle 6: ne parla con il capoturno.",
                note="Soddisfatta del lavoro; l'azienda conferma l'inserimento.",
            )
        else:
            follow_up_record(
                follow_up=check,
                actor=entry.candidate.caseworker,
                outcome=FollowUp.Outcome.ENDED,
                done_on=check.due_on + datetime.timedelta(days=1),
                ended_on=check.due_on - datetime.timedelta(days=4),
                difficulties="Turni a ciclo continuo non conciliabili con la cura dei figli.",
                note="Periodo di prova non superato. Da riproporre per turni giornalieri.",
            )
