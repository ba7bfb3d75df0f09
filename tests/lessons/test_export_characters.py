"""Exports never fail on what an editor typed: characters XML 1.0 or GIFT cannot carry are dropped.

A control character pasted into a choice (a vertical tab from a word processor, an escape from a
terminal) used to make the QTI export answer 500.
"""

import copy
import html
import io
import zipfile

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from lessons.exports import UNCARRIABLE, carriable, quiz_to_gift, quizzes_to_qti_zip
from lessons.models import Choice
from lessons.snapshots import quiz_snapshot

pytestmark = pytest.mark.django_db
QTI = {"q": "http://www.imsglobal.org/xsd/imsqti_v2p1"}

# Any code point: hypothesis leaves surrogates out of text() unless asked, and controls are rare in its draws.
ANY_CHARACTER = st.one_of(
    st.characters(),
    st.characters(categories=["Cs"]),
    st.sampled_from(["\x00", "\x0b", "\x1b", "\x0c", "\r", "\t", "\n", "\ufffe", "\uffff", "\u2028"]),
)
ANY_TEXT = st.text(ANY_CHARACTER, max_size=40)


@pytest.fixture
def quiz(doc293, make_quiz):
    return make_quiz(doc293)


def parsed_files(package: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: etree.fromstring(archive.read(name)) for name in archive.namelist()}


def test_a_control_character_in_a_choice_no_longer_breaks_the_qti_export(client, quiz):
    choice = Choice.objects.get(question__quiz=quiz, text="Geneva")
    choice.text = "Gen\x0beva\x1b[0m"
    choice.save()
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw-R00t!"))
    qti = client.get(reverse("quiz_export_qti", args=[quiz.slug]))
    gift = client.get(reverse("quiz_export_gift", args=[quiz.slug]))
    assert qti.status_code == gift.status_code == 200
    items = parsed_files(qti.content)
    choices = ["".join(c.itertext()) for tree in items.values() for c in tree.iterfind(".//q:simpleChoice", QTI)]
    assert "Geneva[0m" in choices
    assert "Geneva[0m" in gift.content.decode() and "\x0b" not in gift.content.decode()


def test_tab_and_newline_are_kept_where_the_format_allows_them():
    assert carriable("a\tb\nc\x0bd") == "a\tb\ncd"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(choice=ANY_TEXT, prompt=ANY_TEXT, explanation=ANY_TEXT)
def test_any_text_in_choices_prompts_and_explanations_exports_to_gift_and_parseable_qti(
    quiz, choice, prompt, explanation
):
    snapshot = copy.deepcopy(quiz_snapshot(quiz))
    for question in snapshot["questions"]:
        question["prompt_html"] = f"<p>{html.escape(prompt)}</p>"
        question["explanation_html"] = f"<p>{html.escape(explanation)}</p>"
        for n, option in enumerate(question.get("choices", [])):
            option["text"] = f"{n} {choice}"

    gift = quiz_to_gift(snapshot, "https://arms-talks.example")
    assert not UNCARRIABLE.search(gift)
    gift.encode("utf-8")  # no lone surrogate left
    assert gift.count("\n::Q") == len(snapshot["questions"])

    files = parsed_files(quizzes_to_qti_zip([snapshot], "https://arms-talks.example"))
    kept = carriable(choice)
    single = next(tree for name, tree in files.items() if name.endswith("-q1.xml"))
    assert ["".join(c.itertext()) for c in single.iterfind(".//q:simpleChoice", QTI)][0] == f"0 {kept}"
