from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from audit.services import audit_purge, retention_cutoff


class Command(BaseCommand):
    help = (
        "Delete the audit trail's events older than AUDIT_RETENTION_MONTHS, recording one "
        "'purge' event with how many went. --dry-run only says how many would go. Run it "
        "monthly (cron or a systemd timer)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="count the events to delete, delete none"
        )

    def handle(self, *args, **options) -> None:
        cutoff = f"{timezone.localtime(retention_cutoff()):%Y-%m-%d %H:%M}"
        count = audit_purge(dry_run=options["dry_run"])
        if options["dry_run"]:
            self.stdout.write(f"{count} audit events are older than {cutoff}: none deleted.")
        else:
            self.stdout.write(f"Deleted {count} audit events older than {cutoff}.")
