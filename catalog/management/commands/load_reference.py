from django.core.management.base import BaseCommand

from catalog.services import reference_load


class Command(BaseCommand):
    help = (
        "Load or update the reference data: job profiles, skills, certifications, "
        "every Italian comune and the ATECO 2025 codes. Safe to run again."
    )

    def handle(self, *args, **options):
        counts = reference_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Reference data ready: {counts['vocabulary']} catalogue entries created, "
                f"{counts['comuni']} comuni written, {counts['ateco']} ATECO codes created."
            )
        )
