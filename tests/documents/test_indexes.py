"""The glossary and people indexes in the order readers expect, whatever the database's collation."""

import re

import pytest

from documents.views import dictionary_key

pytestmark = pytest.mark.django_db


def test_glossary_is_in_dictionary_order_with_each_letter_once_and_no_id_twice(client, content, make_term):
    make_term("“Quoted” term", slug="quoted-term")
    make_term("élan", slug="elan")
    html = client.get("/glossary/").content.decode()
    letters = re.findall(r'href="#letter-(.)"', html)
    assert letters == sorted(set(letters), key=lambda x: (x != "#", x))  # once each, # first, then A–Z
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    terms = re.findall(r'<dt><a href="/glossary/[^"]+/">([^<]+)</a>', html)
    assert [dictionary_key(t) for t in terms] == sorted(dictionary_key(t) for t in terms)
    e_group = html[html.index('id="letter-E"') : html.index('id="letter-F"')]
    assert "élan" in e_group and "Embassy" in e_group  # an accent and a capital sort with their letter
    q_group = html[html.index('id="letter-Q"') :]
    assert "Quoted" in q_group[: q_group.index("</dl>")]  # a leading quotation mark is ignored


def test_people_are_listed_by_surname(client, content):
    html = client.get("/people/").content.decode()
    names = re.findall(r'<li><a href="/people/[^"]+/">([^<]+)</a>', html)
    surnames = [name.split()[-1] for name in names]
    assert surnames == sorted(surnames, key=str.casefold)
    assert names.index("Jessica Tuchman Mathews") < names.index("Gary Matthews")  # two people, two names
