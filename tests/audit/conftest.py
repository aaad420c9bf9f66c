import pytest

from audit.models import AuditEvent

# Recognisable values planted in the fields that change: none may reach the trail or a log.
PLANTED = ["Zzplanted", "Zzsecret-health", "zzplanted@example.org", "+39 333 0001112"]


def trail_text() -> str:
    """Every value of every audit event, as one text to search."""
    return repr(list(AuditEvent.objects.values_list()))


def assert_nothing_planted(caplog=None) -> None:
    text = trail_text()
    logged = caplog.text if caplog is not None else ""
    for value in PLANTED:
        assert value not in text
        assert value not in logged


@pytest.fixture
def events():
    """The events written from now on in the test, oldest first."""
    start = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def written(**filters):
        return list(AuditEvent.objects.filter(pk__gt=start, **filters).order_by("pk"))

    return written
