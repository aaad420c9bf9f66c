"""The portal's configuration, read from the environment by a fresh process each time."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "9f8a7sd6f5g4h3j2k1l0qwertyuiopasdfghjklzxcvbnm",
    "ALLOWED_HOSTS": "focus.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def _manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "LOCAL_HTTP", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "focus.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_secret_key():
    result = _manage("check", **{**PRODUCTION, "SECRET_KEY": "django-insecure-" + "x" * 60})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _manage("check", **{**PRODUCTION, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_defaults_pass_the_deployment_checks_without_a_warning():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_plain_http_is_refused_for_a_host_other_than_loopback():
    result = _manage("check", **PRODUCTION, LOCAL_HTTP="1")
    assert result.returncode != 0
    assert "LOCAL_HTTP" in result.stderr


def test_the_local_demo_runs_production_settings_over_plain_http_on_loopback():
    demo = {**PRODUCTION, "ALLOWED_HOSTS": "127.0.0.1,localhost", "LOCAL_HTTP": "1"}
    script = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
    )
    result = _manage("shell", "-v", "0", "-c", script, **demo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "False", "0"]


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_debug_value_that_is_not_a_boolean_is_refused(value):
    result = _manage("check", DEBUG=value)
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_development_runs_with_no_environment_at_all():
    result = _manage("check")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "value", "error"),
    [
        ("PASSWORD_LINK_HOURS", "72", "PASSWORD_LINK_HOURS must be between 1 and 24"),
        ("AXES_FAILURE_LIMIT", "50", "AXES_FAILURE_LIMIT must be between 1 and 10"),
        ("SESSION_IDLE_MINUTES", "0", "SESSION_IDLE_MINUTES and SESSION_MAX_HOURS"),
    ],
)
def test_links_logins_and_sessions_cannot_be_configured_looser_than_the_policy(name, value, error):
    result = _manage("check", **{**PRODUCTION, name: value})
    assert result.returncode != 0
    assert error in result.stderr
