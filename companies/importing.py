"""The Excel import of companies and their needs: how the survey's answers reach the portal.

Two sheets. "Aziende" holds one company per row, known by its partita IVA: a new one is
registered with its organisation, a known one gets the name and the details of the file.
"Fabbisogni" holds one need per row, known by company (partita IVA, from the file or already
in the portal), campaign, profile and workplace: a new one is declared, a known one gets the
file's values and, when the file has their columns, its skill and certification requirements
are replaced.

The rows are only read here: they are written, and checked, by the services the companies'
pages use (`company_register`, `company_update`, `need_declare`, `need_update`), so a row is
refused for the same reasons, with the same words, as the form. The whole file is imported or
nothing is; see `focus.spreadsheets`.
"""

from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import can
from catalog.cells import ComuneName, comune_cleaner
from catalog.languages import CefrLevel
from catalog.models import AtecoCode, Certification, JobProfile, Skill
from companies.models import Company, Need, SurveyCampaign
from companies.services import (
    COMPANY_FIELDS,
    NEED_FIELDS,
    NEED_REFERENCES,
    REQUIREMENT_FIELDS,
    company_register,
    company_update,
    need_declare,
    need_update,
)
from companies.validators import normalise_partita_iva, validate_partita_iva
from focus.spreadsheets import (
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
    YesNo,
    read_workbook,
    write_rows,
)
from imports.kinds import ImportKind


def _partita_iva_text(text: str) -> str:
    digits = normalise_partita_iva(text)
    # A partita IVA typed as a number loses its leading zeros.
    return digits.zfill(11) if digits.isdigit() and len(digits) < 11 else digits


PARTITA_IVA = Text(max_length=20, normalise=_partita_iva_text, validators=(validate_partita_iva,))
SKILL = Lookup(
    Skill.objects.filter(is_active=True),
    fields=("code", "name_it", "name_en"),
    noun=gettext_lazy("skill"),
    hint=gettext_lazy("Code or Italian name of a skill of the catalogue"),
    shown="name_it",
)
CERTIFICATION = Lookup(
    Certification.objects.filter(is_active=True),
    fields=("code", "name_it", "name_en"),
    noun=gettext_lazy("certification"),
    hint=gettext_lazy("Code or Italian name of a certification of the catalogue"),
    shown="name_it",
)

# The words people write for each choice; the first is the one the template offers.
SIZE_WORDS = {
    Company.Size.MICRO: ("micro",),
    Company.Size.SMALL: ("piccola", "piccola impresa"),
    Company.Size.MEDIUM: ("media", "media impresa"),
    Company.Size.LARGE: ("grande", "grande impresa"),
}
CONTRACT_WORDS = {
    Need.Contract.PERMANENT: ("tempo indeterminato", "indeterminato"),
    Need.Contract.FIXED_TERM: ("tempo determinato", "determinato"),
    Need.Contract.AGENCY: ("somministrazione", "interinale"),
    Need.Contract.APPRENTICESHIP: ("apprendistato",),
    Need.Contract.TRAINEESHIP: ("tirocinio", "stage"),
}
HOURS_WORDS = {
    Need.Hours.FULL_TIME: ("tempo pieno", "full time", "full-time"),
    Need.Hours.PART_TIME: ("part time", "part-time", "tempo parziale"),
}
SHIFTS_WORDS = {
    Need.Shifts.DAY: ("giornata", "giornaliero", "solo giorno", "centrale"),
    Need.Shifts.TWO: ("due turni", "2 turni"),
    Need.Shifts.THREE: ("tre turni", "3 turni", "ciclo continuo"),
}
STATUS_WORDS = {
    Need.Status.OPEN: ("aperto",),
    Need.Status.FILLED: ("coperto",),
    Need.Status.CANCELLED: ("annullato",),
}


COMPANIES = SheetSpec(
    title="Aziende",
    help=gettext_lazy("one row per company, known by its partita IVA."),
    columns=(
        Column(
            "Ragione sociale",
            "name",
            Text(max_length=200),
            required=True,
            help=gettext_lazy("The company's name, as in the chamber of commerce register."),
        ),
        Column(
            "Partita IVA",
            "partita_iva",
            PARTITA_IVA,
            required=True,
            help=gettext_lazy("11 digits; spaces and a leading IT are ignored."),
        ),
        Column(
            "Codice ATECO",
            "ateco",
            Lookup(
                AtecoCode.objects.all(),
                fields=("code",),
                noun=gettext_lazy("ATECO 2025 code"),
                hint=gettext_lazy("An ATECO 2025 code, e.g. 25.62.00"),
            ),
            help=gettext_lazy("The main activity of the company."),
        ),
        Column(
            "Dimensione",
            "size",
            Choice(Company.Size, SIZE_WORDS),
            help=gettext_lazy(
                "Micro: fewer than 10 employees; piccola: 10-49; media: 50-249; grande: 250 "
                "or more."
            ),
        ),
        Column("Indirizzo", "address", Text(max_length=200), help=gettext_lazy("Street.")),
        Column(
            "Comune",
            "comune",
            ComuneName(),
            help=gettext_lazy("Where the company has its seat."),
        ),
        Column(
            "Provincia",
            "province",
            Text(max_length=2, normalise=str.upper),
            help=gettext_lazy(
                "Sigla of the comune's province (BG): needed only when two comuni share a name."
            ),
        ),
        Column(
            "Referente",
            "contact_name",
            Text(max_length=120),
            help=gettext_lazy("Who answers for the company."),
        ),
        Column(
            "E-mail referente",
            "contact_email",
            Email(),
            help=gettext_lazy("The contact person's e-mail."),
        ),
        Column(
            "Telefono referente",
            "contact_phone",
            Text(max_length=30),
            help=gettext_lazy("The contact person's phone number."),
        ),
    ),
    unique=(("partita_iva",), ("name",)),
    clean=(comune_cleaner("comune", "province"),),
)

NEEDS = SheetSpec(
    title="Fabbisogni",
    help=gettext_lazy(
        "one row per need: a company, a campaign, a profile and a workplace. The company is "
        "in the Aziende sheet or already in the portal."
    ),
    columns=(
        Column(
            "Partita IVA",
            "partita_iva",
            PARTITA_IVA,
            required=True,
            help=gettext_lazy("The company's partita IVA."),
        ),
        Column(
            "Campagna",
            "campaign",
            Lookup(
                SurveyCampaign.objects.all(),
                fields=("name",),
                noun=gettext_lazy("survey campaign"),
                hint=gettext_lazy("The name of a survey campaign of the portal"),
            ),
            required=True,
            help=gettext_lazy("The survey campaign the need answers."),
        ),
        Column(
            "Profilo",
            "profile",
            Lookup(
                JobProfile.objects.filter(is_active=True),
                fields=("code", "name_it", "name_en"),
                noun=gettext_lazy("job profile"),
                hint=gettext_lazy("Code or Italian name of a job profile of the catalogue"),
                shown="name_it",
            ),
            required=True,
            help=gettext_lazy("The job profile the company needs."),
        ),
        Column(
            "Comune sede di lavoro",
            "workplace",
            ComuneName(),
            required=True,
            help=gettext_lazy("Where the people will work."),
        ),
        Column(
            "Provincia sede",
            "workplace_province",
            Text(max_length=2, normalise=str.upper),
            help=gettext_lazy(
                "Sigla of the workplace's province: needed only when two comuni share a name."
            ),
        ),
        Column(
            "Persone richieste",
            "headcount",
            Integer(1, 999),
            required=True,
            help=gettext_lazy("How many people the company needs for this profile here."),
        ),
        Column(
            "Tipo contratto",
            "contract",
            Choice(Need.Contract, CONTRACT_WORDS),
            required=True,
            help=gettext_lazy("The contract offered."),
        ),
        Column(
            "Orario",
            "hours",
            Choice(Need.Hours, HOURS_WORDS),
            default=Need.Hours.FULL_TIME,
            help=gettext_lazy("Empty means tempo pieno."),
        ),
        Column(
            "Turni",
            "shifts",
            Choice(Need.Shifts, SHIFTS_WORDS),
            default=Need.Shifts.DAY,
            help=gettext_lazy("Empty means giornata (day shift only)."),
        ),
        Column("Notturno", "nights", YesNo(), help=gettext_lazy("Night work.")),
        Column("Weekend", "weekends", YesNo(), help=gettext_lazy("Weekend work.")),
        Column("Data inizio", "start_date", Date(), help=gettext_lazy("When work would start.")),
        Column(
            "Livello minimo di italiano",
            "italian_level",
            Choice(CefrLevel),
            help=gettext_lazy("CEFR level; empty when no level is asked."),
        ),
        Column(
            "Patente richiesta",
            "driving_licence",
            Choice(Need.Licence, words={"B": ("sì", "si", "yes")}),
            help=gettext_lazy(
                "The licence category asked (B, C, CQC…; sì means B); empty when none is."
            ),
        ),
        Column(
            "Auto propria richiesta",
            "own_car_required",
            YesNo(),
            help=gettext_lazy("An own car is required to reach the workplace."),
        ),
        Column(
            "Durata prevista (mesi)",
            "duration_months",
            Integer(1, 60),
            help=gettext_lazy("Expected length of the contract in months; empty when permanent."),
        ),
        Column(
            "Anni di esperienza",
            "min_experience_years",
            Integer(0, 50),
            default=0,
            help=gettext_lazy("Minimum years of experience in the profile; empty means none."),
        ),
        Column(
            "Competenze obbligatorie",
            "mandatory_skills",
            ListOf(SKILL),
            help=gettext_lazy("Candidates without them are left out."),
        ),
        Column(
            "Competenze preferite",
            "preferred_skills",
            ListOf(SKILL),
            help=gettext_lazy("They add to a candidate's score."),
        ),
        Column(
            "Certificazioni obbligatorie",
            "mandatory_certifications",
            ListOf(CERTIFICATION),
            help=gettext_lazy("Candidates without them are left out."),
        ),
        Column(
            "Certificazioni preferite",
            "preferred_certifications",
            ListOf(CERTIFICATION),
            help=gettext_lazy("They add to a candidate's score."),
        ),
        Column(
            "Note",
            "notes",
            Text(max_length=2000),
            help=gettext_lazy("Anything else candidates should know."),
        ),
        Column(
            "Stato",
            "status",
            Choice(Need.Status, STATUS_WORDS),
            default=Need.Status.OPEN,
            help=gettext_lazy("Empty means aperto."),
        ),
    ),
    unique=(("partita_iva", "campaign", "profile", "workplace"),),
    clean=(comune_cleaner("workplace", "workplace_province"),),
)

SPECS = (COMPANIES, NEEDS)


def import_companies(file: IO[bytes], *, dry_run: bool) -> ImportReport:
    """Import the companies and needs of an Excel workbook made from the template.

    All or nothing: the report lists every problem (sheet, row, column) and then nothing is
    written; a dry run reports what would be created and updated and writes nothing either.
    Raises ImportRefused when the file itself is refused (not .xlsx, too large, unsafe,
    unknown or missing columns)."""
    parsed = read_workbook(file, SPECS)
    writer = _Writer(parsed)
    return write_rows(
        parsed, {COMPANIES.title: writer.company, NEEDS.title: writer.need}, dry_run=dry_run
    )


class _Writer:
    """Writes the rows of one file; remembers the companies it met by partita IVA."""

    def __init__(self, parsed: ParsedWorkbook):
        company_rows = parsed.rows.get(COMPANIES.title, [])
        self.in_file = {row.values.get("partita_iva") for row in company_rows}
        wanted = self.in_file | {
            row.values.get("partita_iva") for row in parsed.rows.get(NEEDS.title, [])
        }
        self.companies = {
            company.partita_iva: company
            for company in Company.objects.select_related("organisation").filter(
                partita_iva__in=wanted - {None}
            )
        }

    def company(self, row: Row) -> bool:
        values = row.values
        company = self.companies.get(values["partita_iva"])
        # A column left out keeps what the portal has.
        said = {name: values[name] for name in COMPANY_FIELDS if name in values}
        registry = {"name": values["name"], "partita_iva": values["partita_iva"]}
        created = company is None
        if created:
            company = company_register(**registry, **said)
        else:
            company_update(company=company, **registry, **said)
        self.companies[company.partita_iva] = company
        return created

    def need(self, row: Row) -> bool | None:
        values = row.values
        company = self.companies.get(values["partita_iva"])
        if company is None and values["partita_iva"] in self.in_file:
            return None  # its row in Aziende has a problem, already reported
        if company is None:
            raise ValidationError(
                {
                    "partita_iva": _(
                        "No company with partita IVA %(partita_iva)s, neither in the Aziende "
                        "sheet nor in the portal."
                    )
                    % {"partita_iva": values["partita_iva"]}
                }
            )
        key = {name: values[name] for name in ("campaign", "profile", "workplace")}
        # A column left out keeps what the portal has; so do the requirements, unless the
        # file has a column of them.
        said = {name: values[name] for name in NEED_FIELDS if name in values}
        if any(name in values for name in REQUIREMENT_FIELDS):
            said |= {name: values.get(name, []) for name in REQUIREMENT_FIELDS}
        need = Need.objects.select_related(*NEED_REFERENCES).filter(company=company, **key).first()
        if need is None:
            need_declare(company=company, campaign=key["campaign"], **said)
            return True
        need_update(need=need, **said)
        return False


def _import_in_background(file: IO[bytes], params: dict, actor) -> ImportReport:
    if not can(actor, "import", Company):
        raise PermissionDenied
    return import_companies(file, dry_run=params["dry_run"])


# The import as the task worker runs a large file (imports.kinds).
BACKGROUND = ImportKind(
    title=gettext_lazy("Import companies and needs"),
    specs=SPECS,
    run=_import_in_background,
    again_url="companies:import",
    done_url="companies:list",
)
