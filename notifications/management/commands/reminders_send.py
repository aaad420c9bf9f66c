from django.core.management.base import BaseCommand

from notifications.reminders import reminders_send
from notifications.tasks import reminders_send_task


class Command(BaseCommand):
    help = (
        "Send the reminders due today (residence permits of shortlisted candidates expiring "
        "within 60 days, reviews and follow-up checks due): once per due date, so running it "
        "again sends nothing new; it also deletes the programme workbooks kept past "
        "EXPORT_FILE_HOURS. Run it every day (cron or a systemd timer); --queue leaves the "
        "work to the task worker instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue", action="store_true", help="Queue the work for the task worker."
        )

    def handle(self, *args, queue: bool = False, **options):
        if queue:
            reminders_send_task.enqueue()
            self.stdout.write("Reminders queued for the task worker.")
            return
        due, told = reminders_send()
        self.stdout.write(f"Reminders due: {due}; notifications written: {told}.")
