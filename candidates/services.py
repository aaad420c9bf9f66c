"""Writes on candidates: registration, changes, consents and status, each with its history."""

import datetime
import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict, Unpack

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_countries.fields import CountryField

from accounts.access import can, require, scope
from accounts.hooks import hooked
from accounts.models import STAFF_ROLES, User
from accounts.selectors import addresses
from accounts.tasks import mail_send_on_commit
from candidates.models import (
    Candidate,
    CandidateCertification,
    CandidateLanguage,
    CandidateSkill,
    Consent,
    ConsentRecord,
    DuplicateReview,
    Experience,
    StatusChange,
    TravelArrangement,
)
from candidates.selectors import (
    IDENTITY_FIELDS,
    IdentityIndex,
    candidate_duplicates,
    candidate_identity,
    identity_shared,
)
from candidates.validators import normalise_codice_fiscale
from catalog.languages import ItalianLevel
from catalog.models import Certification, Comune, Skill, years_after
from catalog.versions import version_check
from focus.cache import touch
from focus.figures import KEPT

CONSENT_FIELDS = {
    Consent.PROGRAMME: "consent_programme",
    Consent.MATCHING: "consent_matching",
    Consent.SHARE_PROFILE: "consent_share_profile",
    Consent.SHARE_CONTACTS: "consent_share_contacts",
    Consent.SHARE_CV: "consent_share_cv",
}


# What registration asks beyond a draft's name: what matching and the programme need; and a
# phone or an e-mail, and the consent to the programme (`registration_problems`).
REQUIRED_TO_REGISTER = ("sex", "birth_date", "nationality", "residence_comune", "italian_level")
OTHER_CONSENTS = (
    "consent_matching",
    "consent_share_profile",
    "consent_share_contacts",
    "consent_share_cv",
)


def consent_problems(values: Mapping[str, Any]) -> dict[str, str]:
    """The consents given without the consent to the programme, by field, each with why: no
    other consent stands without it (a database rule too). `values` are the candidate's
    fields as given (a form's cleaned data, an import's row); a field left out is not given."""
    if values.get("consent_programme"):
        return {}
    message = _("Without the consent to the programme no other consent can be given.")
    return {name: message for name in OTHER_CONSENTS if values.get(name)}


def registration_problems(values: Mapping[str, Any]) -> dict[str, str]:
    """What registering a candidate with `values` lacks, by field, each with why: the
    fields of REQUIRED_TO_REGISTER, a phone or an e-mail, the consent to the programme. The
    one rule the intake form, the import and any other way in follow."""
    problems = {
        name: _("Needed to register the candidate (a draft can do without).")
        for name in REQUIRED_TO_REGISTER
        if not values.get(name)
    }
    if not values.get("phone") and not values.get("email"):
        problems["phone"] = _("Give a phone number or an e-mail address.")
    if not values.get("consent_programme"):
        problems["consent_programme"] = _(
            "Without this consent the person cannot be registered in the programme."
        )
    return problems


def residence_problems(comune: Comune | None) -> dict[str, str]:
    """A comune of residence outside the programme's provinces (settings.PORTAL_PROVINCES),
    by field, with why. The intake form offers only theirs; the import, which reads a name,
    asks it of each row, and every write of a candidate asks it too."""
    if comune is None or comune.province in settings.PORTAL_PROVINCES:
        return {}
    return {
        "residence_comune": _(
            "%(comune)s is outside the provinces of the programme (%(provinces)s)."
        )
        % {"comune": comune, "provinces": ", ".join(settings.PORTAL_PROVINCES)}
    }


@transaction.atomic
def candidate_set_status(
    *, candidate: Candidate, status: str, actor: User, reason: str = ""
) -> Candidate:
    """Move the candidate to `status`, recording who, when, from, to and why."""
    if candidate.status == status:
        return candidate
    StatusChange.objects.create(
        candidate=candidate,
        from_status=candidate.status,
        to_status=status,
        reason=reason,
        changed_by=actor,
    )
    candidate.status = status
    candidate.save(update_fields=["status", "updated_at"])
    return candidate


@transaction.atomic
def consent_set(
    *,
    candidate: Candidate,
    purpose: str,
    granted: bool,
    actor: User,
    notice_version: str | None = None,
) -> bool:
    """Give or withdraw one consent. Returns whether anything changed.

    Takes effect at once: the candidate's current flags are what matching and the companies'
    pages read, and the apps to the right stop what a withdrawn consent covered in the same
    transaction. Without consent to the programme no other consent stands, so withdrawing it
    withdraws them all. A withdrawal is e-mailed to the programme office once committed.
    """
    withdrawn = []
    changed = _consent_record(
        candidate, purpose, granted, actor=actor, withdrawn=withdrawn, notice_version=notice_version
    )
    if withdrawn:
        _withdrawal_tell(candidate, withdrawn)
    return changed


def _consent_record(
    candidate: Candidate,
    purpose: str,
    granted: bool,
    *,
    actor: User,
    withdrawn: list[str],
    notice_version: str | None = None,
) -> bool:
    """Record one consent given or withdrawn, unless it is already so; a withdrawn one is
    added to `withdrawn`, for the programme office to be told. Returns whether it changed."""
    field = CONSENT_FIELDS[purpose]
    if getattr(candidate, field) == granted:
        return False
    ConsentRecord.objects.create(
        candidate=candidate,
        purpose=purpose,
        granted=granted,
        notice_version=notice_version or settings.PRIVACY_NOTICE_VERSION,
        recorded_by=actor,
    )
    setattr(candidate, field, granted)
    candidate.save(update_fields=[field, "updated_at"])
    if not granted:
        withdrawn.append(purpose)
        # Apps to the right stop what the consent covered (matching: the companies' view and
        # the open shortlist entries; training: course enrolments).
        for _label, stop in hooked("consent_withdrawn"):
            stop(candidate=candidate, purpose=purpose, actor=actor)
    return True


@transaction.atomic
def withdrawal_effect(purpose: str) -> str:
    """What withdrawing the consent to `purpose` does, as the person withdrawing it is told
    before and after (consents_apply and the hooks of consent_withdrawn do it)."""
    effects = {
        Consent.PROGRAMME: _(
            "Every other consent goes with it: the person leaves the ranking and every "
            "shortlist they are on, and companies see the application as no longer available. "
            "The record stays for the programme's figures until it is erased."
        ),
        Consent.MATCHING: _(
            "The person is no longer ranked for any need and leaves every shortlist they are "
            "on; companies see the application as no longer available."
        ),
        Consent.SHARE_PROFILE: _(
            "The person leaves every shortlist they are on: companies no longer see their "
            "pseudonymised profile."
        ),
        Consent.SHARE_CONTACTS: _(
            "Companies no longer see the person's contact details, for interviews already "
            "agreed too."
        ),
        Consent.SHARE_CV: _(
            "Companies can no longer download the person's CV, for interviews already agreed too."
        ),
    }
    return str(effects[purpose]) + " " + _("The programme office is told by e-mail.")


def consents_apply(
    *, candidate: Candidate, consents: Mapping[str, bool], actor: User, tell: bool = True
) -> None:
    """Record every consent that differs from the candidate's current ones.

    The programme consent comes first when given and last when withdrawn, so that the
    database rule "no matching without the programme consent" holds at every step. The
    consents withdrawn are e-mailed to the programme office in one message, once committed,
    unless `tell` is false (the office itself decided it: an erasure).
    """
    withdrawn = []
    record = functools.partial(_consent_record, candidate, actor=actor, withdrawn=withdrawn)
    programme = consents.get(Consent.PROGRAMME, candidate.consent_programme)
    if programme:
        record(Consent.PROGRAMME, True)
    for purpose in (
        Consent.MATCHING,
        Consent.SHARE_PROFILE,
        Consent.SHARE_CONTACTS,
        Consent.SHARE_CV,
    ):
        if purpose in consents or not programme:
            record(purpose, bool(programme and consents.get(purpose)))
    if not programme:
        record(Consent.PROGRAMME, False)
    if withdrawn and tell:
        _withdrawal_tell(candidate, withdrawn)


def _withdrawal_tell(candidate: Candidate, purposes: list[str]) -> None:
    """E-mail the programme office (active staff and administrators) that the candidate
    withdrew `purposes`, after the commit, by the background worker. The message names the
    candidate by number and links to their page: no name, nothing else of them. Written in
    the portal's language, as it goes to several people."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "number": candidate.pk,
            "purposes": [str(Consent(purpose).label) for purpose in purposes],
            "date": date_format(timezone.localdate(), "SHORT_DATE_FORMAT"),
            "url": settings.PORTAL_URL + candidate.get_absolute_url(),
        }
        subject = _("Focus: candidate no. %(number)s withdrew a consent") % context
        body = render_to_string("candidates/email/consent_withdrawn.txt", context)
    mail_send_on_commit(
        subject=subject,
        body=body,
        recipients=addresses(STAFF_ROLES),
    )


def _skills_set(candidate: Candidate, skills: Iterable[Skill]) -> None:
    """Declared skills: keep the verified ones whatever the form says."""
    wanted = {skill.pk for skill in skills}
    candidate.skill_links.filter(verified=False).exclude(skill_id__in=wanted).delete()
    have = set(candidate.skill_links.values_list("skill_id", flat=True))
    CandidateSkill.objects.bulk_create(
        CandidateSkill(candidate=candidate, skill_id=pk) for pk in wanted - have
    )
    touch("ranking")  # bulk_create sends no signal


def _rows_replace(
    candidate: Candidate,
    related: str,
    rows: Iterable[CandidateLanguage | Experience | CandidateCertification],
) -> None:
    """The candidate's rows of `related` (languages, experiences, certification links)
    become `rows`: the others are deleted, each of these checked and saved. A language comes
    once: the form and the import see to it, the database refuses a second row."""
    rows = list(rows)
    getattr(candidate, related).exclude(pk__in=[row.pk for row in rows if row.pk]).delete()
    for row in rows:
        row.candidate = candidate
        row.full_clean()
        row.save()


def certificate_expiry(
    certification: Certification,
    obtained_on: datetime.date | None,
    expires_on: datetime.date | None,
) -> datetime.date | None:
    """When a candidate's certificate of `certification` expires, the one rule every write
    path follows: the expiry given, but never later than the certification's validity allows
    from `obtained_on`; none given, the end of that validity. None when it never expires, or
    when nobody knows when it was obtained (the candidate's page then asks to check it).

    Raises ValidationError on `expires_on` when it comes before `obtained_on`. Reads nothing
    but `certification.validity_years`, so a data migration can call it with historical
    models."""
    if obtained_on and expires_on and expires_on < obtained_on:
        raise ValidationError(
            {"expires_on": _("It cannot expire before it was obtained.")},
            code="expires_before_obtained",
        )
    validity = certification.validity_years
    latest = years_after(obtained_on, validity) if obtained_on and validity else None
    if expires_on is None or (latest and expires_on > latest):
        return latest
    return expires_on


def _expiry_given(
    link: CandidateCertification, stored: Mapping[int, tuple]
) -> datetime.date | None:
    """The expiry to work `link`'s out from: the one it has, unless that was for another
    certificate. One whose certification or date obtained changed while its expiry stayed as
    it was has it worked out again, unless it is verified and that expiry still comes after
    the new date (what a course certified stands)."""
    if link.pk not in stored:
        return link.expires_on
    certification_id, obtained_on, expires_on = stored[link.pk]
    moved = link.certification_id != certification_id or (
        link.obtained_on and link.obtained_on != obtained_on
    )
    if not moved or link.expires_on != expires_on:
        return link.expires_on
    stands = link.verified and expires_on and link.obtained_on and expires_on >= link.obtained_on
    return link.expires_on if stands else None


def _certificate_expiries(
    certifications: list[CandidateCertification],
    stored: Mapping[int, tuple] | None = None,
) -> tuple[list[datetime.date | None], dict[str, list[ValidationError]]]:
    """Each certificate's expiry (`certificate_expiry`, from `_expiry_given`), and the
    problems under "certifications", each naming its certificate (`params["certificate"]`)
    for a form to show on its row. `stored`, the saved links' (certification, obtained,
    expires) by pk when the caller read them already, spares reading them again."""
    saved = [link.pk for link in certifications if link.pk]
    if stored is None:
        stored = {}
        if saved:
            stored = {
                pk: dates
                for pk, *dates in CandidateCertification.objects.filter(pk__in=saved).values_list(
                    "pk", "certification_id", "obtained_on", "expires_on"
                )
            }
    expiries, problems = [], []
    for link in certifications:
        try:
            given = _expiry_given(link, stored)
            expiries.append(certificate_expiry(link.certification, link.obtained_on, given))
        except ValidationError as refusal:
            expiries.append(None)
            problems += [
                ValidationError(error.message, code=error.code, params={"certificate": link})
                for error in refusal.error_dict["expires_on"]
            ]
    return expiries, ({"certifications": problems} if problems else {})


def certificates_problems(
    certifications: Iterable[CandidateCertification],
) -> dict[str, list[ValidationError]]:
    """What saving the candidate's `certifications` would break (their dates), keyed
    "certifications", each naming its certificate (`params["certificate"]`); writes nothing.
    The admin site's certificates ask it; `candidate_register` and `candidate_update` ask it
    too, with everything else."""
    return _certificate_expiries(list(certifications))[1]


def _certifications_set(
    candidate: Candidate,
    certifications: list[CandidateCertification],
    expiries: list[datetime.date | None],
) -> None:
    for link, expires_on in zip(certifications, expiries, strict=True):
        link.expires_on = expires_on
    _rows_replace(candidate, "certification_links", certifications)


# The fields a write compares with what the database holds: the consents (they change only
# through their log) and what tells people apart.
STORED_FIELDS = (
    *CONSENT_FIELDS.values(),
    *(name for fields in IDENTITY_FIELDS.values() for name in fields),
)


def _as_stored(candidate: Candidate) -> Candidate:
    """The candidate's consents and identity as the database holds them (an empty record for
    one not saved yet)."""
    if candidate.pk is None:
        return Candidate()
    stored = Candidate.objects.filter(pk=candidate.pk).values(*STORED_FIELDS).get()
    return Candidate(pk=candidate.pk, **stored)


def _rule_values(
    candidate: Candidate, stored: Candidate, consents: Mapping[str, bool]
) -> dict[str, Any]:
    """The values registration's and the consents' rules read: the candidate's fields, and
    each consent as given, or as stored when not given."""
    values = {
        name: candidate.serializable_value(name)
        for name in (*REQUIRED_TO_REGISTER, "phone", "email")
    }
    for purpose, field in CONSENT_FIELDS.items():
        values[field] = consents.get(purpose, getattr(stored, field))
    return values


def _identity_label(kind: str) -> str:
    return {"name_birth": _("name and birth date"), "phone": _("phone"), "email": _("e-mail")}[kind]


def _identity_problems(
    candidate: Candidate,
    stored: Candidate,
    *,
    actor: User,
    confirm_duplicates: bool,
    identities: IdentityIndex | None,
) -> dict[str, list[ValidationError]]:
    """What the write brings new of what tells people apart (`candidate_identity`), checked
    among the people `actor` sees: a codice fiscale already registered is refused, and a
    possible duplicate (same name and birth date, phone or e-mail) unless
    `confirm_duplicates`; what is not new was checked, or confirmed, before. Each problem
    names the other person (`params["name"]`). The people `actor` does not see are none of
    their business: the programme office reviews them once written."""
    before = candidate_identity(stored)
    new = {k: v for k, v in candidate_identity(candidate).items() if before.get(k) != v}
    if not new or (identities is not None and not identities.may_match(new, exclude=candidate.pk)):
        return {}
    visible = scope(actor, Candidate)
    problems = defaultdict(list)
    if "codice_fiscale" in new:
        existing = (
            visible.filter(codice_fiscale=candidate.codice_fiscale).exclude(pk=candidate.pk).first()
        )
        if existing is not None:
            problems["codice_fiscale"].append(
                ValidationError(
                    _("This codice fiscale is already registered: %(name)s."),
                    code="codice_fiscale_registered",
                    params={"name": existing},
                )
            )
    kinds = {kind: value for kind, value in new.items() if kind != "codice_fiscale"}
    if kinds and not confirm_duplicates:
        duplicates = candidate_duplicates(candidate, kinds=kinds).filter(
            pk__in=visible.values("pk")
        )[:5]
        for duplicate in duplicates:
            for kind in identity_shared(kinds, duplicate):
                problems[IDENTITY_FIELDS[kind][0]].append(
                    ValidationError(
                        _("Same %(field)s as %(name)s, already in the portal."),
                        code="possible_duplicate",
                        params={"field": _identity_label(kind), "name": duplicate},
                    )
                )
    return problems


def _problems(
    candidate: Candidate,
    stored: Candidate,
    *,
    actor: User,
    register: bool,
    consents: Mapping[str, bool],
    confirm_duplicates: bool,
    identities: IdentityIndex | None,
    found: Mapping[str, list[ValidationError]],
    looked_up: bool = False,
) -> dict[str, list[ValidationError]]:
    candidate.codice_fiscale = normalise_codice_fiscale(candidate.codice_fiscale)
    problems = defaultdict(list, {field: list(errors) for field, errors in found.items()})
    try:
        # The consents' database rule is said, by field, by `consent_problems` below.
        _full_clean(candidate, exclude=list(CONSENT_FIELDS.values()), looked_up=looked_up)
    except ValidationError as refusal:
        for field, errors in refusal.error_dict.items():
            problems[field] += errors
    values = _rule_values(candidate, stored, consents)
    rules = [consent_problems(values)]
    if "residence_comune" not in problems:
        rules.append(residence_problems(candidate.residence_comune))
    if register:
        rules.append(registration_problems(values))
    for rule in rules:
        for field, message in rule.items():
            if field not in problems:  # what is wrong with a field is said first
                problems[field].append(ValidationError(message))
    identity = _identity_problems(
        candidate,
        stored,
        actor=actor,
        confirm_duplicates=confirm_duplicates,
        identities=identities,
    )
    for field, errors in identity.items():
        problems[field] += errors
    return dict(problems)


def _checked(
    candidate: Candidate,
    stored: Candidate,
    write: "CandidateWrite",
    *,
    actor: User,
    found: Mapping[str, list[ValidationError]],
    looked_up: bool = False,
) -> bool:
    """Check a write of `candidate` (as `stored` held it) as every write of a person is
    checked: raise the ValidationError of its problems, or return whether it registers the
    person (`when_complete`: only once nothing the registration needs is missing)."""
    register, when_complete = write.get("register", True), write.get("when_complete", False)
    consents = write.get("consents") or {}
    problems = _problems(
        candidate,
        stored,
        actor=actor,
        register=register and not when_complete,
        consents=consents,
        confirm_duplicates=write.get("confirm_duplicates", False),
        identities=write.get("identities"),
        found=found,
        looked_up=looked_up,
    )
    if problems:
        raise ValidationError(problems)
    if register and when_complete:
        register = not registration_problems(_rule_values(candidate, stored, consents))
    return register


def _full_clean(instance, *, exclude: list[str], looked_up: bool) -> None:
    """`instance.full_clean`; when `looked_up`, without the checks a query answers: the
    related records it holds were read from the database just before (a batch's lookups),
    and what the constraints guard the batch has checked (`NewCandidates`), the database
    refusing any row that would still break them."""
    if not looked_up:
        instance.full_clean(exclude=exclude)
        return
    fields = instance._meta.concrete_fields
    # A record held, or the id of one read from the database with the row (a saved one's).
    given = [
        field.name
        for field in fields
        if field.is_relation
        and (
            (field.is_cached(instance) and getattr(instance, field.name))
            or (instance.pk is not None and getattr(instance, field.attname) is not None)
        )
    ]
    # A country is checked against the set of codes: Django's check of a choice goes
    # through the whole list of countries, the longest part of checking a candidate.
    countries = [field for field in fields if isinstance(field, CountryField)]
    problems = {}
    for field in countries:
        code = getattr(instance, field.attname).code or ""
        if code and code not in _country_codes(field):
            problems[field.name] = [
                ValidationError(
                    field.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": code},
                )
            ]
    try:
        instance.full_clean(
            exclude=[*exclude, *given, *(field.name for field in countries)],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as refusal:
        problems = {**refusal.error_dict, **problems}
    if problems:
        raise ValidationError(problems)


@functools.cache
def _country_codes(field: CountryField) -> frozenset[str]:
    return frozenset(code for code, _name in field.countries)


def candidate_problems(
    *,
    candidate: Candidate,
    actor: User,
    register: bool,
    consents: Mapping[str, bool] | None = None,
    certifications: Iterable[CandidateCertification] = (),
    confirm_duplicates: bool = False,
) -> dict[str, list[ValidationError]]:
    """Everything that writing `candidate` (saved or not, its fields as given) as `actor`
    would break, by field, each with why; empty when nothing. The rules of every write of a
    candidate, in one place: the model's own, the comune in the programme's provinces
    (`residence_problems`), the consents (`consent_problems`, `consents` as in
    `consents_apply`), what registration needs when `register` (`registration_problems`), a
    codice fiscale once and no unconfirmed possible duplicate among the people `actor` sees,
    the certificates' dates. Writes nothing: `candidate_register` and `candidate_update` ask
    it before they write, the admin site's form to show what is wrong."""
    _expiries, found = _certificate_expiries(list(certifications))
    return _problems(
        candidate,
        _as_stored(candidate),
        actor=actor,
        register=register,
        consents=consents or {},
        confirm_duplicates=confirm_duplicates,
        identities=None,
        found=found,
    )


class CandidateWrite(TypedDict, total=False):
    """What a write of a candidate takes beside it. `register` (default True) asks for
    everything registration needs and registers a draft; without it a draft stays a draft,
    and nobody goes back to draft. With `when_complete` too, a person who lacks some of it
    is saved as a draft instead of refused (the import). The intake's rows (`skills`,
    `languages`, `experiences`, `certifications`; None or left out: left as they are), the
    `consents` given (as in `consents_apply`), whether possible duplicates are confirmed
    (`confirm_duplicates`), and `identities`, the IdentityIndex of a batch (the import),
    which spares the lookups of who meets nobody in it."""

    register: bool
    when_complete: bool
    skills: Iterable[Skill] | None
    languages: Iterable[CandidateLanguage] | None
    experiences: Iterable[Experience] | None
    certifications: Iterable[CandidateCertification] | None
    consents: Mapping[str, bool] | None
    confirm_duplicates: bool
    identities: IdentityIndex | None


@transaction.atomic
def candidate_register(
    *, candidate: Candidate, actor: User, **write: Unpack[CandidateWrite]
) -> Candidate:
    """Register a new person: `candidate`, not saved yet, with the fields as typed or read
    (its centre among them), and what the intake holds beside them (`CandidateWrite`).

    All or nothing: raises one ValidationError with every problem by field
    (`candidate_problems`), writing nothing; PermissionDenied when `actor` may not register
    people of that centre. A caseworker who registers a person without saying who follows
    them follows them. The people of other centres who may be the same person are left to
    the programme office's review (`duplicate_reviews_open`)."""
    if candidate.pk is not None:
        raise ValueError("candidate_register writes a new candidate; candidate_update changes one")
    require(actor, "create", candidate)
    if candidate.caseworker_id is None and can(actor, "follow", candidate):
        candidate.caseworker = actor
    candidate.created_by = actor
    candidate.status = Candidate.Status.DRAFT
    return _candidate_write(candidate, actor, write)


@transaction.atomic
def candidate_update(
    *,
    candidate: Candidate,
    actor: User,
    expected_version: int | None = None,
    **write: Unpack[CandidateWrite],
) -> Candidate:
    """Change a candidate: `candidate`, saved, with its fields as typed or read, and what
    the intake holds beside them (`CandidateWrite`).

    All or nothing, refused as `candidate_register` refuses; the codice fiscale and the
    possible duplicates are checked for what the change brings new. Given
    `expected_version` (the version the form was opened with), raises StaleEdit, writing
    nothing, when the candidate changed since. PermissionDenied when `actor` may not
    change it."""
    if candidate.pk is None:
        raise ValueError("candidate_update changes a saved candidate; candidate_register adds one")
    require(actor, "change", candidate)
    if expected_version is not None:
        version_check(candidate, expected_version)
    return _candidate_write(candidate, actor, write)


def _candidate_write(candidate: Candidate, actor: User, write: CandidateWrite) -> Candidate:
    consents, identities = write.get("consents") or {}, write.get("identities")
    certifications = write.get("certifications")
    certifications = None if certifications is None else list(certifications)
    stored = _as_stored(candidate)
    expiries, found = _certificate_expiries(certifications or [])
    register = _checked(candidate, stored, write, actor=actor, found=found)
    is_new = candidate.pk is None
    for field in CONSENT_FIELDS.values():  # consents change only through their log, below
        setattr(candidate, field, getattr(stored, field))
    candidate.save()
    if is_new:
        StatusChange.objects.create(
            candidate=candidate, to_status=Candidate.Status.DRAFT, changed_by=actor
        )
    if write.get("skills") is not None:
        _skills_set(candidate, write["skills"])
    for name in ("languages", "experiences"):
        if write.get(name) is not None:
            _rows_replace(candidate, name, write[name])
    if certifications is not None:
        _certifications_set(candidate, certifications, expiries)
    consents_apply(candidate=candidate, consents=consents, actor=actor)
    if register and candidate.status == Candidate.Status.DRAFT:
        candidate_set_status(candidate=candidate, status=Candidate.Status.REGISTERED, actor=actor)
    if identities is None or identities.may_match(
        candidate_identity(candidate), exclude=candidate.pk
    ):
        duplicate_reviews_open(candidate=candidate, actor=actor)
    return candidate


# The rows a registration or a change of people adds beside them, tables in the order their
# links need: written by one bulk insert a table however many people (NewCandidates,
# KnownCandidates).
ADDED_ROWS = (
    StatusChange,
    ConsentRecord,
    CandidateSkill,
    CandidateLanguage,
    Experience,
    CandidateCertification,
)


def _rows_create(rows: Mapping[type, list], *, batch_size: int) -> None:
    for model in ADDED_ROWS:
        if rows.get(model):
            model.objects.bulk_create(rows[model], batch_size=batch_size)


class NewCandidates:
    """New people registered together, the import's: each checked as `candidate_register`
    checks it, without a query (`add`), then all written with a few bulk inserts whatever
    their number (`write`), with what `candidate_register` writes for each (the status
    history, the consents' log, the intake's rows, their audit events).

    Only for people who may be nobody in the portal (`IdentityIndex.may_match` is false), so
    that no possible duplicate is asked of the database nor reviewed: the caller writes the
    batch before a person who may match somebody, so that the database holds whom they may
    match."""

    BATCH_SIZE = 1000

    def __init__(self, actor: User):
        self.actor = actor
        self.pending: list[tuple[Candidate, CandidateWrite]] = []

    def add(self, candidate: Candidate, **write: Unpack[CandidateWrite]) -> Candidate:
        """Check `candidate`, not saved, as `candidate_register` would, and keep it for
        `write`, with its status and consents as they will be written. Raises the
        ValidationError `candidate_register` raises, PermissionDenied as it does."""
        if candidate.pk is not None:
            raise ValueError("NewCandidates writes new candidates")
        require(self.actor, "create", candidate)
        if candidate.caseworker_id is None and can(self.actor, "follow", candidate):
            candidate.caseworker = self.actor
        candidate.created_by = self.actor
        candidate.status = Candidate.Status.DRAFT
        consents = write.get("consents") or {}
        certifications = list(write.get("certifications") or ())
        expiries, found = _certificate_expiries(certifications)
        register = _checked(
            candidate, Candidate(), write, actor=self.actor, found=found, looked_up=True
        )
        for link, expires_on in zip(certifications, expiries, strict=True):
            link.expires_on = expires_on
        for name in ("languages", "experiences"):
            for row in write.get(name) or ():
                row.candidate = candidate
                _full_clean(row, exclude=[], looked_up=True)
        for link in certifications:
            link.candidate = candidate
            _full_clean(link, exclude=[], looked_up=True)
        # As `consents_apply` leaves them for a new person: none without the programme's.
        programme = bool(consents.get(Consent.PROGRAMME))
        for purpose, field in CONSENT_FIELDS.items():
            setattr(candidate, field, programme and bool(consents.get(purpose)))
        if register:
            candidate.status = Candidate.Status.REGISTERED
        self.pending.append((candidate, {**write, "certifications": certifications}))
        return candidate

    @transaction.atomic
    def write(self) -> list[Candidate]:
        """Write the people added since the last write, and return them, saved."""
        pending, self.pending = self.pending, []
        if not pending:
            return []
        candidates = [candidate for candidate, _write in pending]
        Candidate.objects.bulk_create(candidates, batch_size=self.BATCH_SIZE)
        if any(candidate.pk is None for candidate in candidates):  # pragma: no cover
            raise RuntimeError("The database did not return the new candidates' ids")
        rows = defaultdict(list)
        for candidate, write in pending:
            self._rows(candidate, write, rows)
        _rows_create(rows, batch_size=self.BATCH_SIZE)
        touch("ranking", KEPT)  # bulk_create sends no signal
        return candidates

    def _rows(self, candidate: Candidate, write: CandidateWrite, rows: dict) -> None:
        draft, actor = Candidate.Status.DRAFT, self.actor
        rows[StatusChange].append(
            StatusChange(candidate=candidate, to_status=draft, changed_by=actor)
        )
        if candidate.status != draft:
            rows[StatusChange].append(
                StatusChange(
                    candidate=candidate,
                    from_status=draft,
                    to_status=candidate.status,
                    changed_by=actor,
                )
            )
        rows[ConsentRecord] += [
            ConsentRecord(
                candidate=candidate,
                purpose=purpose,
                granted=True,
                notice_version=settings.PRIVACY_NOTICE_VERSION,
                recorded_by=actor,
            )
            for purpose, field in CONSENT_FIELDS.items()
            if getattr(candidate, field)
        ]
        skills = {skill.pk for skill in write.get("skills") or ()}
        rows[CandidateSkill] += [
            CandidateSkill(candidate=candidate, skill_id=pk) for pk in sorted(skills)
        ]
        for model, name in (
            (CandidateLanguage, "languages"),
            (Experience, "experiences"),
            (CandidateCertification, "certifications"),
        ):
            for row in write.get(name) or ():
                row.candidate = candidate
                rows[model].append(row)


# The links of a candidate that an import rewrites, with the fields a change of theirs writes.
_LINKS = (
    (CandidateLanguage, "languages", ("language", "level")),
    (Experience, "experiences", ("profile", "description", "years")),
    (CandidateCertification, "certification_links", ("certification", "obtained_on", "expires_on")),
)


def _consents_after(stored: Candidate, consents: Mapping[str, bool]) -> dict[str, bool]:
    """Each consent's field as `consents_apply` leaves it after `consents`."""
    programme = bool(consents.get(Consent.PROGRAMME, stored.consent_programme))
    after = {}
    for purpose, field in CONSENT_FIELDS.items():
        if purpose == Consent.PROGRAMME:
            after[field] = programme
        elif purpose in consents or not programme:
            after[field] = bool(programme and consents.get(purpose))
        else:
            after[field] = getattr(stored, field)
    return after


class KnownCandidates:
    """People already registered, changed together: the import's updates. Each is checked
    as `candidate_update` checks it, without a query (`add`), then all are written with a
    few bulk statements whatever their number (`write`), with what `candidate_update` writes
    for each: the fields (the version raised), the intake's rows kept, changed, added or
    deleted, the consents' log, the status history, and their audit events (those of the
    rows deleted one by one, as any delete).

    `remember` each candidate when it is read, with its `skill_links`, `languages`,
    `experiences` and `certification_links` prefetched: what it holds then is what the
    changes are compared with. Only for people whom the change may make nobody else in the
    portal (`IdentityIndex.may_match` is false: no possible duplicate is asked of the
    database nor reviewed) and who withdraw no consent (`takes`): a withdrawal stops what
    the consent covered elsewhere and is told, which `candidate_update` does."""

    BATCH_SIZE = 1000
    # Rows a bulk update sets at once: each column is a CASE over the batch's rows, which
    # PostgreSQL reads through for every row, so a long batch costs more than several short.
    UPDATE_BATCH_SIZE = 250

    def __init__(self, actor: User):
        self.actor = actor
        self.before: dict[int, dict[str, Any]] = {}
        self.links_before: dict[tuple[type, int], dict[str, Any]] = {}
        # Each change: the candidate, its write, whether it is registered now, the
        # consents it grants.
        self.pending: list[tuple[Candidate, CandidateWrite, bool, list[str]]] = []

    def remember(self, candidate: Candidate) -> None:
        """Keep what `candidate` and its links hold as read, to compare the changes with."""
        self.before[candidate.pk] = _values(candidate)
        for model, related, _fields in _LINKS:
            for row in getattr(candidate, related).all():
                self.links_before[(model, row.pk)] = _values(row)

    def stored(self, candidate: Candidate) -> Candidate:
        """`candidate`'s consents and identity as read (`_as_stored`, without a query)."""
        before = self.before[candidate.pk]
        return Candidate(pk=candidate.pk, **{name: before[name] for name in STORED_FIELDS})

    def takes(self, candidate: Candidate, consents: Mapping[str, bool] | None) -> bool:
        """Whether the change of `candidate` (remembered) withdraws no consent it has."""
        if candidate.pk not in self.before:
            return False
        stored = self.stored(candidate)
        after = _consents_after(stored, consents or {})
        return not any(getattr(stored, field) and not now for field, now in after.items())

    def add(self, candidate: Candidate, **write: Unpack[CandidateWrite]) -> Candidate:
        """Check the change of `candidate`, remembered, as `candidate_update` would, and keep
        it for `write`. Raises the ValidationError `candidate_update` raises, PermissionDenied
        as it does."""
        if not self.takes(candidate, write.get("consents")):
            raise ValueError("KnownCandidates changes remembered people withdrawing nothing")
        require(self.actor, "change", candidate)
        consents = write.get("consents") or {}
        certifications = write.get("certifications")
        certifications = None if certifications is None else list(certifications)
        stored = self.stored(candidate)
        links = {
            pk: (before["certification_id"], before["obtained_on"], before["expires_on"])
            for (model, pk), before in self.links_before.items()
            if model is CandidateCertification
        }
        expiries, found = _certificate_expiries(certifications or [], stored=links)
        register = _checked(candidate, stored, write, actor=self.actor, found=found, looked_up=True)
        for link, expires_on in zip(certifications or (), expiries, strict=True):
            link.expires_on = expires_on
        for name in ("languages", "experiences", "certifications"):
            rows = certifications if name == "certifications" else write.get(name)
            for row in rows or ():
                row.candidate = candidate
                _full_clean(row, exclude=[], looked_up=True)
        granted = []
        for purpose, field in CONSENT_FIELDS.items():
            now = _consents_after(stored, consents)[field]
            if now and not getattr(stored, field):
                granted.append(purpose)
            setattr(candidate, field, now)
        promoted = register and candidate.status == Candidate.Status.DRAFT
        if promoted:
            candidate.status = Candidate.Status.REGISTERED
        write = {**write, "certifications": certifications}
        self.pending.append((candidate, write, promoted, granted))
        return candidate

    @transaction.atomic
    def write(self) -> list[Candidate]:
        """Write the changes added since the last write, and return the people, saved."""
        pending, self.pending = self.pending, []
        if not pending:
            return []
        candidates = [candidate for candidate, *_rest in pending]
        self._candidates_update(candidates)
        touch("ranking", KEPT)  # bulk_update sends no signal
        rows, deleted, changed = defaultdict(list), defaultdict(list), defaultdict(list)
        for candidate, write, promoted, granted in pending:
            self._history(candidate, promoted, granted, rows)
            self._skills(candidate, write.get("skills"), rows, deleted)
            for model, related, _fields in _LINKS:
                name = "certifications" if related == "certification_links" else related
                if write.get(name) is not None:
                    self._links(candidate, model, related, write[name], rows, deleted, changed)
        for model in (CandidateSkill, CandidateLanguage, Experience, CandidateCertification):
            if deleted[model]:
                model.objects.filter(pk__in=deleted[model]).delete()
        for model, _related, fields in _LINKS:
            self._rows_update(model, fields, changed[model])
        _rows_create(rows, batch_size=self.BATCH_SIZE)
        return candidates

    def _candidates_update(self, candidates: list[Candidate]) -> None:
        """One bulk update for each set of fields changed (so that each person's audit event
        names the fields changed for them, not those of the batch), one of those with none
        changed (as a save, their version and time of change). An import's rows change a
        few sets of columns, whatever their number."""
        now = timezone.now()
        names = {field.attname: field.name for field in Candidate._meta.concrete_fields}
        groups: dict[tuple[str, ...], list[Candidate]] = defaultdict(list)
        for candidate in candidates:
            before = self.before[candidate.pk]
            differ = {names[a] for a, value in _values(candidate).items() if before[a] != value}
            differ -= {"version", "updated_at"}
            groups[tuple(sorted(differ))].append(candidate)
            candidate.updated_at = now
        for names_of, group in groups.items():
            versions = [candidate.version for candidate in group]
            for candidate in group:
                candidate.version = F("version") + 1
            Candidate.objects.bulk_update(
                group, [*names_of, "updated_at", "version"], batch_size=self.UPDATE_BATCH_SIZE
            )
            for candidate, version in zip(group, versions, strict=True):
                candidate.version = version + 1

    def _history(self, candidate: Candidate, promoted: bool, granted: list, rows: dict) -> None:
        """The consents' log of those granted (`takes` lets no withdrawal in) and the move
        to registered, as `consents_apply` and `candidate_set_status` record them."""
        rows[ConsentRecord] += [
            ConsentRecord(
                candidate=candidate,
                purpose=purpose,
                granted=True,
                notice_version=settings.PRIVACY_NOTICE_VERSION,
                recorded_by=self.actor,
            )
            for purpose in granted
        ]
        if promoted:
            rows[StatusChange].append(
                StatusChange(
                    candidate=candidate,
                    from_status=Candidate.Status.DRAFT,
                    to_status=Candidate.Status.REGISTERED,
                    changed_by=self.actor,
                )
            )

    def _skills(self, candidate: Candidate, skills, rows: dict, deleted: dict) -> None:
        """As `_skills_set`: the declared skills become `skills`, the verified ones stay."""
        if skills is None:
            return
        wanted = {skill.pk for skill in skills}
        have = set()
        for link in candidate.skill_links.all():
            if not link.verified and link.skill_id not in wanted:
                deleted[CandidateSkill].append(link.pk)
            else:
                have.add(link.skill_id)
        rows[CandidateSkill] += [
            CandidateSkill(candidate=candidate, skill_id=pk) for pk in sorted(wanted - have)
        ]

    def _links(self, candidate, model, related, wanted, rows, deleted, changed) -> None:
        """As `_rows_replace`: the candidate's rows of `related` become `wanted`; those
        kept that changed are updated, the new ones added, the others deleted."""
        kept = {row.pk for row in wanted if row.pk}
        deleted[model] += [
            row.pk for row in getattr(candidate, related).all() if row.pk not in kept
        ]
        for row in wanted:
            row.candidate = candidate
            if row.pk is None:
                rows[model].append(row)
            elif self.links_before.get((model, row.pk)) != _values(row):
                changed[model].append(row)

    def _rows_update(self, model, fields: tuple[str, ...], objs: list) -> None:
        if objs:
            model.objects.bulk_update(objs, list(fields), batch_size=self.UPDATE_BATCH_SIZE)


def _values(instance) -> dict[str, Any]:
    """The values of `instance`'s fields, by attname."""
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


@transaction.atomic
def travel_arrangement_add(
    *,
    candidate: Candidate,
    mode: str,
    destination: Comune,
    since: datetime.date,
    within_km: int = 5,
    until: datetime.date | None = None,
    note: str = "",
) -> TravelArrangement:
    """Record a way the candidate now has to reach `destination` (and workplaces within
    `within_km` of it) without a car of their own; the ranking reads it at once."""
    arrangement = TravelArrangement(
        candidate=candidate,
        mode=mode,
        destination=destination,
        within_km=within_km,
        since=since,
        until=until,
        note=note,
    )
    arrangement.full_clean()
    arrangement.save()
    return arrangement


@transaction.atomic
def travel_arrangement_end(*, arrangement: TravelArrangement, on: datetime.date) -> None:
    """The arrangement no longer holds after `on` (the support that gave it fell through)."""
    arrangement.until = on
    arrangement.full_clean()
    arrangement.save(update_fields=["until"])


LEVEL_ORDER = [code for code, _label in ItalianLevel.choices]


def italian_level_higher(level: str, than: str) -> bool:
    """Whether the CEFR `level` is above `than` (blank: no level at all)."""
    if not level:
        return False
    return not than or LEVEL_ORDER.index(level) > LEVEL_ORDER.index(than)


@transaction.atomic
def qualifications_grant(
    *,
    candidate: Candidate,
    on: datetime.date,
    skills: Iterable[Skill] = (),
    certifications: Iterable[Certification] = (),
    italian_level: str = "",
) -> Candidate:
    """Give the candidate what a completed course or support action certifies, as verified:
    the skills, the certifications obtained `on` that day (expiring as their validity says),
    and the Italian level unless their verified level is already higher. The ranking reads
    them at once; `matching.ranking.Assumption` counts them the same way beforehand."""
    for skill in skills:
        CandidateSkill.objects.update_or_create(
            candidate=candidate, skill=skill, defaults={"verified": True}
        )
    for certification in certifications:
        CandidateCertification.objects.update_or_create(
            candidate=candidate,
            certification=certification,
            defaults={
                "verified": True,
                "obtained_on": on,
                "expires_on": certificate_expiry(certification, on, None),
            },
        )
    if italian_level_higher(italian_level, candidate.italian_level_verified):
        candidate.italian_level_verified = italian_level
        candidate.save(update_fields=["italian_level_verified", "updated_at"])
    return candidate


@transaction.atomic
def certification_verify(
    *,
    link: CandidateCertification,
    actor: User,
    obtained_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
) -> CandidateCertification:
    """Mark the candidate's certificate verified, as `actor` read it on the document itself:
    the date obtained it shows (else the one recorded), and the expiry as `certificate_expiry`
    makes it of the one it shows. The ranking reads both at once; the facts the candidate
    carries from assessments (`interviews.services.candidate_facts`) hold no certificate.

    PermissionDenied unless `actor` may change the candidate; ValidationError on
    `expires_on` when it comes before the date obtained."""
    require(actor, "change", link.candidate)
    obtained_on = obtained_on or link.obtained_on
    link.expires_on = certificate_expiry(link.certification, obtained_on, expires_on)
    link.obtained_on = obtained_on
    link.verified = True
    link.save(update_fields=["obtained_on", "expires_on", "verified"])
    return link


# Possible duplicates across centres ----------------------------------------------------------


@transaction.atomic
def duplicate_reviews_open(*, candidate: Candidate, actor: User) -> int:
    """Open a review for the programme office for each record `actor` cannot see that may be
    the same person as `candidate` (a client of another centre). Nothing of it reaches the
    actor: the save goes through as any other, and the office is e-mailed once committed.
    A pair already reviewed (either way round) is not opened again. Returns how many were."""
    matches = list(
        candidate_duplicates(candidate).exclude(pk__in=scope(actor, Candidate).values("pk"))[:20]
    )
    if not matches:
        return 0
    known = set(
        DuplicateReview.objects.filter(
            Q(candidate=candidate, existing__in=matches)
            | Q(existing=candidate, candidate__in=matches)
        ).values_list("candidate_id", "existing_id")
    )
    identity = candidate_identity(candidate)
    opened = [
        DuplicateReview(
            candidate=candidate, existing=other, reasons=identity_shared(identity, other)
        )
        for other in matches
        if (candidate.pk, other.pk) not in known and (other.pk, candidate.pk) not in known
    ]
    DuplicateReview.objects.bulk_create(opened, ignore_conflicts=True)
    if opened:
        with translation.override(settings.LANGUAGE_CODE):
            mail_send_on_commit(
                subject=_("Focus: a possible duplicate to review"),
                body=render_to_string(
                    "candidates/email/duplicate_review.txt",
                    {"url": settings.PORTAL_URL + reverse("candidates:duplicate_list")},
                ),
                recipients=addresses(STAFF_ROLES),
            )
    return len(opened)


def _review_decided(review: DuplicateReview, status: str, actor: User) -> None:
    review.status, review.decided_by, review.decided_at = status, actor, timezone.now()
    review.save(update_fields=["status", "decided_by", "decided_at", "candidate", "merged_number"])


def _open_review(review: DuplicateReview) -> DuplicateReview:
    review = DuplicateReview.objects.select_for_update().get(pk=review.pk)
    if review.status != DuplicateReview.Status.OPEN:
        raise ValidationError(_("This possible duplicate was already settled."))
    return review


@transaction.atomic
def duplicate_keep_apart(*, review: DuplicateReview, actor: User) -> DuplicateReview:
    """The office checked: two different people. The pair is not reviewed again."""
    review = _open_review(review)
    _review_decided(review, DuplicateReview.Status.KEPT_APART, actor)
    return review


@transaction.atomic
def duplicate_merge(*, review: DuplicateReview, actor: User) -> Candidate:
    """The office checked: one person. The new record is folded into the earlier one, which
    stays with its centre: what the new one holds (experience, skills, languages, interviews,
    shortlist entries, actions, enrolments, consents and history) moves to it, a fact held by
    both is kept once, the earlier record's empty fields take the new one's values, and its
    current consents become the latest recorded of either. The new record is then deleted; the
    review keeps its number."""
    review = _open_review(review)
    new = Candidate.objects.select_for_update().get(pk=review.candidate_id)
    kept = Candidate.objects.select_for_update().get(pk=review.existing_id)
    for relation in Candidate._meta.related_objects:
        if relation.related_model is DuplicateReview or not relation.one_to_many:
            continue
        _rows_move(relation.related_model, relation.field.name, new, kept)
    _blanks_fill(kept, new)
    _consents_from_records(kept)
    kept.save()
    DuplicateReview.objects.filter(existing=new).delete()
    review.merged_number = new.pk
    new.delete()  # the review's link goes with it (SET_NULL)
    review.candidate = None
    _review_decided(review, DuplicateReview.Status.MERGED, actor)
    return kept


def _rows_move(model, field: str, new: Candidate, kept: Candidate) -> None:
    """Move `new`'s rows of `model` to `kept`; a row `kept` already has (a unique rule says
    so) is the same fact twice and goes."""
    for pk in model._base_manager.filter(**{field: new}).values_list("pk", flat=True):
        try:
            with transaction.atomic():
                model._base_manager.filter(pk=pk).update(**{field: kept})
                touch("ranking", KEPT)  # update() sends no signal
        except IntegrityError:
            model._base_manager.filter(pk=pk).delete()


def _blanks_fill(kept: Candidate, new: Candidate) -> None:
    identity = {"id", "centre", "caseworker", "created_by", "status", "version", "codice_fiscale"}
    for field in Candidate._meta.concrete_fields:
        if field.name in identity or field.name.startswith("consent_") or field.primary_key:
            continue
        if field.auto_created or getattr(field, "auto_now", False):
            continue
        if getattr(kept, field.attname) in (None, "") and getattr(new, field.attname) not in (
            None,
            "",
        ):
            setattr(kept, field.attname, getattr(new, field.attname))
    if not kept.codice_fiscale and new.codice_fiscale:
        kept.codice_fiscale = new.codice_fiscale


def _consents_from_records(candidate: Candidate) -> None:
    for purpose, field in CONSENT_FIELDS.items():
        latest = candidate.consents.filter(purpose=purpose).order_by("-recorded_at", "-pk").first()
        if latest is not None:
            setattr(candidate, field, latest.granted)
    if not candidate.consent_programme:
        for field in CONSENT_FIELDS.values():
            setattr(candidate, field, False)
