from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The portal's one search box: candidates, companies, needs and shortlisted candidates
    found from one page, each kind as its own list would find them; and the database side of
    every list's search (`focus.lists.search`): the folding functions and trigram indexes."""

    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from search import database

        connection_created.connect(database.sqlite_functions_add, dispatch_uid="search-sqlite")
        post_migrate.connect(database.postgresql_complete, sender=self)
