"""What seed_demo refuses to do, on a database it must leave as it found it.

(That it seeds with DEBUG off when forced is shown by the demo world of test_seed_demo.py,
which is seeded that way, as `make run` seeds it.)
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User

PASSWORD = "una-password-demo-lunga"


def _seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_refuses_a_weak_password(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="12"):
        _seed("--password", "corta")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        _seed("--password", PASSWORD)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_leaves_a_database_with_users_untouched(settings, admin):
    settings.DEBUG = True
    with pytest.raises(CommandError):
        _seed("--password", PASSWORD)
    assert "left as it is" in _seed("--if-empty")
    assert list(User.objects.all()) == [admin]


@pytest.mark.django_db
def test_without_the_demo_requirements_seed_says_what_to_install(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr("demo.management.commands.seed_demo.MISSING_PACKAGE", "faker")
    with pytest.raises(CommandError, match=r"requirements/demo\.txt"):
        _seed("--password", PASSWORD)
    assert not User.objects.exists()
