# Shared by bin/backup, bin/restore and bin/restore-drill (sourced, never run on its own).
# shellcheck shell=bash

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The portal's Python (its virtualenv): it reads DATABASE_URL as the portal does and runs manage.py.
py="${FOCUS_PYTHON:-$root/.venv/bin/python}"
gpg=/usr/bin/gpg

die() {
  printf '%s: %s\n' "$(basename "$0")" "$*" >&2
  exit 1
}

need() {
  command -v "$1" >/dev/null || die "$1 is needed: $2"
}

need_tools() {
  [ -x "$gpg" ] || die "gpg is needed at $gpg: apt-get install gpg"
  need pg_dump "apt-get install postgresql-client"
  need pg_restore "apt-get install postgresql-client"
  need psql "apt-get install postgresql-client"
  need createdb "apt-get install postgresql-client"
  need dropdb "apt-get install postgresql-client"
  [ -x "$py" ] || die "the portal's Python ($py) is missing: run make setup first (or set FOCUS_PYTHON)"
}

# A plain database name: nothing to quote in SQL or on a command line.
check_db_name() {
  [[ "$1" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] ||
    die "'$1' is not a plain database name (lower-case letters, digits and _, at most 63)"
}

# BACKUP_PASSPHRASE_FILE must name a readable file whose first line (what gpg reads) is not
# empty. Sets pass_file. The passphrase itself is never read here, printed or put on a command
# line: gpg reads the file.
need_passphrase() {
  pass_file="${BACKUP_PASSPHRASE_FILE:-}"
  [ -n "$pass_file" ] ||
    die "BACKUP_PASSPHRASE_FILE is not set: it names the file holding the backups' passphrase (README, Backups)"
  if [ ! -f "$pass_file" ] || [ ! -r "$pass_file" ]; then
    die "BACKUP_PASSPHRASE_FILE ($pass_file) is not a readable file"
  fi
  head -n 1 -- "$pass_file" | grep -q '[^[:space:]]' ||
    die "BACKUP_PASSPHRASE_FILE ($pass_file) is empty: gpg takes the passphrase from its first line"
  local mode
  mode="$(stat -c %a -- "$pass_file")"
  if (((8#$mode & 8#077) != 0)); then
    printf '%s: warning: %s can be read by other users (chmod 600 it)\n' "$(basename "$0")" "$pass_file" >&2
  fi
}

# Exports PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE (and the SSL options of the URL) for
# the PostgreSQL database of DATABASE_URL, read by the same parser as the portal's settings, so
# that pg_dump, psql and createdb reach that database without a password on their command line.
# Refuses SQLite, or no DATABASE_URL, saying what to do instead.
pg_env_from_url() {
  local assignments
  assignments="$(DATABASE_URL="${DATABASE_URL:-}" "$py" - "$(basename "$0")" <<'PY'
import os
import shlex
import sys

import dj_database_url

command = sys.argv[1]
url = os.environ["DATABASE_URL"].strip()
sqlite = (
    f"{command}: %s. Back a SQLite database up by copying its file while the portal is stopped"
    " (or `sqlite3 db.sqlite3 '.backup copy.sqlite3'`); better, run production on PostgreSQL."
)
if not url:
    sys.exit(sqlite % "DATABASE_URL is not set, so the portal runs on its SQLite file db.sqlite3")
try:
    db = dj_database_url.parse(url)
except Exception:  # its message could quote the URL, password included
    sys.exit(f"{command}: DATABASE_URL cannot be read as a database URL")
if db["ENGINE"].endswith("sqlite3"):
    sys.exit(sqlite % "DATABASE_URL names a SQLite database")
if not db["ENGINE"].endswith(("postgresql", "postgis")) or not db["NAME"]:
    sys.exit(f"{command}: DATABASE_URL must name a PostgreSQL database (postgres://...)")
env = {
    "PGHOST": db["HOST"],
    "PGPORT": str(db["PORT"] or ""),
    "PGUSER": db["USER"],
    "PGPASSWORD": db["PASSWORD"],
    "PGDATABASE": db["NAME"],
}
libpq = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "options": "PGOPTIONS",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
}
for key, value in db.get("OPTIONS", {}).items():
    if key in libpq:
        env[libpq[key]] = str(value)
    else:
        print(f"{command}: warning: option {key} of DATABASE_URL is not passed on", file=sys.stderr)
for name, value in env.items():
    if value:
        print(f"export {name}={shlex.quote(value)}")
PY
  )" || exit 1
  eval "$assignments"
}

# DATABASE_URL naming another database of the same server (printed: keep it in a variable).
url_of_db() {
  DATABASE_URL="$DATABASE_URL" "$py" -c 'import os, sys; from urllib.parse import urlsplit
print(urlsplit(os.environ["DATABASE_URL"].strip())._replace(path="/" + sys.argv[1]).geturl())' "$1"
}

# Whether the server of the PG* settings holds a database of this (plain) name.
database_exists() {
  local found
  found="$(psql -X -A -t -w -v ON_ERROR_STOP=1 -c "SELECT 1 FROM pg_database WHERE datname = '$1'")" ||
    die "cannot reach the PostgreSQL server of DATABASE_URL"
  [ -n "$found" ]
}

# gpg in a home of its own for this run: nothing is added to the user's keyring (a cron user
# may have no writable home), and the agent it starts is stopped at the end (gpg_stop).
gpg_start() {
  GNUPGHOME="$(mktemp -d "${TMPDIR:-/tmp}/focus-gpg.XXXXXX")"
  export GNUPGHOME
}

gpg_stop() {
  [ -n "${GNUPGHOME:-}" ] || return 0
  gpgconf --kill gpg-agent 2>/dev/null || true
  rm -rf -- "$GNUPGHOME"
  GNUPGHOME=""
}

# The folder of candidates' documents, absolute, as the portal's settings give it:
# PRIVATE_MEDIA_ROOT of the environment, or private_media/ beside manage.py (a relative one is
# taken from the portal's folder, as the portal started there takes it).
private_media_root() {
  (cd "$root" && DJANGO_SETTINGS_MODULE=focus.settings "$py" -c '
import os

from django.conf import settings

print(os.path.abspath(settings.PRIVATE_MEDIA_ROOT))') ||
    die "cannot read PRIVATE_MEDIA_ROOT from the portal's settings"
}

# The documents archive of a backup: beside it, of the same stem. Fails for a name of another form.
documents_archive_of() {
  case "$1" in
  *.dump.gpg) printf '%s\n' "${1%.dump.gpg}.documents.tar.gpg" ;;
  *) return 1 ;;
  esac
}

# Extracts the (decrypted) documents archive read on stdin into the folder $1 and prints how
# many files it held, readable by their owner only. Refuses, before writing it, any member but
# a plain file or folder, and any with an absolute name or a `..`: nothing lands outside the
# folder.
documents_extract() {
  # The script as an argument: stdin is the archive.
  local script
  script="$(cat <<'PY'
import sys
import tarfile

command, target = sys.argv[1], sys.argv[2]
# The "data" filter as well (Python 3.11.4 and later): a second guard, and no owner taken from
# the archive.
extra = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
files = 0
with tarfile.open(fileobj=sys.stdin.buffer, mode="r|") as archive:
    for member in archive:
        name = member.name
        if name.startswith("/") or ".." in name.split("/"):
            sys.exit(f"{command}: the documents archive holds {name!r}, outside its folder: refused")
        if not (member.isfile() or member.isdir()):
            sys.exit(f"{command}: the documents archive holds {name!r}, neither a file nor a folder: refused")
        # Readable by the portal's user only, as the portal writes them, whatever the archive says.
        member.mode = 0o600 if member.isfile() else 0o700
        archive.extract(member, target, set_attrs=member.isfile(), **extra)
        files += member.isfile()
# Read to the end, padding included: gpg checks the archive's integrity once all is read.
while sys.stdin.buffer.read(1 << 16):
    pass
print(files)
PY
  )"
  "$py" -c "$script" "$(basename "$0")" "$1"
}
