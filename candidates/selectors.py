import datetime

from django.db.models import Prefetch, Q, QuerySet

from accounts.access import scope
from accounts.models import User
from candidates import filters
from candidates.models import Candidate, Experience, StatusChange, TravelArrangement
from candidates.validators import normalise_codice_fiscale


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
    if q:
        for word in q.split():
            candidates = candidates.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word)
            )
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


def candidate_duplicates(
    *,
    first_name: str,
    last_name: str,
    birth_date: datetime.date | None,
    phone: str,
    email: str,
    codice_fiscale: str = "",
    exclude_pk: int | None = None,
) -> QuerySet:
    """Candidates that may be the same person: same codice fiscale, same name and birth
    date, same phone or same e-mail. Searched in the whole programme, not only the user's
    scope: a person registered by another centre is still the same person (who may be told
    of them is the caller's business: the user's scope, or the programme office's review)."""
    same = Q(pk__in=[])
    if codice_fiscale:
        same |= Q(codice_fiscale=codice_fiscale)
    if first_name and last_name and birth_date:
        same |= Q(
            first_name__iexact=first_name.strip(),
            last_name__iexact=last_name.strip(),
            birth_date=birth_date,
        )
    if phone:
        same |= Q(phone=phone)
    if email:
        same |= Q(email__iexact=email)
    return Candidate.objects.filter(same).exclude(pk=exclude_pk).select_related("centre")
