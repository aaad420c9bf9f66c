"""The database functions that `focus.lists.search` compares text with.

- `focus_fold(text)`: the text in lower case, without its accents: "Müller-Łukasz" ->
  "muller-lukasz" (`focus.text.unaccented`), in which the words of a search, written alike,
  are looked for ("muller", "lukasz").
- `focus_digits(text)`: its digits alone: "+39 035 12.34" -> "390351234".

On PostgreSQL they are immutable PL/pgSQL functions over the unaccent extension, so that GIN
trigram indexes (pg_trgm) can be built on them: migration `search.0001` creates both
extensions, the functions and the indexes; a database built from the models without the
migrations (as the tests build theirs) gets them after its tables (`postgresql_complete`).
On SQLite they are `unaccented` itself and its like, added to every new connection.
"""

import re

from django.db import connections

from focus.text import unaccented

_NOT_DIGIT = re.compile(r"[^0-9]+")

EXTENSIONS = ("pg_trgm", "unaccent")
# (index, table, expression): what `focus.lists.search` compares, as it compares it, in the
# tables that grow with the programme or are large (the comuni of Italy).
INDEXES = (
    ("candidate_search_last_name", "candidates_candidate", "focus_fold(last_name)"),
    ("candidate_search_first_name", "candidates_candidate", "focus_fold(first_name)"),
    ("candidate_search_codice_fiscale", "candidates_candidate", "focus_fold(codice_fiscale)"),
    ("candidate_search_email", "candidates_candidate", "focus_fold(email)"),
    ("candidate_search_phone", "candidates_candidate", "focus_digits(phone)"),
    ("organisation_search_name", "accounts_organisation", "focus_fold(name)"),
    ("comune_search_name", "catalog_comune", "focus_fold(name)"),
    ("entry_search_code", "matching_entry", "focus_fold(code)"),
)


def _fold(value):
    return None if value is None else unaccented(str(value))


def _digits(value):
    return None if value is None else _NOT_DIGIT.sub("", str(value))


def sqlite_functions_add(sender, connection, **kwargs) -> None:
    """Give a new SQLite connection the two functions (the signal `connection_created`)."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function("focus_fold", 1, _fold, deterministic=True)
    connection.connection.create_function("focus_digits", 1, _digits, deterministic=True)


def _functions_sql(unaccent_schema: str) -> list[str]:
    """The two functions, with unaccent and its dictionary named in `unaccent_schema`
    (quoted): an index's expression must not depend on the search_path, which a restore
    empties. Unaccent first, so that lower() need not know the accented capitals. PL/pgSQL
    rather than SQL: an SQL function that calls a stable one (unaccent) is not inlined, and
    called row by row it costs twice as much."""
    unaccent = f"{unaccent_schema}.unaccent('{unaccent_schema}.unaccent'::regdictionary, value)"
    return [
        f"""
        CREATE OR REPLACE FUNCTION focus_fold(value text) RETURNS text
        LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
        BEGIN
            RETURN lower({unaccent});
        END
        $$
        """,
        """
        CREATE OR REPLACE FUNCTION focus_digits(value text) RETURNS text
        LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
        BEGIN
            RETURN regexp_replace(value, '[^0-9]+', '', 'g');
        END
        $$
        """,
    ]


def postgresql_install(connection) -> None:
    """Create the extensions, the functions and the indexes where they are missing (PostgreSQL
    13 and later let the database's owner create both extensions, which are "trusted")."""
    with connection.cursor() as cursor:
        for extension in EXTENSIONS:
            cursor.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")
        cursor.execute(
            "SELECT quote_ident(nspname) FROM pg_extension JOIN pg_namespace"
            " ON pg_namespace.oid = extnamespace WHERE extname = 'unaccent'"
        )
        [schema] = cursor.fetchone()
        for statement in _functions_sql(schema):
            cursor.execute(statement)
        for name, table, expression in INDEXES:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table}"
                f" USING gin ({expression} gin_trgm_ops)"
            )


def postgresql_uninstall(connection) -> None:
    """Drop the indexes and the functions (the extensions stay: others may use them)."""
    with connection.cursor() as cursor:
        for name, _table, _expression in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        cursor.execute("DROP FUNCTION IF EXISTS focus_fold(text), focus_digits(text)")


def postgresql_complete(sender, using, **kwargs) -> None:
    """After `migrate` (the signal `post_migrate`): install the functions on a PostgreSQL
    database that lacks them, having been built without the migrations."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regprocedure('focus_fold(text)') IS NULL")
        [missing] = cursor.fetchone()
    if missing:
        postgresql_install(connection)
