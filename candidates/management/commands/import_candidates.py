from functools import partial
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from candidates.importing import import_candidates
from focus.spreadsheets.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import candidates into a charity centre from an Excel workbook (.xlsx) made from the "
        "template (manage.py import_template candidates FILE.xlsx). All or nothing: any error "
        "is listed and nothing is written."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--centre", required=True, help="Code of the charity centre the people belong to."
        )
        parser.add_argument(
            "--user",
            help="Username recorded as who imported (status history, consents). "
            "Default: the first active administrator.",
        )
        parser.add_argument(
            "--confirm-duplicates",
            action="store_true",
            help="Import rows that share a phone, an e-mail or name and birth date with a "
            "candidate already registered (after checking they are different people).",
        )

    def handle(self, *args, file: Path, centre: str, user: str | None, **options):
        organisation = self._centre(centre)
        actor = self._actor(user)
        try:
            self.run_import(
                file,
                partial(
                    import_candidates,
                    centre=organisation,
                    actor=actor,
                    dry_run=options["dry_run"],
                    confirm_duplicates=options["confirm_duplicates"],
                ),
            )
        except PermissionDenied:
            raise CommandError(
                _("%(user)s may not import candidates into %(centre)s.")
                % {"user": actor.username, "centre": organisation}
            ) from None

    def _centre(self, code: str) -> Organisation:
        centre = Organisation.objects.filter(
            code=code, kind=Organisation.Kind.CENTRE, is_active=True
        ).first()
        if centre is None:
            raise CommandError(
                _("No active charity centre has the code “%(code)s”.") % {"code": code}
            )
        return centre

    def _actor(self, username: str | None) -> User:
        users = User.objects.filter(is_active=True).select_related("organisation")
        if username:
            actor = users.filter(username=username).first()
            if actor is None:
                raise CommandError(
                    _("No active user has the username “%(name)s”.") % {"name": username}
                )
            return actor
        actor = users.filter(role=User.Role.ADMIN).order_by("pk").first()
        if actor is None:
            raise CommandError(_("There is no active administrator: say who imports with --user."))
        return actor
