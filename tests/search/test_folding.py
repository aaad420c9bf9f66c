"""Every list's search (focus.lists.search) compares text folded in the database as
focus.text.fold folds it in Python; what the logs keep of an address (focus.logs)."""

import io
import logging

import pytest

from candidates.models import Candidate
from candidates.selectors import candidate_list
from focus.lists import Digits, search
from focus.text import unaccented
from tests.factories import CandidateFactory

NAMES = [
    "Müller-Lüdenscheidt",
    "Łukasz Wałęsa",
    "Strauß",
    "Ørsted Æbelø",
    "D'Angelo  Sant'Ambrogio",
    "Nguyễn Thị Ánh",
    "Çelik Işık",  # noqa: RUF001 - a Turkish name, with its dotless i
    "Ольга Ivanova",
    "  O'BRIEN  ",
]


@pytest.mark.django_db
def test_every_name_is_found_by_its_words_folded_and_its_phone_by_its_digits(centre):
    for name in NAMES:
        CandidateFactory(centre=centre, last_name=name, phone="+39 (035) 12.34-56")
    everyone = Candidate.objects.all()
    for name in NAMES:
        for typed in (unaccented(name), name.upper(), name.lower()):
            found = search(everyone, typed, ("last_name",))
            assert [c.last_name for c in found] == [name], typed
    digits = Candidate.objects.annotate(digits=Digits("phone")).values_list("digits", flat=True)
    assert set(digits) == {"39035123456"}


@pytest.mark.django_db
def test_a_word_of_digits_finds_a_phone_however_written_and_a_record_by_its_number(staff, centre):
    spaced = CandidateFactory(centre=centre, phone="+39 035 12.34.567")
    other = CandidateFactory(centre=centre, phone="333 765 4321")
    everyone = Candidate.objects.all()

    assert list(search(everyone, "0351234567", (), digits=("phone",))) == [spaced]
    assert list(search(everyone, "4321", (), digits=("phone",))) == [other]
    # Two digits tell no phone apart: only a record's number.
    assert list(search(everyone, str(other.pk), (), numbers=("pk",))) == [other]
    assert list(search(everyone, "12", (), digits=("phone",))) == []
    assert list(search(everyone, "9" * 12, (), numbers=("pk",))) == []


@pytest.mark.django_db
def test_the_candidate_list_searches_as_the_portal_does(login, caseworker, centre):
    anna = CandidateFactory(centre=centre, first_name="Anna", last_name="Çelik", email="a@x.it")
    CandidateFactory(centre=centre, first_name="Bruna", last_name="Rota")
    client = login(caseworker)

    for typed in ("celik", "ÇELIK anna", "a@x.it", anna.phone):
        response = client.get("/candidates/", {"q": typed})
        assert list(response.context["page"]) == [anna], typed
    assert list(candidate_list(actor=caseworker, q="rota bruna celik")) == []


def test_the_logs_keep_an_address_without_its_query_string():
    """The development server's request lines and the portal's own log, through the logging
    configured in settings."""
    configured = [*logging.getLogger("django.server").handlers, *logging.getLogger().handlers]
    handlers = [h for h in configured if h.name in {"django.server", "console"}]
    assert len(handlers) == 2
    stream = io.StringIO()
    previous = [handler.setStream(stream) for handler in handlers]
    try:
        logging.getLogger("django.server").info(
            '"%s" %s %s', "GET /search/?q=Zzplanted+Rossi&page=2 HTTP/1.1", "200", "512"
        )
        logging.getLogger("focus").warning("Opened %s", "/candidates/?q=Zzplanted")
    finally:
        for handler, earlier in zip(handlers, previous, strict=True):
            handler.setStream(earlier)
    assert '"GET /search/ HTTP/1.1" 200 512' in stream.getvalue()
    assert "Opened /candidates/" in stream.getvalue()
    assert "Zzplanted" not in stream.getvalue()
