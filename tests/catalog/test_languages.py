"""Languages as caseworkers write them, read into a language of the list and a level."""

import pytest

from catalog.languages import Language, language_code, languages_parse


@pytest.mark.parametrize(
    ("text", "languages", "unread"),
    [
        ("Arabo madrelingua, francese B1", [("ar", "native"), ("fr", "B1")], []),
        ("inglese (A2); Wolof nativo / English: C1", [("en", "A2"), ("wo", "native")], []),
        ("berbero madre lingua\nTIGRINO b2.", [("ber", "native"), ("ti", "B2")], []),
        ("francese", [], ["francese"]),
        ("un po' di klingon, russo C1", [("ru", "C1")], ["un po' di klingon"]),
        ("", [], []),
    ],
)
def test_languages_are_read_with_their_level_and_the_rest_is_kept(text, languages, unread):
    assert languages_parse(text) == (languages, unread)


def test_every_language_of_the_list_is_found_by_its_code_and_english_name():
    for member in Language:
        assert language_code(member.value) == member.value
        assert language_code(member.name.replace("_", " ").title()) == member.value
    assert language_code("Ucraino") == "uk"
    assert language_code("edo") == "bin"
