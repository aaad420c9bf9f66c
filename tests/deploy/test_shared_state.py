"""What every instance of the portal must share when more than one serves it: the cache, the
sessions, the failed logins, and the background work, queued through Django's tasks only."""

import re

import pytest
from django.core.cache import cache

from tests.test_settings import PRODUCTION, ROOT, _manage

pytestmark = pytest.mark.deploy

SHOW = (
    "from django.conf import settings as s; "
    "print(s.CACHES['default']['BACKEND'], s.CACHES['default'].get('LOCATION'), "
    "s.SESSION_ENGINE, s.AXES_HANDLER, s.TASKS['default']['BACKEND'])"
)


def _shown(**env) -> list[str]:
    result = _manage("shell", "-v", "0", "-c", SHOW, **{**PRODUCTION, **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_without_redis_the_cache_sessions_locks_and_tasks_are_in_the_database():
    assert _shown(CACHE_URL="", REDIS_URL="", TASKS_BACKEND="") == [
        "django.core.cache.backends.db.DatabaseCache",
        "focus_cache",
        "django.contrib.sessions.backends.db",
        "axes.handlers.database.AxesDatabaseHandler",
        "django_tasks_db.DatabaseBackend",
    ]


def test_cache_url_shares_one_redis_cache_between_instances():
    backend, location, *_ = _shown(CACHE_URL="redis://cache.example.org:6379/1", REDIS_URL="")
    assert backend == "django.core.cache.backends.redis.RedisCache"
    assert location == "redis://cache.example.org:6379/1"


def test_the_rq_task_backend_is_refused_without_redis():
    result = _manage("check", **{**PRODUCTION, "TASKS_BACKEND": "rq", "REDIS_URL": ""})
    assert result.returncode != 0
    assert "TASKS_BACKEND=rq needs REDIS_URL" in result.stderr


@pytest.mark.django_db
def test_the_database_cache_keeps_a_value():
    cache.set("shared", {"count": 1}, 60)
    assert cache.get("shared") == {"count": 1}


# Sending e-mail, or working away from the request, other than through django.tasks: a second
# machine's worker would never see it.
OUTSIDE_TASKS = re.compile(
    r"\b(send_mail|send_mass_mail|EmailMessage|EmailMultiAlternatives)\(|\.send_messages\(|"
    r"\bthreading\b|\bThread\(|\bmultiprocessing\b|\bconcurrent\.futures\b"
)
# The e-mail task itself, and the password link it calls (Django's form sends that one).
SENDERS = {"accounts/tasks.py", "accounts/services.py"}
APPS = [
    "accounts", "audit", "catalog", "companies", "candidates", "notifications", "interviews",
    "matching", "appointments", "training", "documents", "reports", "search", "focus",
]  # fmt: skip


def test_e_mail_and_background_work_go_through_django_tasks_only():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            name = str(path.relative_to(ROOT))
            if "/migrations/" in name or name in SENDERS:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if OUTSIDE_TASKS.search(line):
                    found.append(f"{name}:{number}: {line.strip()}")
    assert found == []
