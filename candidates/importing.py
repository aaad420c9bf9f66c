"""The Excel import of candidates: the lists of people the charity centres bring.

One sheet, "Candidati", one person per row, imported into one charity centre chosen at
upload (a caseworker's own centre). A person is known by the codice fiscale when the row has
one, else by first name, last name and birth date within the centre (`name_key`): importing a
file again updates the people it imported instead of duplicating them, and never moves
anybody to another centre. This module reads the rows and says the services' refusals by
row and column: every row follows the rules of `candidate_register` or `candidate_update`,
those of every way in (registration, consents, codice fiscale, possible duplicates,
certificates' expiry), so status history and consents record the importing user. New people
whom nobody in the portal or the file may be, nearly all of a file, are checked row by row
and written together in bulk (`NewCandidates`), and so are the changes of people the centre
already has who may be nobody else and withdraw no consent (`KnownCandidates`); the others
go through the services, once those held back are written.
Rows with what registration needs are registered, the others saved as drafts; a candidate is
never moved back to draft.

A row that may be a person already in the portal under another key (same phone, e-mail, or
name and birth date) is an error unless the possible duplicates are confirmed. The whole
file is imported or nothing is; see `focus.spreadsheets`.
"""

import datetime
import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import IO, Any

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from accounts.access import can
from accounts.models import Organisation, User
from candidates.models import (
    Candidate,
    CandidateCertification,
    CandidateLanguage,
    Experience,
)
from candidates.selectors import (
    IDENTITY_FIELDS,
    IdentityIndex,
    candidate_identity,
    name_key,
    registration_centres,
)
from candidates.services import (
    CONSENT_FIELDS,
    KnownCandidates,
    NewCandidates,
    candidate_register,
    candidate_update,
    residence_problems,
)
from candidates.validators import (
    codice_fiscale_facts,
    normalise_codice_fiscale,
    validate_codice_fiscale,
)
from catalog.cells import ComuneName, comune_find
from catalog.languages import ItalianLevel, Language, languages_parse
from catalog.licences import licences_parse
from catalog.models import Certification, JobProfile, Skill
from focus.spreadsheets import (
    CellError,
    Choice,
    Column,
    Date,
    Email,
    ImportReport,
    Integer,
    ListOf,
    Lookup,
    ParsedWorkbook,
    Row,
    SheetSpec,
    Text,
    WorkbookUploadForm,
    YesNo,
    read_workbook,
    write_rows,
)
from focus.text import fold
from imports.kinds import ImportKind

TITLE = "Candidati"

# The fields whose cells are copied onto the candidate as they are read.
CANDIDATE_FIELDS = (
    "first_name",
    "last_name",
    "sex",
    "birth_date",
    "birth_country",
    "nationality",
    "residence_comune",
    "address",
    "phone",
    "email",
    "italian_level",
    "education",
    "education_title",
    "education_abroad",
    "education_recognised",
    "driving_licences",
    "own_car",
    "motorbike",
    "bicycle",
    "public_transport",
    "lift",
    "max_commute_km",
    "max_commute_minutes",
    "available_from",
    "hours",
    "shifts",
    "nights",
    "weekends",
    "care_duties",
    "permit_type",
    "permit_expiry",
    "permit_renewal_requested_on",
    "notes",
)


# Cells --------------------------------------------------------------------------------------


@functools.cache
def _country_index() -> dict[str, str]:
    """Folded Italian and English names, alpha-2 and alpha-3 codes -> alpha-2 code."""
    index = {}
    for code, _name in countries:
        for alias in (code, countries.alpha3(code)):
            if alias:
                index[fold(alias)] = code
    for language in ("en", "it"):
        with translation.override(language):
            index.update({fold(str(name)): code for code, name in countries})
    return index


@dataclass(frozen=True, eq=False)
class Country:
    """A country by its Italian or English name or its ISO code (alpha-2 or alpha-3)."""

    empty = ""
    number_format = "@"

    def __call__(self, value: Any) -> str:
        text = str(value).strip()
        code = _country_index().get(fold(text))
        if code is None:
            raise ValidationError(
                _("“%(value)s” is not a country: write its name in Italian, e.g. Marocco.")
                % {"value": text}
            )
        return code

    def describe(self) -> str:
        return _("A country: its name in Italian or English or its ISO code, e.g. Marocco, MA.")


_YEARS = re.compile(r"(?P<name>.+?)\s*:\s*(?P<years>.*)")


@dataclass(frozen=True, eq=False)
class ExperienceItem(Lookup):
    """ "profile:years": a job profile of the catalogue by code or name, or free text when no
    profile has that name; the years after a colon (may be left out)."""

    def __call__(self, value: Any) -> tuple[JobProfile | None, str, Decimal]:
        text = str(value).strip()
        match = _YEARS.fullmatch(text)
        name, years = (match["name"], _years(match["years"], text)) if match else (text, 0)
        profiles = self._index().get(fold(name), [])
        if len(profiles) > 1:
            raise ValidationError(
                _("“%(value)s” matches more than one job profile: write its code.")
                % {"value": name}
            )
        if not profiles and len(name) > 200:
            raise ValidationError(_("A job described in more than 200 characters: shorten it."))
        return (profiles[0], "", years) if profiles else (None, name, years)

    def describe(self) -> str:
        return _(
            "A job: the code or Italian name of a job profile of the catalogue (or free text "
            "when none fits), a colon and the years, e.g. carrellista:2. Profiles: %(options)s."
        ) % {"options": "; ".join(self.options())}


def _years(text: str, item: str) -> Decimal:
    text = re.sub(r"\s*(anni|anno|years?)$", "", text.strip(), flags=re.IGNORECASE)
    if not re.fullmatch(r"\d{1,2}([.,]\d)?", text) or Decimal(text.replace(",", ".")) > 60:
        raise ValidationError(
            _("“%(value)s”: write the years as a number from 0 to 60 after the colon, e.g. 1.5.")
            % {"value": item}
        )
    return Decimal(text.replace(",", "."))


@dataclass(frozen=True, eq=False)
class CertificationItem(Lookup):
    """ "certification[:dd/mm/yyyy]": a certification of the catalogue and when it was
    obtained (may be left out)."""

    def __call__(self, value: Any) -> tuple[Certification, datetime.date | None]:
        text = str(value).strip()
        match = _YEARS.fullmatch(text)
        if match is None:
            return super().__call__(text), None
        return super().__call__(match["name"]), Date()(match["years"])

    def describe(self) -> str:
        return _(
            "A certification: its code or Italian name, then a colon and the date it was "
            "obtained if known, e.g. patente-b:15/03/2019. Now: %(options)s."
        ) % {"options": "; ".join(self.options())}


@dataclass(frozen=True, eq=False)
class LanguageList:
    """Languages other than Italian with their level, e.g. "inglese B1, arabo madrelingua":
    each a language of the portal's list (catalog.languages), once."""

    empty = ()
    number_format = "@"

    def __call__(self, value: Any) -> list[tuple[str, str]]:
        languages, unread = languages_parse(str(value))
        if unread:
            raise ValidationError(
                _(
                    "“%(value)s”: write a language of the list and its level (A1 to C2, or "
                    "madrelingua), e.g. francese B1."
                )
                % {"value": "; ".join(unread)}
            )
        return languages

    def describe(self) -> str:
        return _(
            "Languages with their level, separated by commas, e.g. inglese B1, arabo "
            "madrelingua. Languages: %(options)s."
        ) % {"options": ", ".join(sorted(str(label) for label in Language.labels))}


def _level_set(language: CandidateLanguage, level: str) -> CandidateLanguage:
    language.level = level
    return language


@dataclass(frozen=True, eq=False)
class Licences(Text):
    """Categories separated by commas, spaces or semicolons; kept as "B, C"."""

    max_length: int = 60

    def __call__(self, value: Any) -> str:
        return super().__call__(licences_parse(value))

    def describe(self) -> str:
        return _("Licence categories separated by commas, e.g. B, C, CQC.")


@dataclass(frozen=True, eq=False)
class CodiceFiscale(Text):
    max_length: int = 40  # the validator explains what is wrong with a longer one
    normalise: Any = normalise_codice_fiscale
    validators: tuple = (validate_codice_fiscale,)

    def describe(self) -> str:
        return _("16 letters and digits, e.g. RSSMRA85T10A562S; spaces are ignored.")


CODICE_FISCALE = CodiceFiscale()
PROFILE = ExperienceItem(
    JobProfile.objects.filter(is_active=True),
    fields=("code", "name_it", "name_en"),
    noun=gettext_lazy("job profile"),
    hint="",
    shown="code",
)
SKILL = Lookup(
    Skill.objects.filter(is_active=True),
    fields=("code", "name_it", "name_en"),
    noun=gettext_lazy("skill"),
    hint=gettext_lazy("Code or Italian name of a skill of the catalogue"),
    shown="code",
)
CERTIFICATION = CertificationItem(
    Certification.objects.filter(is_active=True),
    fields=("code", "name_it", "name_en"),
    noun=gettext_lazy("certification"),
    hint="",
    shown="code",
)

# The words people write for each choice; the first is the one the template offers.
SEX_WORDS = {Candidate.Sex.FEMALE: ("F", "femmina", "donna"), Candidate.Sex.MALE: ("M", "maschio")}
ITALIAN_WORDS = {ItalianLevel.NATIVE: ("madrelingua", "nativo", "native")}
EDUCATION_WORDS = {
    Candidate.Education.NONE: ("nessuno", "nessun titolo", "senza titolo"),
    Candidate.Education.PRIMARY: ("licenza elementare", "elementari", "scuola primaria"),
    Candidate.Education.LOWER_SECONDARY: ("licenza media", "scuola media", "medie"),
    Candidate.Education.VOCATIONAL: ("qualifica professionale", "qualifica"),
    Candidate.Education.UPPER_SECONDARY: ("diploma", "maturità", "scuola superiore"),
    Candidate.Education.TERTIARY: ("laurea", "università"),
}
HOURS_WORDS = {
    Candidate.Hours.FULL_TIME: ("tempo pieno", "full time", "full-time"),
    Candidate.Hours.PART_TIME: ("part time", "part-time", "tempo parziale"),
    Candidate.Hours.EITHER: ("indifferente", "entrambi"),
}
SHIFTS_WORDS = {
    Candidate.Shifts.DAY: ("giornata", "solo giorno", "giornaliero"),
    Candidate.Shifts.TWO: ("due turni", "2 turni"),
    Candidate.Shifts.THREE: ("tre turni", "3 turni", "ciclo continuo"),
}
PERMIT_WORDS = {
    Candidate.Permit.WORK: ("lavoro", "lavoro subordinato"),
    Candidate.Permit.FAMILY: ("famiglia", "motivi familiari"),
    Candidate.Permit.INTERNATIONAL_PROTECTION: ("protezione internazionale", "asilo"),
    Candidate.Permit.SPECIAL_PROTECTION: ("protezione speciale",),
    Candidate.Permit.ASYLUM_REQUEST: ("richiesta asilo", "richiedente asilo"),
    Candidate.Permit.LONG_TERM: ("lungo periodo", "soggiornante di lungo periodo"),
    Candidate.Permit.JOB_SEEKING: ("attesa occupazione",),
    Candidate.Permit.STUDY: ("studio",),
    Candidate.Permit.OTHER: ("altro",),
}


# Row cleaners -------------------------------------------------------------------------------


def _codice_fiscale_facts(values: dict) -> None:
    """Sex and birth date left empty are read from the codice fiscale, which encodes them;
    given ones must agree with it (the rule of `Candidate.clean`)."""
    facts = codice_fiscale_facts(values.get("codice_fiscale") or "")
    if facts is None:
        return
    birth_date, sex = facts
    values["birth_date"] = values.get("birth_date") or birth_date
    values["sex"] = values.get("sex") or sex
    Candidate(
        codice_fiscale=values["codice_fiscale"], birth_date=values["birth_date"], sex=values["sex"]
    ).clean()


def _residence(values: dict) -> None:
    """The comune of residence, narrowed by the optional province; one of the programme's
    provinces (`residence_problems`), said at once with the row's other problems."""
    province = values.pop("province", "") or ""
    if not values.get("residence_comune"):
        if "residence_comune" in values:
            values["residence_comune"] = None
        return
    name, local = values["residence_comune"], settings.PORTAL_PROVINCES
    try:
        comune = comune_find(name, province)
    except ValidationError as exc:
        found = [] if province else _find_in(name, local)
        if len(found) != 1:
            raise ValidationError({"residence_comune": exc.messages}) from None
        comune = found[0]
    if problems := residence_problems(comune):
        raise ValidationError(problems)
    values["residence_comune"] = comune


def _find_in(name: str, provinces: Iterable[str]) -> list:
    found = []
    for province in provinces:
        try:
            found.append(comune_find(name, province))
        except ValidationError:
            continue
    return found


def _certifications_once(values: dict) -> None:
    seen, twice = set(), []
    for certification, _obtained in values.get("certifications") or ():
        if certification in seen:
            twice.append(str(certification))
        seen.add(certification)
    if twice:
        raise ValidationError(
            {"certifications": _("%(names)s appears more than once.") % {"names": ", ".join(twice)}}
        )


def _yes_no(header: str, field: str, help_text) -> Column:
    return Column(header, field, YesNo(), help=help_text)


CANDIDATES = SheetSpec(
    title=TITLE,
    help=gettext_lazy(
        "one row per person, known by the codice fiscale or, without it, by first name, last "
        "name and birth date within the centre chosen when importing. Rows with what "
        "registration needs (sex, birth date, citizenship, comune, Italian level, a phone or "
        "e-mail, consent to the programme) are registered, the others saved as drafts."
    ),
    columns=(
        Column(
            "Nome",
            "first_name",
            Text(max_length=100),
            required=True,
            help=gettext_lazy("First name(s), as in the identity document."),
        ),
        Column(
            "Cognome",
            "last_name",
            Text(max_length=100),
            required=True,
            help=gettext_lazy("Last name(s), as in the identity document."),
        ),
        Column(
            "Sesso",
            "sex",
            Choice(Candidate.Sex, SEX_WORDS),
            help=gettext_lazy("F or M; empty: read from the codice fiscale."),
        ),
        Column(
            "Data di nascita",
            "birth_date",
            Date(),
            help=gettext_lazy("Empty: read from the codice fiscale."),
        ),
        Column(
            "Paese di nascita",
            "birth_country",
            Country(),
            help=gettext_lazy("The country where the person was born."),
        ),
        Column(
            "Cittadinanza",
            "nationality",
            Country(),
            help=gettext_lazy("Citizenship: outside the EU a residence permit is needed."),
        ),
        Column(
            "Codice fiscale",
            "codice_fiscale",
            CODICE_FISCALE,
            help=gettext_lazy(
                "The 16-character personal code; it must agree with sex and birth date. An "
                "empty cell never removes a code the portal has."
            ),
        ),
        Column(
            "Comune di residenza",
            "residence_comune",
            ComuneName(),
            help=gettext_lazy("A comune of the programme's provinces."),
        ),
        Column(
            "Provincia",
            "province",
            Text(max_length=2, normalise=str.upper),
            help=gettext_lazy(
                "Sigla of the comune's province (BG): needed only when two comuni share a name."
            ),
        ),
        Column("Indirizzo", "address", Text(max_length=200), help=gettext_lazy("Street.")),
        Column(
            "Telefono",
            "phone",
            Text(max_length=30),
            help=gettext_lazy("A phone or an e-mail is needed to register the person."),
        ),
        Column(
            "E-mail",
            "email",
            Email(),
            help=gettext_lazy("A phone or an e-mail is needed to register the person."),
        ),
        Column(
            "Operatore",
            "caseworker",
            Text(max_length=150),
            help=gettext_lazy(
                "Username of a caseworker of the centre who follows the person. Empty: nobody; "
                "when a caseworker imports, new people are theirs."
            ),
        ),
        Column(
            "Livello di italiano",
            "italian_level",
            Choice(ItalianLevel, ITALIAN_WORDS),
            help=gettext_lazy("CEFR level, or madrelingua."),
        ),
        Column(
            "Altre lingue",
            "languages",
            LanguageList(),
            help=gettext_lazy(
                "Each language with its level (A1 to C2, or madrelingua), separated by commas, "
                "e.g. “inglese B1, arabo madrelingua”."
            ),
        ),
        Column(
            "Titolo di studio",
            "education",
            Choice(Candidate.Education, EDUCATION_WORDS),
            help=gettext_lazy("The highest level of education completed."),
        ),
        Column(
            "Titolo conseguito",
            "education_title",
            Text(max_length=200),
            help=gettext_lazy("The title as written, e.g. “diploma di ragioneria”."),
        ),
        _yes_no("Conseguito all'estero", "education_abroad", gettext_lazy("Obtained abroad.")),
        _yes_no(
            "Riconosciuto in Italia",
            "education_recognised",
            gettext_lazy("A title obtained abroad that is recognised in Italy."),
        ),
        Column(
            "Esperienze",
            "experiences",
            ListOf(PROFILE),
            help=gettext_lazy("Jobs done, e.g. “carrellista:2; addetto-magazzino:1.5”."),
        ),
        Column(
            "Competenze",
            "skills",
            ListOf(SKILL),
            help=gettext_lazy("Declared skills; those a recruiter verified are kept anyway."),
        ),
        Column(
            "Certificazioni",
            "certifications",
            ListOf(CERTIFICATION),
            help=gettext_lazy("E.g. “sicurezza-generale:10/02/2024; patente-b”."),
        ),
        Column("Patenti", "driving_licences", Licences(), help=gettext_lazy("E.g. B, C.")),
        _yes_no("Auto propria", "own_car", gettext_lazy("Has a car to reach work.")),
        _yes_no("Moto", "motorbike", gettext_lazy("Has a motorbike or moped to reach work.")),
        _yes_no("Bicicletta", "bicycle", gettext_lazy("Cycles to work.")),
        _yes_no("Mezzi pubblici", "public_transport", gettext_lazy("Uses buses or trains.")),
        _yes_no("Passaggio", "lift", gettext_lazy("Can get a lift from someone.")),
        Column(
            "Km massimi",
            "max_commute_km",
            Integer(0, 300),
            help=gettext_lazy("How far the person can travel to work, by road."),
        ),
        Column(
            "Minuti massimi",
            "max_commute_minutes",
            Integer(0, 180),
            help=gettext_lazy("How long the person can travel to work, one way."),
        ),
        Column(
            "Disponibile dal",
            "available_from",
            Date(),
            help=gettext_lazy("When the person can start; empty: now."),
        ),
        Column(
            "Orario",
            "hours",
            Choice(Candidate.Hours, HOURS_WORDS),
            default=Candidate.Hours.EITHER,
            help=gettext_lazy("Empty means indifferente."),
        ),
        Column(
            "Turni",
            "shifts",
            Choice(Candidate.Shifts, SHIFTS_WORDS),
            default=Candidate.Shifts.DAY,
            help=gettext_lazy("Empty means giornata (day shift only)."),
        ),
        _yes_no("Notturno", "nights", gettext_lazy("Available at night.")),
        _yes_no("Weekend", "weekends", gettext_lazy("Available at weekends.")),
        _yes_no("Carichi di cura", "care_duties", gettext_lazy("Cares for children or relatives.")),
        Column(
            "Permesso di soggiorno",
            "permit_type",
            Choice(Candidate.Permit, PERMIT_WORDS),
            help=gettext_lazy("Confidential: the kind of residence permit, if one is needed."),
        ),
        Column(
            "Scadenza permesso",
            "permit_expiry",
            Date(),
            help=gettext_lazy("Confidential: when the residence permit expires."),
        ),
        Column(
            "Rinnovo permesso richiesto il",
            "permit_renewal_requested_on",
            Date(),
            help=gettext_lazy("Confidential: the date on the receipt of the renewal request."),
        ),
        Column(
            "Note",
            "notes",
            Text(max_length=4000),
            help=gettext_lazy("Anything else the recruiters should know."),
        ),
        _yes_no(
            "Consenso programma",
            "consent_programme",
            gettext_lazy("Consent to the processing of personal data for the programme."),
        ),
        _yes_no(
            "Consenso matching",
            "consent_matching",
            gettext_lazy("Consent to matching with companies' needs."),
        ),
        _yes_no(
            "Consenso profilo anonimo",
            "consent_share_profile",
            gettext_lazy("Consent to share a pseudonymised profile with companies."),
        ),
        _yes_no(
            "Consenso contatti",
            "consent_share_contacts",
            gettext_lazy("Consent to share contact details for an agreed interview."),
        ),
    ),
    clean=(_codice_fiscale_facts, _residence, _certifications_once),
)

SPECS = (CANDIDATES,)


# The upload form and the report -------------------------------------------------------------


class CandidateImportForm(WorkbookUploadForm):
    """The upload: staff and admin choose the charity centre, caseworkers import into their
    own (a centre sent by them is ignored)."""

    centre = forms.ModelChoiceField(
        label=gettext_lazy("Charity centre"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.CENTRE, is_active=True),
        empty_label=gettext_lazy("— choose —"),
        help_text=gettext_lazy("The centre the people of the file belong to."),
    )
    confirm_duplicates = forms.BooleanField(
        label=gettext_lazy("Confirm possible duplicates"),
        required=False,
        help_text=gettext_lazy(
            "Import rows that share a phone, an e-mail or name and birth date with someone "
            "already registered: tick it only after checking they are different people."
        ),
    )
    field_order = ("centre", "file", "dry_run", "confirm_duplicates")

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        centres = registration_centres(actor, "import")
        self.centre = None
        if can(actor, "list_all_centres", Candidate):
            self.fields["centre"].queryset = centres
        else:  # who works with one centre's people imports into the policy's centre
            del self.fields["centre"]
            self.centre = centres.first()

    def import_centre(self) -> Organisation | None:
        return self.cleaned_data.get("centre") or self.centre


@dataclass
class CandidateImportReport(ImportReport):
    registered: int = 0
    drafts: int = 0

    def summary(self) -> str:
        return f"{super().summary()} " + _("Registered: %(registered)d; drafts: %(drafts)d.") % {
            "registered": self.registered,
            "drafts": self.drafts,
        }


# The import ---------------------------------------------------------------------------------


def may_import_into(actor: User, centre: Organisation | None) -> bool:
    """Whether `actor` may import people into `centre`, a charity centre (the policy's
    answer: staff and admin into any, caseworkers into their own)."""
    if centre is None or centre.kind != Organisation.Kind.CENTRE:
        return False
    return can(actor, "import", Candidate(centre=centre))


def import_candidates(
    file: IO[bytes],
    *,
    centre: Organisation,
    actor: User,
    dry_run: bool,
    confirm_duplicates: bool = False,
) -> CandidateImportReport:
    """Import the candidates of an Excel workbook made from the template into `centre`.

    All or nothing: the report lists every problem (sheet, row, column) and then nothing is
    written; a dry run reports what would be created and updated and writes nothing either.
    Raises ImportRefused when the file itself is refused, PermissionDenied when `actor` may
    not import into `centre`."""
    if not may_import_into(actor, centre):
        raise PermissionDenied
    parsed = read_workbook(file, SPECS)
    _refuse_people_twice(parsed)
    writer = _Writer(parsed, centre=centre, actor=actor, confirm_duplicates=confirm_duplicates)
    report = write_rows(parsed, {TITLE: writer.candidate}, dry_run=dry_run, finish=writer.finish)
    counts = {field.name: getattr(report, field.name) for field in fields(report)}
    return CandidateImportReport(**counts, registered=writer.registered, drafts=writer.drafts)


def _row_key(values: dict) -> tuple[str, tuple]:
    """The key a row is known by: ("codice_fiscale", code) or ("name", name key)."""
    if values.get("codice_fiscale"):
        return "codice_fiscale", (values["codice_fiscale"],)
    return "name", name_key(values["first_name"], values["last_name"], values.get("birth_date"))


def _refuse_people_twice(parsed: ParsedWorkbook) -> None:
    """The same person (same key) twice in the file: an error naming both rows."""
    seen: dict[tuple, int] = {}
    for row in parsed.rows.get(TITLE, ()):
        if not row.ok:
            continue
        kind, key = _row_key(row.values)
        if (kind, key) not in seen:
            seen[(kind, key)] = row.number
            continue
        if kind == "codice_fiscale":
            header = CANDIDATES.column("codice_fiscale").header
            message = _("Same codice fiscale as row %(other)d: each person must appear once.")
        else:
            header = CANDIDATES.column("first_name").header
            message = _(
                "Same first name, last name and birth date as row %(other)d, and no codice "
                "fiscale to tell them apart: each person must appear once."
            )
        parsed.errors.append(
            CellError(TITLE, row.number, header, message % {"other": seen[(kind, key)]})
        )
        row.ok = False


class _Writer:
    """Writes the rows of one file into one centre, through the services, and says their
    refusals for the file. Everything it looks up (the centre's caseworkers, the candidates
    the rows may be, those they may duplicate) is read once, before the first row."""

    def __init__(
        self, parsed: ParsedWorkbook, *, centre: Organisation, actor: User, confirm_duplicates
    ):
        self.centre, self.actor, self.confirm = centre, actor, confirm_duplicates
        rows = [row.values for row in parsed.rows.get(TITLE, ()) if row.ok]
        self.caseworkers = {
            user.username.lower(): user
            for user in User.objects.filter(
                role=User.Role.CASEWORKER, organisation=centre, is_active=True
            )
        }
        self.by_code: dict[str, Candidate] = {}
        self.by_name: dict[tuple, list[Candidate]] = defaultdict(list)
        self.known = KnownCandidates(actor)  # changes checked, held back likewise
        for candidate in self._existing(rows):
            self._index(candidate)
            self.known.remember(candidate)
        people = [Candidate(**_identity_values(values)) for values in rows]
        self.identities = IdentityIndex(people)
        self.rows_of: dict[int, int] = {}  # candidate pk -> the row of this file that wrote it
        self.new = NewCandidates(actor)  # checked, held back to be written in bulk
        self.registered = self.drafts = 0

    def _existing(self, rows: list[dict]) -> Iterable[Candidate]:
        """The centre's candidates the rows may be: by codice fiscale, or by name and birth
        date. People of other centres are never found here (nor named to the importer):
        those who may be the same are reviewed by the programme office."""
        codes = {values["codice_fiscale"] for values in rows if values.get("codice_fiscale")}
        mine = Q(centre=self.centre)
        if all("birth_date" in values for values in rows):
            dates = {values["birth_date"] for values in rows} - {None}
            mine &= Q(codice_fiscale__in=codes) | Q(birth_date__in=dates) | Q(birth_date=None)
        return Candidate.objects.filter(mine).prefetch_related(
            "skill_links",
            "languages",
            "experiences",
            "certification_links__certification",
        )

    def _index(self, candidate: Candidate) -> None:
        if candidate.codice_fiscale:
            self.by_code[candidate.codice_fiscale] = candidate
        if candidate.centre_id == self.centre.pk:
            key = name_key(candidate.first_name, candidate.last_name, candidate.birth_date)
            self.by_name[key].append(candidate)
            self.by_name[key[:2]].append(candidate)

    def candidate(self, row: Row) -> bool:
        values = row.values
        candidate = self._find(values, row.number)
        created = candidate is None
        if created:
            candidate = Candidate(centre=self.centre)
        self._apply(candidate, values)
        write = {
            "when_complete": True,  # a row without what registration needs is a draft
            **self._related(candidate, values, created=created),
            "consents": {
                purpose: values[field]
                for purpose, field in CONSENT_FIELDS.items()
                if field in values
            },
            "confirm_duplicates": self.confirm,
            "identities": self.identities,
        }
        alone = not self.identities.may_match(candidate_identity(candidate), exclude=candidate.pk)
        try:
            if created and alone:
                saved = self.new.add(candidate, **write)
            elif alone and self.known.takes(candidate, write["consents"]):
                saved = self.known.add(candidate, **write)
            else:
                if not alone:  # whom the row may be must be in the database
                    self.finish()
                service = candidate_register if created else candidate_update
                saved = service(candidate=candidate, actor=self.actor, **write)
        except ValidationError as refusal:
            raise self._for_the_file(refusal) from None
        self._remember(saved, row.number, created=created)
        return created

    def finish(self) -> None:
        """Write the new people and the changes held back (`NewCandidates`,
        `KnownCandidates`)."""
        for candidate in self.new.write():
            self.rows_of[candidate.pk] = candidate.import_row
            self.identities.add(candidate)
        self.known.write()

    def _find(self, values: dict, number: int) -> Candidate | None:
        """The candidate the row is, by codice fiscale or else by name and birth date in the
        centre; a candidate without codice fiscale may be found by name and get one."""
        code = values.get("codice_fiscale")
        candidate = self.by_code.get(code) if code else None
        if candidate is None:
            candidate = self._find_by_name(values, without_code=bool(code))
        if candidate is not None and getattr(candidate, "import_row", None):
            raise ValidationError(
                {
                    "first_name": _(
                        "Row %(other)d already imports this person: each person must appear once."
                    )
                    % {"other": candidate.import_row}
                }
            )
        return candidate

    def _find_by_name(self, values: dict, *, without_code: bool) -> Candidate | None:
        key = name_key(values["first_name"], values["last_name"], values.get("birth_date"))
        # Without a birth date column, the name alone (in the centre) is the key.
        found = self.by_name.get(key if "birth_date" in values else key[:2], [])
        if without_code:
            found = [candidate for candidate in found if not candidate.codice_fiscale]
        if len(found) > 1:
            raise ValidationError(
                {
                    "first_name": _(
                        "The centre has more than one candidate with this name and birth date: "
                        "write the codice fiscale."
                    )
                }
            )
        return found[0] if found else None

    def _apply(self, candidate: Candidate, values: dict) -> None:
        for name in CANDIDATE_FIELDS:
            if name in values:
                setattr(candidate, name, values[name])
        if values.get("codice_fiscale"):  # an empty cell never removes the code
            candidate.codice_fiscale = values["codice_fiscale"]
        if "caseworker" in values:  # empty: nobody (a new person: whoever imports may be)
            candidate.caseworker = self._caseworker(values["caseworker"])

    def _caseworker(self, username: str) -> User | None:
        if not username:
            return None
        user = self.caseworkers.get(username.lower())
        if user is None:
            raise ValidationError(
                {
                    "caseworker": _("No caseworker of %(centre)s has the username “%(name)s”.")
                    % {"centre": self.centre, "name": username}
                }
            )
        return user

    def _related(self, candidate: Candidate, values: dict, *, created: bool) -> dict:
        """Skills, languages, experiences and certifications: the file's when its column is
        there, keeping the candidate's record of each it already has; without the column,
        nothing (the service leaves what the candidate has)."""
        related = {}
        if "skills" in values:
            related["skills"] = values["skills"]
        if "languages" in values:
            had = {} if created else {row.language: row for row in candidate.languages.all()}
            related["languages"] = [
                _level_set(had.get(code) or CandidateLanguage(language=code), level)
                for code, level in values["languages"]
            ]
        if "experiences" in values:
            had = [] if created else list(candidate.experiences.all())
            related["experiences"] = _experiences(had, values["experiences"])
        if "certifications" in values:
            had = [] if created else list(candidate.certification_links.all())
            related["certifications"] = _certifications(had, values["certifications"])
        return related

    def _for_the_file(self, refusal: ValidationError) -> ValidationError:
        """The services' refusal of a row as the file's reader needs it: a possible duplicate
        written by an earlier row of the file is named by its row, and each says how to go
        on."""
        problems = {}
        for field, errors in refusal.error_dict.items():
            problems[field] = [
                self._duplicate_message(error) if error.code == "possible_duplicate" else error
                for error in errors
            ]
        return ValidationError(problems)

    def _duplicate_message(self, error: ValidationError) -> str:
        row = self.rows_of.get(error.params["name"].pk)
        if row:
            message = _("Same %(field)s as row %(row)d of this file.") % {
                "field": error.params["field"],
                "row": row,
            }
        else:
            message = error.message % error.params
        return (
            message
            + " "
            + _("If they are different people, confirm the possible duplicates and import again.")
        )

    def _remember(self, candidate: Candidate, number: int, *, created: bool) -> None:
        candidate.import_row = number  # the row of this file that writes it
        if created:
            self._index(candidate)
        if candidate.pk is None:  # held back: the file's later rows meet it all the same
            self.identities.add(candidate, key=("row", number))
        else:
            self.rows_of[candidate.pk] = number
            self.identities.add(candidate)
        if candidate.status == Candidate.Status.DRAFT:
            self.drafts += 1
        else:
            self.registered += 1


def _identity_values(values: dict) -> dict:
    """A row's values of the fields that tell people apart (`IDENTITY_FIELDS`)."""
    names = {name for fields in IDENTITY_FIELDS.values() for name in fields}
    return {name: value for name, value in values.items() if name in names and value}


def _experiences(existing: list[Experience], items: list[tuple]) -> list[Experience]:
    """The file's experiences, reusing the candidate's records of the same job (so what a
    recruiter added to them, such as the country, stays)."""
    unused = list(existing)
    result = []
    for profile, description, years in items:
        same = next(
            (
                e
                for e in unused
                if e.profile_id == (profile.pk if profile else None)
                and fold(e.description) == fold(description)
            ),
            None,
        )
        experience = same or Experience(profile=profile, description=description)
        if same is not None:
            unused.remove(same)
        experience.years = years
        result.append(experience)
    return result


def _certifications(
    existing: list[CandidateCertification], items: list[tuple]
) -> list[CandidateCertification]:
    """The file's certifications, keeping the candidate's link to each. The file gives when
    each was obtained, never when it expires: the services work it out (`certificate_expiry`),
    again when the file brings a new date."""
    by_certification = {link.certification_id: link for link in existing}
    result = []
    for certification, obtained_on in items:
        link = by_certification.get(certification.pk) or CandidateCertification(
            certification=certification
        )
        link.obtained_on = obtained_on
        result.append(link)
    return result


def _import_in_background(file: IO[bytes], params: dict, actor: User) -> CandidateImportReport:
    centre = Organisation.objects.filter(pk=params["centre"]).first()
    return import_candidates(
        file,
        centre=centre,
        actor=actor,
        dry_run=params["dry_run"],
        confirm_duplicates=params.get("confirm_duplicates", False),
    )


# The import as the task worker runs a large file (imports.kinds).
BACKGROUND = ImportKind(
    title=gettext_lazy("Import candidates"),
    specs=SPECS,
    run=_import_in_background,
    again_url="candidates:import",
    done_url="candidates:list",
)
