"""Teachers' lesson plans: class codes, the three views, class results, duplicating, joining by code."""

import re

import lxml.html
import pytest
from django.core.management import call_command
from django.urls import reverse

from documents.models import SourceDocumentPage
from lessons.models import CODE_ALPHABET, LessonPlanPage, QuizAttempt
from lessons.snapshots import quiz_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(teachers, make_plan):
    return make_plan(teachers[0])


def test_a_plan_gets_a_short_unambiguous_unique_class_code(plan, make_plan, teachers):
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{6}}", plan.class_code)
    other = make_plan(teachers[1], title="Another")
    assert other.class_code != plan.class_code


def test_total_minutes_uses_the_modules_own_duration_when_none_is_given(plan):
    assert plan.total_minutes == 5 + 50 + 5 + 10


def test_the_student_view_has_no_teacher_notes_and_no_answer_keys(client, plan):
    page = client.get(plan.url).content.decode()
    assert plan.class_code in page
    assert "NOTE-" not in page
    assert f"?class={plan.class_code}" in page  # quizzes and modules carry the code
    assert "Special Coordination" not in page and '"correct"' not in page


def test_the_teacher_view_shows_notes_to_the_owner_only(client, plan, teachers):
    url = plan.url + plan.reverse_subpage("teacher")
    client.force_login(teachers[0])
    page = client.get(url).content.decode()
    assert all(f"NOTE-{n}" in page for n in ("WARMUP", "MODULE", "EXCERPT", "QUIZ"))
    assert "70 minutes" in page
    client.force_login(teachers[1])
    assert client.get(url).status_code == 404


def test_the_print_view_is_one_handout_with_endnotes_questions_and_a_blank_answer_sheet(client, plan):
    page = client.get(plan.url + plan.reverse_subpage("print")).content.decode()
    assert "Agenda" in page and "Warm-up: what makes a promise believable? (5 min)" in page
    assert "Were the Soviets serious? How diplomats weigh evidence (50 min)" in page  # the module's own time
    assert "The tone throughout was constructive." in page
    assert "Notes on the sources" in page and 'class="handout-endnotes"' in page
    assert "Discussion questions" in page
    assert "Answer sheet:" in page and "☐" in page
    assert "NOTE-" not in page and 'class="ann-notes"' not in page


def submit(client, quiz, code, name, right=True):
    """Answer every question (the first choice, or the key when `right`) with a class code."""
    snapshot = quiz_snapshot(quiz)
    # `again`: a fresh form even in a browser that just submitted (several students share this test client)
    page = client.get(reverse("quiz", args=[quiz.slug]) + f"?class={code}&again=1").content.decode()
    fields = dict(re.findall(r'name="(token|version)" value="([^"]+)"', page))
    data = {**fields, "class_code": code, "display_name": name}
    for q in snapshot["questions"]:
        key = f"q{q['position']}"
        if q["kind"] == "single":
            data[key] = next(str(c["id"]) for c in q["choices"] if c["correct"] == right)
        elif q["kind"] == "multiple":
            data[key] = [str(c["id"]) for c in q["choices"] if c["correct"] == right][:4]
        elif q["kind"] == "truefalse":
            data[key] = "true" if q["answer"] == right else "false"
        elif q["kind"] == "short":
            data[key] = q["accepted"][0] if right else "no idea"
        elif q["kind"] == "order":  # each shown event's place in the right order, or in the reversed one
            ids = [c["id"] for c in q["choices"]]
            ids = ids if right else ids[::-1]
            data.update({f"{key}-{slot}": str(ids.index(i) + 1) for slot, i in enumerate(q["shown"], 1)})
        else:
            index = next(n for n, s in enumerate(q["excerpt"]["sentences"]) if s["start"] == q["target"]["start"])
            data[key] = str(index if right else (index + 1) % len(q["excerpt"]["sentences"]))
    return client.post(reverse("quiz", args=[quiz.slug]), data)


def test_students_submit_with_the_code_and_the_teacher_sees_the_class_results(client, plan, teachers):
    quiz = plan.quizzes()[0]
    submit(client, quiz, plan.class_code, "Ana", right=True)
    submit(client, quiz, plan.class_code.lower(), "Ben", right=False)
    submit(client, quiz, "", "Outsider", right=True)  # no code: not this class
    client.force_login(teachers[0])
    page = client.get(plan.url + plan.reverse_subpage("results")).content.decode()
    assert "<strong>2</strong> attempts" in page and "average <strong>50 %</strong>" in page
    assert "Ana" in page and "Ben" in page and "Outsider" not in page
    assert '<svg class="rate-chart" role="img"' in page and "% right (1 of 2)" in page
    assert "Most missed" in page and "/documents/frus1977-80v26-d293/#" in page
    csv_text = client.get(plan.url + plan.reverse_subpage("results_csv")).content.decode()
    assert csv_text.splitlines()[0].startswith(  # times in the school's time zone (SCHOOL_TIME_ZONE)
        "quiz,name,attempt,submitted (America/New_York),score,out of,percent,hidden,result page,Q1"
    )
    assert len(csv_text.splitlines()) == 3
    ana = next(line for line in csv_text.splitlines() if ",Ana," in line)
    assert f"/quizzes/{quiz.slug}/results/" in ana and ana.endswith(",1.00" * 8)  # every question right


def test_class_results_group_an_order_question_with_the_others_by_question(client, teachers, make_plan):
    from lessons.models import Quiz

    quiz = Quiz.objects.get(slug="principles-guidelines-quiz")
    plan = make_plan(teachers[0], quiz=quiz)
    submit(client, quiz, plan.class_code, "Ana", right=True)
    submit(client, quiz, plan.class_code, "Ben", right=False)
    client.force_login(teachers[0])
    page = client.get(plan.url + plan.reverse_subpage("results")).content.decode()
    results = page.split(f'id="results-{quiz.pk}"')[1]
    assert "<strong>2</strong> attempts" in results and "average <strong>50 %</strong>" in results
    assert "Question 9: 50 % right (1 of 2)" in results  # the order question, counted with the other eight
    csv_text = client.get(plan.url + plan.reverse_subpage("results_csv")).content.decode()
    ana = next(line for line in csv_text.splitlines() if ",Ana," in line)
    ben = next(line for line in csv_text.splitlines() if ",Ben," in line)
    assert ana.endswith(",1.00" * 9) and ben.endswith(",0.00" * 9)


def test_a_name_that_looks_like_a_formula_is_defused_in_the_csv(client, plan, teachers):
    submit(client, plan.quizzes()[0], plan.class_code, "=HYPERLINK(1)")
    client.force_login(teachers[0])
    assert "'=HYPERLINK(1)" in client.get(plan.url + plan.reverse_subpage("results_csv")).content.decode()


def test_nobody_but_the_owner_sees_the_results(client, plan, teachers, django_user_model):
    url = plan.url + plan.reverse_subpage("results")
    assert client.get(url).status_code == 404
    client.force_login(teachers[1])
    assert client.get(url).status_code == 404
    assert client.get(plan.url + plan.reverse_subpage("results_csv")).status_code == 404


def test_results_query_count_does_not_grow_with_500_attempts(client, plan, teachers, django_assert_max_num_queries):
    quiz = plan.quizzes()[0]
    submit(client, quiz, plan.class_code, "First")
    client.force_login(teachers[0])
    url = plan.url + plan.reverse_subpage("results")
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    queries_with_one = len(few.captured_queries)
    first = QuizAttempt.objects.get()
    responses = list(first.responses.all())
    import uuid

    for n in range(499):
        attempt = QuizAttempt.objects.create(
            token=uuid.uuid4(),
            quiz=quiz,
            quiz_title=quiz.title,
            snapshot=first.snapshot,
            score=first.score,
            max_score=first.max_score,
            display_name=f"Student {n}",
            class_code=plan.class_code,
        )
        for response in responses:
            response.pk, response.attempt = None, attempt
        attempt.responses.bulk_create(responses)
    with django_assert_max_num_queries(queries_with_one):
        page = client.get(url).content.decode()
    assert "<strong>500</strong> attempts" in page


def test_an_unknown_class_code_is_answered_clearly(client, plan):
    quiz = plan.quizzes()[0]
    response = submit(client, quiz, "ZZZZZZ", "Ana")
    assert response.status_code == 200
    assert "No class uses the code ZZZZZZ" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_the_code_of_an_unpublished_plan_is_not_accepted(client, plan):
    plan.unpublish()
    response = submit(client, plan.quizzes()[0], plan.class_code, "Ana")
    assert "No class uses the code" in response.content.decode()
    assert client.get(reverse("join") + f"?code={plan.class_code}").status_code == 200


def test_students_can_join_by_typing_the_code(client, plan):
    assert client.get(reverse("join") + f"?code={plan.class_code.lower()}").url == plan.url
    response = client.get(reverse("join") + "?code=NOPE42")
    assert response.status_code == 200 and "No class uses the code NOPE42" in response.content.decode()


def test_duplicating_a_plan_gives_the_copy_a_new_class_code(plan):
    copy = plan.copy(update_attrs={"slug": "helsinki-again", "title": "Helsinki again"})
    copy.refresh_from_db()
    assert copy.class_code and copy.class_code != plan.class_code
    assert LessonPlanPage.objects.filter(class_code=plan.class_code).count() == 1


def test_create_teacher_adds_a_teacher_without_a_superuser(capsys, content):
    from django.contrib.auth.models import User

    call_command("create_teacher", "mrs_h", "h@school.example", "--name", "Ada Hopper")
    user = User.objects.get(username="mrs_h")
    assert user.groups.filter(name="Teachers").exists() and user.is_staff and not user.is_superuser
    assert "password:" in capsys.readouterr().out
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="already exists"):
        call_command("create_teacher", "mrs_h", "h@school.example")
    with pytest.raises(CommandError, match="not an email"):
        call_command("create_teacher", "mr_x", "not-an-email")


def test_the_handouts_endnotes_have_the_same_letters_as_the_reading(client, plan):
    handout = lxml.html.fromstring(client.get(plan.url + plan.reverse_subpage("print")).content)
    endnotes = {
        item.xpath("./strong")[0].text_content(): item.xpath(".//div[@class='ann-body']")[0].text_content().strip()
        for item in handout.xpath("//ol[@class='handout-endnotes']/li")
    }
    assert endnotes
    in_the_readings = set()  # (letter, the note's first words), each document's notes lettered on their own
    for document in SourceDocumentPage.objects.live():
        tree = lxml.html.fromstring(client.get(document.url).content)
        for note in tree.xpath("//details[contains(@class, 'ann-note')]"):
            body = note.xpath(".//div[@class='ann-body']/*[not(contains(@class, 'ann-back'))]")
            text = "".join(b.text_content() for b in body).strip()
            in_the_readings.add((note.xpath(".//span[@class='ann-letter']")[0].text_content(), text[:40]))
    assert {(label, body[:40]) for label, body in endnotes.items()} <= in_the_readings
