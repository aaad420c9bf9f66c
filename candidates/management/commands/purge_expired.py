from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.models import User
from audit.context import acting
from candidates.models import Candidate
from candidates.rights import candidate_purge, last_activity, retention_cutoff, retention_due


class Command(BaseCommand):
    help = (
        "Erase the candidates whose last activity is older than RETENTION_MONTHS and who are "
        "not in post (candidates.rights), acting as the first active administrator or --user; "
        "each purge is recorded in the audit trail and logged by number. --dry-run only lists "
        "them (number and last activity, no names). Run it monthly."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list, erase nothing")
        parser.add_argument("--user", help="username of the administrator the erasures are by")

    def handle(self, *args, **options) -> None:
        due = retention_due()
        latest = last_activity(due)
        numbers = list(due.values_list("pk", flat=True))
        cutoff = f"{timezone.localtime(retention_cutoff()):%Y-%m-%d}"
        for number in numbers:
            moment = latest.get(number)
            shown = f"{timezone.localtime(moment):%Y-%m-%d}" if moment else "-"
            self.stdout.write(f"{number}\t{shown}")
        if options["dry_run"]:
            self.stdout.write(
                f"{len(numbers)} candidates with no activity since {cutoff}: none erased."
            )
            return
        actor = self._actor(options["user"])
        erased = 0
        with acting(actor):
            for number in numbers:
                candidate = Candidate.objects.filter(pk=number).first()
                if candidate is not None:
                    erased += candidate_purge(candidate=candidate, actor=actor)
        self.stdout.write(f"Erased {erased} candidates with no activity since {cutoff}.")

    def _actor(self, username: str | None) -> User:
        admins = User.objects.filter(role=User.Role.ADMIN, is_active=True)
        actor = (
            admins.filter(username=username).first() if username else admins.order_by("pk").first()
        )
        if actor is None:
            raise CommandError(
                f"No active administrator {username!r}." if username else "No active administrator."
            )
        return actor
