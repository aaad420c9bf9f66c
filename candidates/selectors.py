import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from accounts.access import can, scope
from accounts.models import Organisation, User
from candidates import filters
from candidates.models import (
    Candidate,
    DuplicateReview,
    Experience,
    StatusChange,
    TravelArrangement,
)
from candidates.validators import normalise_codice_fiscale
from focus.lists import search
from focus.text import fold

# What the list's search box (and the portal's) looks in: every word in the name, the codice
# fiscale or the e-mail; a number also among the phone's digits, or as the record's number.
SEARCHED = ("last_name", "first_name", "codice_fiscale", "email")


def candidate_list(
    *,
    actor: User,
    q: str = "",
    codice_fiscale: str = "",
    status: str = "",
    profile=None,
    comune=None,
    centre=None,
    employability: list[str] | None = None,
    stage: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    **extra,
) -> QuerySet:
    """Candidates `actor` may see, with what the list shows, filtered as on the list page.

    `stage` is one of `candidates.filters.stages()`; the period (`date_from`, `date_to`)
    qualifies its date, or the registration date when no stage is given. `extra` holds the
    values of the filters other apps declare (`candidates.filters.extra_filters()`).
    """
    candidates = scope(actor, Candidate).select_related("centre", "caseworker", "residence_comune")
    candidates = candidates.filter(
        _stage_condition(stage, date_from, date_to),
        *(
            definition.condition(extra[definition.name], date_from, date_to)
            for definition in filters.extra_filters()
            if extra.get(definition.name) not in (None, "")
        ),
    )
    if centre is not None:
        candidates = candidates.filter(centre=centre)
    if employability:
        candidates = candidates.filter(employability__in=employability)
    candidates = search(candidates, q, SEARCHED, digits=("phone",), numbers=("pk",))
    if codice_fiscale:
        candidates = candidates.filter(
            codice_fiscale__startswith=normalise_codice_fiscale(codice_fiscale)
        )
    if status:
        candidates = candidates.filter(status=status)
    if profile is not None:
        candidates = candidates.filter(experiences__profile=profile).distinct()
    if comune is not None:
        candidates = candidates.filter(residence_comune=comune)
    return candidates.order_by("last_name", "first_name", "pk")


def _stage_condition(stage: str, date_from, date_to) -> Q:
    if stage:
        chosen = next((item for item in filters.stages() if item.value == stage), None)
        return chosen.condition(date_from, date_to) if chosen else Q(pk__in=[])
    return filters.between("created_at__date", date_from, date_to)


def candidate_detail(*, actor: User) -> QuerySet:
    """The candidate page's query: everything it shows, in a fixed number of queries."""
    return (
        scope(actor, Candidate)
        .select_related("centre", "caseworker", "residence_comune", "created_by")
        .prefetch_related(
            "languages",
            Prefetch(
                "experiences", queryset=Experience.objects.select_related("profile", "sector")
            ),
            "skill_links__skill",
            "certification_links__certification",
            "consents__recorded_by",
            Prefetch("status_changes", queryset=StatusChange.objects.select_related("changed_by")),
            Prefetch(
                "travel_arrangements",
                queryset=TravelArrangement.objects.select_related("destination"),
            ),
        )
    )


# What tells people apart, in the order a review lists them (DuplicateReview.Reason): each kind
# with the fields it is read from; the first is the field a message about it is shown at.
IDENTITY_FIELDS = {
    "codice_fiscale": ("codice_fiscale",),
    "name_birth": ("first_name", "last_name", "birth_date"),
    "phone": ("phone",),
    "email": ("email",),
}


def name_key(first_name: str, last_name: str, birth_date: datetime.date | None) -> tuple:
    """Name and birth date as they are compared: case, accents and punctuation do not matter."""
    return (fold(first_name), fold(last_name), birth_date)


def candidate_identity(candidate: Candidate) -> dict[str, Any]:
    """What tells `candidate` (saved or not) apart from other people, by kind
    (IDENTITY_FIELDS), each as the portal compares it (`name_key`, the e-mail regardless of
    case); a kind it lacks is left out. The one notion of "the same person" of the portal:
    the intake form, the import, the admin site and the programme office's review all compare
    people with it, and look them up with `candidate_duplicates`."""
    identity: dict[str, Any] = {}
    if candidate.codice_fiscale:
        identity["codice_fiscale"] = candidate.codice_fiscale
    if candidate.first_name and candidate.last_name and candidate.birth_date:
        identity["name_birth"] = name_key(
            candidate.first_name, candidate.last_name, candidate.birth_date
        )
    if candidate.phone:
        identity["phone"] = candidate.phone
    if candidate.email:
        identity["email"] = candidate.email.lower()
    return identity


def identity_shared(identity: Mapping[str, Any], other: Candidate) -> list[str]:
    """The kinds of `identity` (`candidate_identity`) that `other` has too, in the order of
    IDENTITY_FIELDS."""
    theirs = candidate_identity(other)
    return [
        kind for kind in IDENTITY_FIELDS if kind in identity and theirs.get(kind) == identity[kind]
    ]


def candidate_duplicates(
    candidate: Candidate, *, kinds: Collection[str] = tuple(IDENTITY_FIELDS)
) -> QuerySet:
    """Candidates other than `candidate` that may be the same person: they share the value of
    one of `kinds` of its identity (`candidate_identity`; the database compares names and
    e-mail regardless of case). Searched in the whole programme, not only the user's scope: a
    person registered by another centre is still the same person (who may be told of them is
    the caller's business: the user's scope, or the programme office's review)."""
    present = candidate_identity(candidate).keys() & set(kinds)
    same = Q(pk__in=[])
    if "codice_fiscale" in present:
        same |= Q(codice_fiscale=candidate.codice_fiscale)
    if "name_birth" in present:
        same |= Q(
            first_name__iexact=candidate.first_name.strip(),
            last_name__iexact=candidate.last_name.strip(),
            birth_date=candidate.birth_date,
        )
    if "phone" in present:
        same |= Q(phone=candidate.phone)
    if "email" in present:
        same |= Q(email__iexact=candidate.email)
    return Candidate.objects.filter(same).exclude(pk=candidate.pk).select_related("centre")


class IdentityIndex:
    """The identities (`candidate_identity`) of the portal's candidates that a batch of
    people (an import's rows) may share, read in one query: a person who meets none of them,
    as nearly everyone does, needs no `candidate_duplicates` query, which says who matches.
    `add` the people written meanwhile, so that the batch's later ones meet them too."""

    def __init__(self, people: Iterable[Candidate]):
        self.seen: dict[str, dict[Any, set[int]]] = {
            kind: defaultdict(set) for kind in IDENTITY_FIELDS
        }
        identities = [candidate_identity(person) for person in people]

        def values(kind: str) -> set:
            return {identity[kind] for identity in identities if kind in identity}

        dates = {birth_date for _first, _last, birth_date in values("name_birth")}
        candidates = (
            Candidate.objects.annotate(email_lower=Lower("email"))
            .filter(
                Q(codice_fiscale__in=values("codice_fiscale"))
                | Q(birth_date__in=dates)
                | Q(phone__in=values("phone"))
                | Q(email_lower__in=values("email"))
            )
            .only("pk", *(name for fields in IDENTITY_FIELDS.values() for name in fields))
        )
        for candidate in candidates:
            self.add(candidate)

    def add(self, candidate: Candidate, *, key: Any = None) -> None:
        """Add `candidate`, known by its pk, or by `key` while it has none (a person of the
        batch held back to be written with others)."""
        for kind, value in candidate_identity(candidate).items():
            self.seen[kind][value].add(candidate.pk if key is None else key)

    def may_match(self, identity: Mapping[str, Any], *, exclude: int | None) -> bool:
        """Whether anybody but `exclude` may share one of `identity`'s values. Names are
        folded further than the database compares them, so this never misses a match."""
        return any(
            self.seen[kind].get(value, set()) - {exclude} for kind, value in identity.items()
        )


def duplicate_list(*, actor: User, settled: bool = False) -> QuerySet:
    """The possible duplicates `actor` may review: those still open, the oldest first (what
    the programme office's home counts), or those settled, the latest decided first."""
    reviews = scope(actor, DuplicateReview).select_related("candidate__centre", "existing__centre")
    if settled:
        return (
            reviews.exclude(status=DuplicateReview.Status.OPEN)
            .select_related("decided_by")
            .order_by("-decided_at", "-pk")
        )
    return reviews.filter(status=DuplicateReview.Status.OPEN).order_by("created_at", "pk")


def registration_centres(actor: User, action: str = "create") -> QuerySet:
    """The active charity centres `actor` may register people into (`action` "create") or
    import them into ("import"): the policy's answer (`Candidate.permits`) for each."""
    centres = Organisation.objects.filter(kind=Organisation.Kind.CENTRE, is_active=True)
    allowed = [centre.pk for centre in centres if can(actor, action, Candidate(centre=centre))]
    return centres.filter(pk__in=allowed)
