"""A demo world at a region's size, built with bulk inserts (`seed_demo --scale N`).

N candidates in the demo's two charity centres and a few more, with about N/33 member
companies, N/10 needs over several campaigns (the current one open, the earlier ones
closed), a tranche of interviews for every 5 000 candidates (at least two, the last one
still under way) with N/20 interviews, their assessments (classes, obstacles, suitable
profiles), shortlists of 25 with N/50 entries, hires with their follow-up checks, support
actions for most obstacles, training courses and enrolments; and the demo's users, with the
same logins as the demo, so that a benchmark can log in as each role.

Rows are made in Python and inserted in large batches; what the portal's services keep in
step on every write is worked out afterwards in a few statements over the whole set:
what each candidate carries from their assessments (`candidate_facts_bulk`, the bulk
equivalent of `interviews.services.candidate_facts_refresh`).

The candidates, their skills, certifications and jobs and their interviews are made by the
functions the ranking benchmark builds its pool with too (bench/rank.py): `candidate`,
`links` and `assessments`, over a `World` that says what the rows point to.
"""

import csv
import datetime
import io
import random
import secrets

from django.db import connection, transaction
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from stdnum import luhn

from focus.cache import touch

BATCH = 5000

# fmt: off
FIRST_NAMES = [
    "Fatima", "Amina", "Aisha", "Mariam", "Khadija", "Sara", "Giulia", "Maria", "Elena", "Olena",
    "Iryna", "Grace", "Blessing", "Joy", "Mohamed", "Ahmed", "Youssef", "Omar", "Ibrahim",
    "Moussa", "Mamadou", "Luca", "Marco", "Andrea", "Paolo", "Rachid", "Karim", "Samuel",
    "Emmanuel", "Ion", "Andrei", "Florin", "Ana", "Elvira", "Rosa", "Lucia", "Nadia", "Hassan",
    "Ali", "Bilal", "Imran"
]
LAST_NAMES = [
    "Rossi", "Bianchi", "Colombo", "Ferrari", "Rota", "Locatelli", "Pesenti", "Bonacina",
    "Cattaneo", "Carminati", "Benali", "Haddad", "Diallo", "Traoré", "Ndiaye", "Okafor", "Mensah",
    "Kovalenko", "Shevchenko", "Popescu", "Ionescu", "Hussain", "Khan", "Rahman", "Ahmed",
    "Mahmoud", "Haidari", "Gashi", "Hoxha", "Quispe", "Flores", "Mendoza", "Santos"
]
# Italians, another EU country, and the countries most candidates come from.
NATIONALITIES = ["IT"] * 30 + ["RO"] * 5 + [
    "MA", "SN", "NG", "PK", "UA", "AL", "EG", "BD", "PE", "EC", "TN", "GH", "CI", "ML", "IN",
    "LK", "CN", "BR"
] * 4
# fmt: on
LEVELS = ["A1"] * 10 + ["A2"] * 25 + ["B1"] * 25 + ["B2"] * 15 + ["C1"] * 5 + [""] * 5
STATUSES = (
    ["registered"] * 78
    + ["interviewed"] * 8
    + ["shortlisted"] * 2
    + ["placed"] * 5
    + ["withdrawn"] * 2
    + ["suspended"] * 1
    + ["draft"] * 2
)
# The statuses of a candidate interviewed and assessed (`assessments` interviews those).
ASSESSED = frozenset({"interviewed", "shortlisted"})
OBSTACLE_KINDS = ["transport", "language", "care", "documents", "housing", "health", "digital"]


def insert(model, objects: list) -> list:
    """Insert `objects` (unsaved, of `model`) as `bulk_create` does, their keys set; on
    PostgreSQL with COPY, their keys drawn from the table's sequence beforehand, several
    times faster for large sets. Like bulk_create, it calls neither `save` nor signals."""
    if connection.vendor != "postgresql" or not objects:
        touch("ranking")  # bulk_create sends no signal
        return model.objects.bulk_create(objects, batch_size=BATCH)
    meta = model._meta
    fields = list(meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objects)],
        )
        keys = [row[0] for row in cursor.fetchall()]
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for key, obj in zip(keys, objects, strict=True):
            obj._prepare_related_fields_for_save(operation_name="bulk_create")
            obj.pk = key
            writer.writerow([_copied(field, obj) for field in fields])
            obj._state.adding, obj._state.db = False, connection.alias
        buffer.seek(0)
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        table = connection.ops.quote_name(meta.db_table)
        cursor.cursor.copy_expert(
            f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
            buffer,
        )
    touch("ranking")  # COPY sends no signal
    return objects


def _copied(field, obj) -> object:
    """The value of `field` of `obj` as COPY reads it in CSV."""
    value = field.get_db_prep_save(field.pre_save(obj, True), connection)
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return value


class World:
    """What the generated rows point to: the reference data (comuni of the province, skills,
    certifications, profiles) and the random generator. A subclass says where candidates are
    registered (`centre`), by whom they are interviewed (`recruiter_for`) and in which
    tranches (`tranches`, `tranches_for`)."""

    centre = None
    recruiter = None
    tranches: list = []
    assessed = ASSESSED

    def __init__(self, rng: random.Random):
        from catalog.models import Certification, Comune, JobProfile, Skill

        self.rng = rng
        self.today = timezone.localdate()
        self.now = timezone.now()
        comuni = list(Comune.objects.filter(province="BG").values_list("pk", "name"))
        self.comuni = [pk for pk, _name in comuni]
        self.comune_weights = [12 if name == "Bergamo" else 1 for _pk, name in comuni]
        self.skills = list(Skill.objects.values_list("pk", flat=True))
        self.certifications = dict(Certification.objects.values_list("pk", "validity_years"))
        self.profiles = list(JobProfile.objects.values_list("pk", flat=True))

    def days(self, low: int, high: int) -> datetime.date:
        return self.today + datetime.timedelta(days=self.rng.randint(low, high))

    def tranches_for(self, candidate) -> list:
        """The tranches that interview `candidate`: the first, and one in ten the second."""
        return self.tranches[: 2 if self.rng.random() < 0.1 else 1]

    def recruiter_for(self, candidate):
        return self.recruiter

    def scheduled_at(self, tranche, recruiter) -> datetime.datetime:
        """When an interview of `recruiter` in `tranche` takes place: at random in the
        tranche's first 25 days, at a quarter to or past the hour."""
        return datetime.datetime.combine(
            tranche.starts_on, datetime.time(9), tzinfo=datetime.UTC
        ) + datetime.timedelta(minutes=45 * self.rng.randint(0, 800))


def candidate(world: World):
    """A candidate of `world.centre`, unsaved, drawn from the world's generator."""
    from candidates.models import Candidate

    rng = world.rng
    nationality = rng.choice(NATIONALITIES)
    foreign = nationality not in {"IT", "RO"}
    own_car = rng.random() < 0.35
    matching = rng.random() < 0.93
    permit_expiry = world.days(-120, 900) if foreign else None
    status = rng.choice(STATUSES)
    return Candidate(
        first_name=rng.choice(FIRST_NAMES),
        last_name=rng.choice(LAST_NAMES),
        sex=rng.choice("FM"),
        birth_date=world.days(-62 * 365, -18 * 365),
        nationality=nationality,
        birth_country=nationality,
        residence_comune_id=rng.choices(world.comuni, world.comune_weights)[0],
        centre_id=world.centre.pk,
        status=status,
        italian_level="native" if nationality == "IT" else rng.choice(LEVELS),
        driving_licences="B" if own_car or rng.random() < 0.15 else "",
        own_car=own_car,
        motorbike=not own_car and rng.random() < 0.08,
        bicycle=rng.random() < 0.15,
        public_transport=not own_car and rng.random() < 0.7,
        lift=rng.random() < 0.1,
        max_commute_km=None if rng.random() < 0.4 else rng.choice([5, 10, 15, 20, 25, 30, 40]),
        max_commute_minutes=rng.choice([None, None, None, 20, 30, 45, 60]),
        available_from=None if rng.random() < 0.45 else world.days(-60, 150),
        hours=rng.choice(["either"] * 12 + ["full_time"] * 5 + ["part_time"] * 3),
        shifts=rng.choice(["day"] * 9 + ["two"] * 7 + ["three"] * 4),
        nights=rng.random() < 0.2,
        weekends=rng.random() < 0.35,
        care_duties=rng.random() < 0.25,
        permit_type=rng.choice(["work", "family", "protection", "long_term"]) if foreign else "",
        permit_expiry=permit_expiry,
        permit_renewal_requested_on=world.days(-60, -1)
        if permit_expiry
        and permit_expiry < world.today + datetime.timedelta(days=60)
        and rng.random() < 0.5
        else None,
        consent_programme=matching or rng.random() < 0.7,
        consent_matching=matching,
        consent_share_profile=matching and rng.random() < 0.9,
    )


def links(world: World, candidates: list) -> dict[str, list]:
    """Skills, certifications and experience of some of the candidates (unsaved)."""
    from candidates.models import CandidateCertification, CandidateSkill, Experience

    rng = world.rng
    rows = {"skills": [], "certifications": [], "experiences": []}
    for person in candidates:
        if rng.random() < 0.4:
            for skill in rng.sample(world.skills, rng.randint(1, 4)):
                rows["skills"].append(
                    CandidateSkill(candidate=person, skill_id=skill, verified=rng.random() < 0.25)
                )
        if rng.random() < 0.3:
            for certification in rng.sample(sorted(world.certifications), rng.randint(1, 2)):
                obtained = world.days(-6 * 365, -10)
                years = world.certifications[certification]
                rows["certifications"].append(
                    CandidateCertification(
                        candidate=person,
                        certification_id=certification,
                        obtained_on=obtained,
                        expires_on=obtained.replace(year=obtained.year + years)
                        if years and obtained.month * 100 + obtained.day != 229
                        else None,
                        verified=rng.random() < 0.3,
                    )
                )
        for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
            profile = rng.choice(world.profiles) if rng.random() < 0.8 else None
            rows["experiences"].append(
                Experience(
                    candidate=person,
                    profile_id=profile,
                    description="" if profile else "Lavori vari",
                    years=rng.randint(1, 15),
                    ended_in=None if rng.random() < 0.4 else world.today.year - rng.randint(0, 12),
                )
            )
    return rows


def links_create(world: World, candidates: list) -> None:
    from candidates.models import CandidateCertification, CandidateSkill, Experience

    rows = links(world, candidates)
    insert(CandidateSkill, rows["skills"])
    insert(CandidateCertification, rows["certifications"])
    insert(Experience, rows["experiences"])


def assessments(world: World, candidates: list) -> list:
    """An interview for each of the candidates of a status in `world.assessed`, in the
    tranches `world.tranches_for` gives them, by `world.recruiter_for` (of that recruiter's
    agency). Those whose time has passed are done and assessed (class, verified Italian,
    suitable profiles for most, obstacles for half); those to come are scheduled. Returns
    the assessments."""
    from interviews.models import Assessment, Interview, Obstacle, SuitableProfile

    rng = world.rng
    interviews = []
    for person in candidates:
        if person.status not in world.assessed:
            continue
        recruiter = world.recruiter_for(person)
        for tranche in world.tranches_for(person):
            scheduled_at = world.scheduled_at(tranche, recruiter)
            interviews.append(
                Interview(
                    tranche=tranche,
                    candidate=person,
                    recruiter=recruiter,
                    agency_id=recruiter.organisation_id,
                    scheduled_at=scheduled_at,
                    status="done" if scheduled_at < world.now else "scheduled",
                )
            )
    insert(Interview, interviews)
    made = insert(
        Assessment,
        [
            Assessment(
                interview=interview,
                employability=rng.choice("AAABBBBCC"),
                verified_italian_level=rng.choice(["", "A2", "B1", "B2"]),
                recorded_by_id=interview.recruiter_id,
            )
            for interview in interviews
            if interview.status == "done"
        ],
    )
    insert(
        SuitableProfile,
        [
            SuitableProfile(
                assessment=assessment,
                profile_id=profile,
                rank=rank,
                candidate_id=assessment.interview.candidate_id,
            )
            for assessment in made
            if rng.random() < 0.6
            for rank, profile in enumerate(rng.sample(world.profiles, 2), start=1)
        ],
    )
    insert(
        Obstacle,
        [
            Obstacle(assessment=assessment, kind=kind, severity=rng.choice([1, 2, 2, 3]))
            for assessment in made
            if rng.random() < 0.5
            for kind in rng.sample(OBSTACLE_KINDS, rng.randint(1, 3))
        ],
    )
    return made


def candidate_facts_bulk() -> None:
    """What `interviews.services.candidate_facts_refresh` stores on each candidate, for every
    candidate at once, after bulk inserts that bypassed it: the class of the latest
    assessment, whether it records a severe obstacle still open, and the latest verified
    Italian level. The few candidates training certified a level for (Italian courses
    completed, Italian-course support actions done with a level reached) are then refreshed
    one by one by the service itself, which knows how the levels combine."""
    from candidates.models import Candidate
    from interviews.models import Assessment
    from interviews.selectors import open_severe_obstacles
    from interviews.services import candidate_facts_refresh
    from training.models import Enrolment, SupportAction

    assessed = Assessment.objects.values("interview__candidate")
    Candidate.objects.exclude(pk__in=assessed).exclude(
        employability="", italian_level_verified="", severe_obstacle=False
    ).update(employability="", italian_level_verified="", severe_obstacle=False)
    latest = Assessment.objects.filter(interview__candidate=OuterRef("pk")).order_by(
        "-interview__scheduled_at", "-pk"
    )
    verified = latest.exclude(verified_italian_level="")
    severe = open_severe_obstacles().values("assessment__interview__candidate")
    Candidate.objects.filter(pk__in=assessed).update(
        employability=Coalesce(Subquery(latest.values("employability")[:1]), Value("")),
        italian_level_verified=Coalesce(
            Subquery(verified.values("verified_italian_level")[:1]), Value("")
        ),
        severe_obstacle=Q(pk__in=severe),
    )
    certified = {
        *Enrolment.objects.filter(status=Enrolment.Status.COMPLETED, finished_on__isnull=False)
        .exclude(course__italian_level="")
        .values_list("candidate_id", flat=True),
        *SupportAction.objects.filter(status=SupportAction.Status.DONE, finished_on__isnull=False)
        .exclude(level_reached="")
        .values_list("candidate_id", flat=True),
    }
    for person in Candidate.objects.filter(pk__in=certified):
        candidate_facts_refresh(person)
    touch("ranking")  # update() sends no signal


# The regional world --------------------------------------------------------------------------


class _Regional(World):
    """The demo's organisations and users, and as many more centres, agencies, recruiters
    and tranches as N candidates need."""

    assessed = frozenset({"interviewed", "shortlisted", "placed"})

    def __init__(self, n: int, rng: random.Random, organisations: dict, users: dict):
        from django.contrib.auth.hashers import make_password

        from accounts.models import Organisation, User
        from interviews.models import Tranche

        super().__init__(rng)
        self.n = n
        self.staff = users["staff"]
        extra_centres = Organisation.objects.bulk_create(
            Organisation(
                code=f"centro-{number}",
                name=f"Centro di ascolto {number} - Bergamo",
                kind=Organisation.Kind.CENTRE,
            )
            for number in range(1, n // 20_000 + 1)
        )
        extra_agencies = Organisation.objects.bulk_create(
            Organisation(
                code=f"agenzia-{number}",
                name=f"Agenzia per il lavoro {number}",
                kind=Organisation.Kind.AGENCY,
            )
            for number in range(1, n // 25_000 + 1)
        )
        self.centres = [
            o for o in organisations.values() if o.kind == Organisation.Kind.CENTRE
        ] + extra_centres
        self.centre = self.centres[0]  # `candidate` registers there; _candidates spreads them
        # One in three candidates in each demo centre, the rest shared by the others.
        self.centre_weights = [3 if o.code in organisations else 1 for o in self.centres]
        unusable = make_password(None)  # the users added at scale have no password to log in
        caseworkers = [u for u in users.values() if u.role == User.Role.CASEWORKER]
        caseworkers += User.objects.bulk_create(
            User(
                username=f"operatore-{centre.code}",
                email=f"operatore-{centre.code}@demo.focus.invalid",
                password=unusable,
                role=User.Role.CASEWORKER,
                organisation=centre,
                organisation_kind=centre.kind,  # what User.save copies, bypassed here
            )
            for centre in extra_centres
        )
        self.caseworker_of = {u.organisation_id: u.pk for u in caseworkers}
        agencies = [o for o in organisations.values() if o.kind == Organisation.Kind.AGENCY]
        agencies += extra_agencies
        self.recruiters = [
            users["recruiter"],
            *User.objects.bulk_create(
                User(
                    username=f"selezionatore-{number}",
                    email=f"selezionatore-{number}@demo.focus.invalid",
                    password=unusable,
                    role=User.Role.RECRUITER,
                    organisation=agencies[number % len(agencies)],
                    organisation_kind=Organisation.Kind.AGENCY,
                )
                for number in range(1, max(1, n // 10_000) + 1)
            ),
        ]
        # Every 25 days a tranche of 30 days, the last one under way (its interviews to
        # come are scheduled, those past are done).
        count = max(2, round(n / 5000))
        per_tranche = max(1, min(1000, n // 20 // count + 1))
        self.tranches = Tranche.objects.bulk_create(
            Tranche(
                name=f"Tranche {number + 1}",
                starts_on=self.today - datetime.timedelta(days=25 * (count - number) - 10),
                ends_on=self.today - datetime.timedelta(days=25 * (count - number) - 40),
                target=per_tranche,
            )
            for number in range(count)
        )
        self.slots, self.working_days = {}, {}
        self.begun = [t for t in self.tranches if t.starts_on <= self.today]

    def tranches_for(self, candidate) -> list:
        """One tranche begun; one in ten a later one too. Those whose only interview is
        still to come are registered, not yet interviewed (`_candidates`)."""
        first = self.rng.randrange(len(self.begun))
        if self.rng.random() < 0.1 and first + 1 < len(self.tranches):
            return [
                self.tranches[first],
                self.tranches[self.rng.randrange(first + 1, len(self.tranches))],
            ]
        return [self.tranches[first]]

    def scheduled_at(self, tranche, recruiter) -> datetime.datetime:
        """A free hour of the recruiter in the tranche, on a working day drawn at random, from
        9 to 17 (local time): no recruiter is in two interviews at once (interviews.clashes),
        and the tranche under way has interviews done and to come. A day whose eight hours
        are taken passes the interview to the next one."""
        if tranche.pk not in self.working_days:
            days = (tranche.ends_on - tranche.starts_on).days + 1
            every = (tranche.starts_on + datetime.timedelta(days=n) for n in range(days))
            self.working_days[tranche.pk] = [day for day in every if day.weekday() < 5]
        working = self.working_days[tranche.pk]
        taken = self.slots.setdefault((tranche.pk, recruiter.pk), {})
        day = self.rng.randrange(len(working))
        for _ in range(len(working)):
            if taken.get(day, 0) < 8:
                break
            day = (day + 1) % len(working)
        hour = taken[day] = taken.get(day, 0) + 1  # past 8 a day only when all are full
        return datetime.datetime.combine(
            working[day],
            datetime.time(9 + (hour - 1) % 8),
            tzinfo=timezone.get_current_timezone(),
        )

    def recruiter_for(self, candidate):
        # The demo's recruiter interviews a share of every tranche, the others the rest.
        return self.recruiters[self.rng.randrange(len(self.recruiters))]


# At scale, 4.5 % of the candidates are assessed (5 000 interviews at 100 000 with the second
# interviews): fewer placed and shortlisted than the ranking's pool has.
REGIONAL_STATUSES = (
    ["registered"] * 880
    + ["interviewed"] * 30
    + ["shortlisted"] * 10
    + ["placed"] * 5
    + ["withdrawn"] * 30
    + ["suspended"] * 15
    + ["draft"] * 30
)


def _candidates(world: _Regional) -> None:
    from candidates.models import Candidate

    rng = world.rng
    for start in range(0, world.n, 2 * BATCH):
        batch = [candidate(world) for _ in range(min(2 * BATCH, world.n - start))]
        for person in batch:
            person.centre_id = rng.choices(world.centres, world.centre_weights)[0].pk
            person.caseworker_id = world.caseworker_of.get(person.centre_id)
            person.status = rng.choice(REGIONAL_STATUSES)
            person.created_by_id = person.caseworker_id
            if person.status == "draft":
                person.consent_matching = person.consent_share_profile = False
            else:  # registration asks for the consent to the programme
                person.consent_programme = True
        insert(Candidate, batch)
        links_create(world, batch)
        assessments(world, batch)
    # A candidate whose only interview is still to come is registered, not yet interviewed.
    from interviews.models import Interview

    done = Interview.objects.filter(status="done").values("candidate")
    Candidate.objects.filter(status__in=world.assessed).exclude(pk__in=done).update(
        status="registered"
    )


# How a candidate came to each status (`candidates.services.candidate_set_status` logs every
# step), and who moved them: the caseworker, the recruiter who assessed them, the programme
# office's matching officer.
PATHS = {
    "draft": ["draft"],
    "registered": ["draft", "registered"],
    "withdrawn": ["draft", "registered", "withdrawn"],
    "suspended": ["draft", "registered", "suspended"],
    "interviewed": ["draft", "registered", "interviewed"],
    "shortlisted": ["draft", "registered", "interviewed", "shortlisted"],
    "placed": ["draft", "registered", "interviewed", "shortlisted", "placed"],
}
REASONS = {"withdrawn": "Ritirato su sua richiesta", "suspended": "Sospeso: trasferimento"}


def _histories(world: _Regional) -> None:
    """The consent log and the status history of every candidate, as the services keep
    them: a record of each consent given, and each step from the draft to their status."""
    from django.conf import settings

    from candidates.models import Candidate, ConsentRecord, StatusChange
    from candidates.services import CONSENT_FIELDS
    from interviews.models import Interview

    assessors = dict(
        Interview.objects.filter(status="done")
        .order_by("-scheduled_at")
        .values_list("candidate_id", "recruiter_id")
    )
    staff = world.staff.pk
    fields = ["pk", "status", "caseworker_id", *CONSENT_FIELDS.values()]
    rows = Candidate.objects.order_by("pk").values_list(*fields)
    consents, changes = [], []
    for pk, status, caseworker, *given in rows.iterator(chunk_size=BATCH):
        consents += [
            ConsentRecord(
                candidate_id=pk,
                purpose=purpose,
                granted=True,
                notice_version=settings.PRIVACY_NOTICE_VERSION,
                recorded_by_id=caseworker,
            )
            for purpose, granted in zip(CONSENT_FIELDS, given, strict=True)
            if granted
        ]
        path = PATHS[status]
        by = {"interviewed": assessors.get(pk), "shortlisted": staff, "placed": staff}
        for before, after in zip(["", *path], path, strict=False):
            changes.append(
                StatusChange(
                    candidate_id=pk,
                    from_status=before,
                    to_status=after,
                    reason=REASONS.get(after, ""),
                    changed_by_id=by.get(after, caseworker),
                )
            )
        if len(changes) >= 4 * BATCH:
            insert(ConsentRecord, consents)
            insert(StatusChange, changes)
            consents, changes = [], []
    insert(ConsentRecord, consents)
    insert(StatusChange, changes)


def _companies(world: World, demo_names: list[str], n: int) -> list:
    """N/33 member companies (the demo's first), each with its organisation."""
    from accounts.models import Organisation
    from catalog.models import AtecoCode
    from companies.models import Company

    rng = world.rng
    count = max(len(demo_names) + 3, n // 33)
    names = demo_names + [
        f"{rng.choice(['Meccanica', 'Plastiche', 'Carpenteria', 'Logistica', 'Tessitura'])} "
        f"{rng.choice(LAST_NAMES)} {number} S.r.l."
        for number in range(len(demo_names), count)
    ]
    organisations = Organisation.objects.bulk_create(
        (
            Organisation(code=f"azienda-{number}", name=name, kind=Organisation.Kind.COMPANY)
            for number, name in enumerate(names)
        ),
        batch_size=BATCH,
    )
    ateco = list(
        AtecoCode.objects.filter(level=AtecoCode.Level.SUBCATEGORY, code__regex=r"^(2[0-9])\.")
        .order_by("code")
        .values_list("pk", flat=True)
    )
    companies = []
    for number, organisation in enumerate(organisations):
        base = f"{5_000_000 + number:07d}016"
        companies.append(
            Company(
                organisation=organisation,
                partita_iva=base + luhn.calc_check_digit(base),
                ateco_id=rng.choice(ateco) if ateco else None,
                size=rng.choice(Company.Size.values),
                comune_id=rng.choices(world.comuni, world.comune_weights)[0],
                contact_email=f"hr@azienda-{number}.demo.invalid",
            )
        )
    return Company.objects.bulk_create(companies, batch_size=BATCH)


def _needs(world: _Regional, companies: list) -> list:
    """N/10 needs over five campaigns, the last one open; the two demo companies' needs
    first, one each in the open campaign. Returns the needs."""
    from catalog.models import Skill
    from companies.models import Need, NeedSkill, SurveyCampaign

    rng = world.rng
    today = world.today
    campaigns = [
        SurveyCampaign(
            name=f"Rilevazione fabbisogni {year}",
            opens_on=datetime.date(year, 3, 1),
            closes_on=datetime.date(year, 5, 31),
            status=SurveyCampaign.Status.CLOSED,
        )
        for year in range(today.year - 4, today.year)
    ]
    campaigns.append(
        SurveyCampaign(
            name=f"Rilevazione fabbisogni {today.year} - in corso",
            opens_on=today - datetime.timedelta(days=120),
            closes_on=today + datetime.timedelta(days=45),
            status=SurveyCampaign.Status.OPEN,
        )
    )
    campaigns = SurveyCampaign.objects.bulk_create(campaigns)
    current = campaigns[-1]
    count = max(10, world.n // 10)
    needs, seen = [], set()
    # The demo companies' needs first: a forklift driver and a press operator, open.
    for company in companies[:2]:
        profile = world.profiles[len(needs)]
        seen.add((company.pk, current.pk, profile, company.comune_id))
        needs.append(_need(world, company, current, profile, company.comune_id, "open"))
    while len(needs) < count:
        company, campaign = rng.choice(companies), rng.choice(campaigns)
        profile, workplace = rng.choice(world.profiles), rng.choice(world.comuni)
        if (company.pk, campaign.pk, profile, workplace) in seen:
            continue
        seen.add((company.pk, campaign.pk, profile, workplace))
        if campaign.status == SurveyCampaign.Status.OPEN:
            status = rng.choice(["open"] * 8 + ["filled", "cancelled"])
        else:
            status = rng.choice(["filled"] * 6 + ["cancelled"] * 3 + ["open"])
        needs.append(_need(world, company, campaign, profile, workplace, status))
    needs = Need.objects.bulk_create(needs, batch_size=BATCH)
    skills = list(Skill.objects.values_list("pk", flat=True))
    NeedSkill.objects.bulk_create(
        (
            NeedSkill(need=need, skill_id=skill, mandatory=rng.random() < 0.2)
            for need in needs
            if rng.random() < 0.5
            for skill in rng.sample(skills, rng.randint(1, 2))
        ),
        batch_size=BATCH,
    )
    return needs


def _need(world, company, campaign, profile, workplace, status):
    from companies.models import Need

    rng = world.rng
    contract = rng.choice(Need.Contract.values)
    return Need(
        company=company,
        campaign=campaign,
        profile_id=profile,
        workplace_id=workplace,
        headcount=rng.randint(1, 6),
        contract=contract,
        shifts=rng.choice(Need.Shifts.values),
        italian_level=rng.choice(["", "A2", "B1"]),
        start_date=campaign.opens_on + datetime.timedelta(days=rng.randint(30, 120)),
        duration_months=rng.choice([6, 12]) if contract != Need.Contract.PERMANENT else None,
        min_experience_years=rng.choice([0, 0, 1, 2]),
        status=status,
    )


def _shortlists(world: _Regional, needs: list) -> None:
    """Shortlists of 25 for N/1250 open needs (the demo companies' two first, shared with
    them), N/50 entries in all, of the shortlisted and placed candidates: every placed
    candidate hired on one of them (its pipeline and follow-up checks), the others proposed
    or further along. Those shortlisted and placed whom no shortlist took stay interviewed."""
    from candidates.models import Candidate
    from catalog.models import months_after
    from matching.models import Entry, PipelineEvent, Shortlist
    from training.models import FollowUp

    rng = world.rng
    staff = world.staff
    size = 25
    open_needs = [need for need in needs if need.status == "open"]
    count = min(len(open_needs), max(2, world.n // (50 * size)))
    chosen = open_needs[:2] + rng.sample(open_needs[2:], count - 2)
    shortlists = Shortlist.objects.bulk_create(
        Shortlist(
            need=need,
            created_by=staff,
            shared_at=world.now - datetime.timedelta(days=rng.randint(1, 60))
            if number < 2 or rng.random() < 0.7
            else None,
            shared_by=staff if number < 2 or rng.random() < 0.7 else None,
        )
        for number, need in enumerate(chosen)
    )
    for shortlist in shortlists:  # shared_by and shared_at go together
        if (shortlist.shared_at is None) != (shortlist.shared_by_id is None):
            shortlist.shared_by = staff if shortlist.shared_at else None
    Shortlist.objects.bulk_update(shortlists, ["shared_by"])
    placed = list(Candidate.objects.filter(status="placed").values_list("pk", flat=True))
    shortlisted = list(Candidate.objects.filter(status="shortlisted").values_list("pk", flat=True))
    rng.shuffle(placed)
    others = [s for s in Entry.Status.values if s != Entry.Status.HIRED]
    entries, on_lists = [], set()
    for number, shortlist in enumerate(shortlists):
        hires = placed[number :: len(shortlists)][:5]
        pool = rng.sample(shortlisted, min(len(shortlisted), size - len(hires)))
        for candidate_pk in hires + pool:
            hired = candidate_pk in hires
            on_lists.add(candidate_pk)
            entries.append(
                Entry(
                    shortlist=shortlist,
                    candidate_id=candidate_pk,
                    code=f"D-{len(entries):06d}",
                    score=rng.randint(400, 950) / 10,
                    status=Entry.Status.HIRED if hired else rng.choice(others),
                    contract=shortlist.need.contract if hired else "",
                    start_date=world.today - datetime.timedelta(days=rng.randint(0, 200))
                    if hired
                    else None,
                    added_by=staff,
                )
            )
    entries = Entry.objects.bulk_create(entries, batch_size=BATCH)
    PipelineEvent.objects.bulk_create(
        (PipelineEvent(entry=entry, to_status=entry.status, by=staff) for entry in entries),
        batch_size=BATCH,
    )
    FollowUp.objects.bulk_create(
        (
            FollowUp(entry=entry, months=months, due_on=months_after(entry.start_date, months))
            for entry in entries
            if entry.status == Entry.Status.HIRED
            for months in FollowUp.Months.values
        ),
        batch_size=BATCH,
    )
    Candidate.objects.filter(status__in=["placed", "shortlisted"]).exclude(pk__in=on_lists).update(
        status="interviewed"
    )


def _support_actions(world: _Regional) -> None:
    """A support action for four obstacles in five, of a kind that addresses it, followed by
    the candidate's centre or by the programme office."""
    from interviews.models import Obstacle
    from training.models import FundingChannel, SupportAction

    rng = world.rng
    channels = [None, *FundingChannel.objects.values_list("pk", flat=True)]
    supports = {
        kind: [
            support
            for support, covers in SupportAction.ADDRESSES.items()
            if kind in covers and support != SupportAction.Kind.ITALIAN_COURSE
        ]
        for kind in Obstacle.Kind.values
    }
    rows = Obstacle.objects.values_list(
        "pk",
        "kind",
        "assessment__interview__candidate_id",
        "assessment__interview__candidate__centre_id",
        "assessment__interview__scheduled_at",
    ).order_by("pk")
    actions, addressed = [], []
    for obstacle, kind, person, centre, interviewed in rows.iterator(chunk_size=BATCH):
        if rng.random() >= 0.8:
            continue
        status = rng.choice(SupportAction.Status.values)
        starts = timezone.localdate(interviewed) + datetime.timedelta(days=rng.randint(1, 20))
        final = status in SupportAction.FINAL
        office = rng.random() < 0.3
        actions.append(
            SupportAction(
                candidate_id=person,
                kind=rng.choice(supports[kind]),
                owner=world.staff if office else None,
                partner_id=None if office else centre,
                starts_on=starts,
                due_on=starts + datetime.timedelta(days=rng.randint(7, 90)),
                cost=rng.choice([None, 16, 45, 120, 300]),
                funding_id=rng.choice(channels),
                status=status,
                finished_on=min(world.today, starts + datetime.timedelta(days=30))
                if final
                else None,
                outcome="Fatto" if final else "",
                created_by=world.staff,
            )
        )
        addressed.append(obstacle)
    actions = SupportAction.objects.bulk_create(actions, batch_size=BATCH)
    through = SupportAction.obstacles.through
    through.objects.bulk_create(
        (
            through(supportaction_id=action.pk, obstacle_id=obstacle)
            for action, obstacle in zip(actions, addressed, strict=True)
        ),
        batch_size=BATCH,
    )


def _courses(world: _Regional, companies: list) -> None:
    """N/1600 courses of every status (most for a profile, some hosted by a member company),
    with an enrolment for one candidate in twenty registered or further; the Italian courses
    are few, and certify a level only to those who completed them."""
    from candidates.models import Candidate
    from training.models import Course, Enrolment, FundingChannel

    rng = world.rng
    channels = [None, *FundingChannel.objects.values_list("pk", flat=True)]
    count = max(3, world.n // 1600)
    courses = Course.objects.bulk_create(
        Course(
            title=f"{title} {number + 1}",
            italian_level="A2" if title == "Italiano per il lavoro" else "",
            host=rng.choice(companies) if rng.random() < 0.5 else None,
            seats=rng.choice([8, 12, 20]),
            cost_per_seat=rng.choice([None, 150, 400]),
            funding_id=rng.choice(channels),
            status=status,
            completed_on=world.today - datetime.timedelta(days=rng.randint(1, 90))
            if status == Course.Status.COMPLETED
            else None,
            created_by=world.staff,
        )
        for number, (title, status) in enumerate(
            (
                rng.choice(
                    ["Carrellisti", "Saldatura", "Sicurezza"] * 4 + ["Italiano per il lavoro"]
                ),
                rng.choice(Course.Status.values),
            )
            for _ in range(count)
        )
    )
    Course.profiles.through.objects.bulk_create(
        Course.profiles.through(course_id=course.pk, jobprofile_id=rng.choice(world.profiles))
        for course in courses
        if not course.italian_level
    )
    enrolments = []
    people = Candidate.objects.exclude(status__in=["draft", "withdrawn"]).values_list(
        "pk", flat=True
    )
    for person in people.order_by("pk").iterator(chunk_size=BATCH):
        if rng.random() >= 0.05:
            continue
        course = rng.choice(courses)
        if course.status == Course.Status.COMPLETED:
            status = rng.choice(["completed"] * 3 + ["not_completed", "dropped"])
        elif course.status == Course.Status.CANCELLED:
            status = "dropped"
        else:
            status = rng.choice(["proposed", "enrolled"])
        finished = status not in Enrolment.ACTIVE
        enrolments.append(
            Enrolment(
                course=course,
                candidate_id=person,
                code=f"E-{len(enrolments):06d}",
                status=status,
                drop_reason=rng.choice(Enrolment.DropReason.values) if status == "dropped" else "",
                attended_percent=rng.randint(60, 100) if status == "completed" else None,
                finished_on=(course.completed_on or world.today) if finished else None,
                proposed_by=world.staff,
            )
        )
    Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)


def _users(organisations: dict, companies: list, users_spec, password: str | None):
    """The demo's users, with the same logins as the demo (`seed_demo`'s USERS)."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User

    logins, users = [], {}
    shared = make_password(password) if password else None  # one hash for the same password
    for username, role, where in users_spec:
        organisation = (
            companies[where].organisation if isinstance(where, int) else organisations[where]
        )
        user_password = password or secrets.token_urlsafe(12)
        users[username] = User.objects.create_user(
            username=username,
            email=f"{username}@demo.focus.invalid",
            password=None if shared else user_password,
            first_name=username.capitalize(),
            last_name="Demo",
            role=role,
            organisation=organisation,
            is_staff=role == User.Role.ADMIN,
            is_superuser=role == User.Role.ADMIN,
        )
        if shared:
            users[username].password = shared
            users[username].save(update_fields=["password"])
        logins.append((username, str(User.Role(role).label), organisation.name, user_password))
    return users, logins


def build(
    n: int,
    *,
    seed: int,
    password: str | None,
    organisations_spec,
    users_spec,
    company_names: list[str],
) -> list[tuple[str, str, str, str]]:
    """Build the world of `n` candidates in an empty database, with the demo's organisations
    (`organisations_spec`: code, name, kind), users (`users_spec`: username, role, the code
    of their organisation or the position of their company) and first companies. Returns the
    logins as `seed_demo` prints them."""
    from accounts.models import Organisation
    from catalog.services import reference_load

    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets # nosec B311
    with transaction.atomic():
        reference_load()
        organisations = {
            code: Organisation.objects.create(code=code, name=name, kind=kind)
            for code, name, kind in organisations_spec
        }
        # The companies come before the users (HR belong to them), the world after them.
        companies_rng = random.Random(f"{seed}-companies")  # noqa: S311 # nosec B311
        companies = _companies(World(companies_rng), list(company_names), n)
        users, logins = _users(organisations, companies, users_spec, password)
        world = _Regional(n, rng, organisations, users)
        _candidates(world)
        needs = _needs(world, companies)
        _shortlists(world, needs)
        _support_actions(world)
        _courses(world, companies)
        _histories(world)
        candidate_facts_bulk()  # the last write: it touches the kept ranking
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics for the planner after the inserts
    return logins
