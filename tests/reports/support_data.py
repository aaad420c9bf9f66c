"""Support actions on top of `programme_data.build_programme`, with figures counted by hand.

Anna was hired after a bus pass was done; Bruna's Italian course is under way and her
childcare was cancelled; Carla's documents and work clothing wait for a funding decision;
Omar (of the other centre) had a company shuttle that did not work out; Giulia had a bus
pass too, then withdrew.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from interviews.models import Obstacle
from training.models import FundingChannel, SupportAction
from training.services import support_action_move, support_action_propose

# (kind, status): actions, for the whole programme.
EXPECTED_BY_KIND = {
    ("transport_pass", "done"): 2,
    ("italian_course", "in_progress"): 1,
    ("childcare", "cancelled"): 1,
    ("documents", "proposed"): 1,
    ("work_clothing", "agreed"): 1,
    ("company_shuttle", "not_achieved"): 1,
}
# funding channel code (None: not decided): (actions not cancelled, committed, spent).
EXPECTED_COSTS = {
    "fse-plus": (1, Decimal("1200"), Decimal("0")),
    "charity": (3, Decimal("0"), Decimal("170")),
    None: (2, Decimal("60"), Decimal("0")),
}
# The persona's centre: the same without Omar's shuttle.
EXPECTED_CENTRE_COSTS = {
    "fse-plus": (1, Decimal("1200"), Decimal("0")),
    "charity": (2, Decimal("0"), Decimal("90")),
    None: (2, Decimal("60"), Decimal("0")),
}

STEPS = {
    "agreed": ("agreed",),
    "in_progress": ("agreed", "in_progress"),
    "done": ("agreed", "in_progress", "done"),
    "not_achieved": ("agreed", "in_progress", "not_achieved"),
    "cancelled": ("cancelled",),
}


def support(candidate, kind, status, actor, *, cost=None, funding=None, on=None, **details):
    """An action for `candidate` taken to `status` step by step, finished on `on`."""
    channel = FundingChannel.objects.get(code=funding) if funding else None
    action = support_action_propose(
        candidate=candidate, kind=kind, actor=actor, cost=cost, funding=channel, **details
    )
    for step in STEPS.get(status, ()):
        action = support_action_move(action=action, to=step, actor=actor, outcome="Fatto", on=on)
    return action


def add_support(programme, *, staff) -> dict[str, SupportAction]:
    people = programme.candidates
    five_days_ago = timezone.localdate() - datetime.timedelta(days=5)
    transport = Obstacle.objects.get(
        assessment__interview__candidate=people["anna"], kind="transport"
    )
    return {
        "anna_bus": support(
            people["anna"],
            "transport_pass",
            "done",
            staff,
            cost=Decimal("45"),
            funding="charity",
            on=five_days_ago,
            obstacles=[transport],
        ),
        "bruna_course": support(
            people["bruna"],
            "italian_course",
            "in_progress",
            staff,
            cost=Decimal("1200"),
            funding="fse-plus",
        ),
        "bruna_childcare": support(
            people["bruna"],
            "childcare",
            "cancelled",
            staff,
            cost=Decimal("250"),
            funding="fse-plus",
        ),
        "carla_documents": support(people["carla"], "documents", "proposed", staff),
        "carla_clothing": support(
            people["carla"], "work_clothing", "agreed", staff, cost=Decimal("60")
        ),
        "omar_shuttle": support(
            people["omar"],
            "company_shuttle",
            "not_achieved",
            staff,
            cost=Decimal("80"),
            funding="charity",
        ),
        "giulia_bus": support(
            people["giulia"],
            "transport_pass",
            "done",
            staff,
            cost=Decimal("45"),
            funding="charity",
            on=five_days_ago,
        ),
    }
