"""Fill an empty database with the demo world of the #Focus programme.

The same --seed always gives the same data. Passwords are never part of the code: they come
from --password or are generated here and printed once.
"""

import random
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from accounts.models import Organisation, User
from catalog.services import reference_load
from focus.cache import touch
from focus.figures import KEPT

try:  # Faker is a demo requirement: without it the command says so instead of a traceback.
    from faker import Faker

    from demo import demand
    from demo.candidates import seed_candidates
    from demo.courses import seed_courses
    from demo.interviews import seed_interviews
    from demo.matching import seed_shortlists
    from demo.training import seed_follow_ups, seed_support_actions
except ModuleNotFoundError as missing:
    MISSING_PACKAGE = missing.name
else:
    MISSING_PACKAGE = None

ORGANISATIONS = [
    ("confindustria-bergamo", "Confindustria Bergamo - Ufficio progetto #Focus", "programme"),
    ("servizi-confindustria", "Servizi Confindustria Bergamo", "agency"),
    ("gi-group", "Gi Group - Filiale di Bergamo", "agency"),
    ("diakonia-bergamo", "Associazione Diakonia - Centro di ascolto Bergamo", "centre"),
    ("caritas-treviglio", "Caritas Bergamasca - Centro di ascolto Treviglio", "centre"),
]
COMPANIES = ["Meccanica Orobica S.p.A.", "Plastiche Val Seriana S.r.l."]

# username, role, organisation code (companies by position in COMPANIES)
USERS = [
    ("admin", User.Role.ADMIN, "confindustria-bergamo"),
    ("staff", User.Role.STAFF, "servizi-confindustria"),
    ("recruiter", User.Role.RECRUITER, "gi-group"),
    ("caseworker", User.Role.CASEWORKER, "diakonia-bergamo"),
    ("caseworker2", User.Role.CASEWORKER, "caritas-treviglio"),
    ("hr", User.Role.COMPANY_HR, 0),
    ("hr2", User.Role.COMPANY_HR, 1),
]


class Command(BaseCommand):
    help = (
        "Load deterministic demo data: one user per role, two companies, two centres, candidates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--password",
            help="Password of every demo user. Without it, each user gets a generated one.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when the database already has users.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )
        parser.add_argument(
            "--scale",
            type=int,
            metavar="N",
            help="A world of N candidates built with bulk inserts (demo/scale.py), same logins.",
        )

    def handle(
        self,
        *args,
        seed: int,
        password: str | None,
        if_empty: bool,
        force: bool,
        scale: int | None = None,
        **options,
    ):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production. Use --force to seed anyway."
            )
        if User.objects.exists():
            if if_empty:
                self.stdout.write("The database already has users: demo data left as it is.")
                return
            raise CommandError("The database already has users. Seed an empty database.")
        if password is not None:
            try:
                validate_password(password)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        if MISSING_PACKAGE:
            raise CommandError(
                f"The demo data needs the package {MISSING_PACKAGE!r}, one of the demo's "
                "requirements: `make run` installs them (or: pip install --require-hashes "
                "-r requirements/demo.txt)."
            )
        if scale is not None and scale < 100:
            raise CommandError("--scale needs at least 100 candidates.")
        # The demo's shortlists notify their companies and the staff: no e-mails for those.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            if scale is not None:
                from demo import scale as regional

                logins = regional.build(
                    scale,
                    seed=seed,
                    password=password,
                    organisations_spec=ORGANISATIONS,
                    users_spec=USERS,
                    company_names=COMPANIES,
                )
            else:
                logins = self.seed(seed=seed, password=password)
        touch(KEPT)  # the world is written in bulk, with no signal: the kept figures go
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Logins:"))
        for username, role, organisation, user_password in logins:
            shown = user_password if password is None else "(--password)"
            self.stdout.write(f"  {username:<12} {shown:<20} {role}, {organisation}")
        if password is None:
            self.stdout.write(self.style.WARNING("Passwords are shown only this once."))

    @transaction.atomic
    def seed(self, *, seed: int, password: str | None) -> list[tuple[str, str, str, str]]:
        rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets # nosec B311
        italian = Faker("it_IT")
        italian.seed_instance(seed)

        reference_load()
        organisations = {
            code: Organisation.objects.create(code=code, name=name, kind=kind)
            for code, name, kind in ORGANISATIONS
        }
        companies = demand.seed_companies(rng=rng, faker=italian, first=COMPANIES)
        survey_2021, current = demand.seed_campaigns()
        demand.seed_needs(rng=rng, campaign=survey_2021, companies=companies)
        demand.seed_needs(rng=rng, campaign=current, companies=companies[2:60], per_company=(1, 2))
        # The demo HR companies answered the current campaign with one need each, which has
        # a shortlist and a hire; the campaign is still open for their other needs.
        demand.seed_demo_needs(campaign=current, companies=companies[:2])

        logins = []
        users = {}
        for username, role, where in USERS:
            organisation = (
                companies[where].organisation if isinstance(where, int) else organisations[where]
            )
            user_password = password or secrets.token_urlsafe(12)
            first_name, last_name = italian.first_name(), italian.last_name()
            users[username] = User.objects.create_user(
                username=username,
                email=f"{username}@demo.focus.invalid",
                password=user_password,
                first_name=first_name,
                last_name=last_name,
                role=role,
                organisation=organisation,
                is_staff=role == User.Role.ADMIN,
                is_superuser=role == User.Role.ADMIN,
            )
            logins.append((username, str(User.Role(role).label), organisation.name, user_password))

        caseworkers = {
            user.organisation.code: user
            for user in users.values()
            if user.role == User.Role.CASEWORKER
        }
        seed_candidates(rng=rng, caseworkers=caseworkers)
        first_tranche, _second = seed_interviews(rng=rng, recruiter=users["recruiter"])
        # Its own generator, so that the rest of the demo stays as it was without it.
        seed_support_actions(rng=random.Random(f"{seed}-support"), tranche=first_tranche)  # noqa: S311 # nosec B311
        seed_shortlists(staff=users["staff"], companies=companies)
        seed_follow_ups(companies=companies)
        courses_rng = random.Random(f"{seed}-courses")  # noqa: S311 # nosec B311
        seed_courses(rng=courses_rng, staff=users["staff"], companies=companies)
        return logins
