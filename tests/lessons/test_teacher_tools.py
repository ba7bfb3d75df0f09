"""What a teacher needs around a plan: a way in, each student's attempts together, wrong answers, hiding an
attempt, the class's evidence marks as a heat map, and times in the school's time zone."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lessons.models import QuizAttempt
from lessons.snapshots import quiz_snapshot
from tests.lessons.test_plans import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(teachers, make_plan):
    return make_plan(teachers[0])


def results_page(client, plan) -> str:
    return client.get(plan.url + plan.reverse_subpage("results")).content.decode()


def test_the_owner_finds_the_teacher_view_results_and_handout_on_the_plan_page(client, plan, teachers):
    assert "Class results" not in client.get(plan.url).content.decode()  # students see no way in
    client.force_login(teachers[1])
    assert "Class results" not in client.get(plan.url).content.decode()
    client.force_login(teachers[0])
    response = client.get(plan.url)
    page = response.content.decode()
    for route in ("teacher", "results", "print"):
        assert f'href="{plan.url}{plan.reverse_subpage(route)}"' in page
    assert "private" in response["Cache-Control"]


def test_the_dashboard_lists_the_teachers_own_plans_with_code_and_attempts(
    client, plan, teachers, make_plan, django_assert_max_num_queries
):
    quiz = plan.quizzes()[0]
    submit(client, quiz, plan.class_code, "Ana")
    submit(client, quiz, plan.class_code, "Ben")
    other = make_plan(teachers[1], title="Someone else's plan")
    client.force_login(teachers[0])
    html = client.get("/admin/").content.decode()
    panel = html[html.index('id="my-plans-heading"') :]
    panel = panel[: panel.index("</section>")]
    assert plan.title in panel and plan.class_code in panel and "<td>2</td>" in panel
    assert plan.url + plan.reverse_subpage("results") in panel
    assert other.title not in html and "Annotate" not in html
    client.get("/admin/")
    with CaptureQueriesContext(connection) as one_plan:
        client.get("/admin/")
    queries_with_one_plan = len(one_plan)  # now: every request empties Django's query log
    for n in range(5):
        make_plan(teachers[0], title=f"More plans {n}")
    client.get("/admin/")
    with django_assert_max_num_queries(queries_with_one_plan):  # as many queries with six plans as with one
        assert client.get("/admin/").content.decode().count("More plans") == 5


def test_each_students_attempts_are_together_and_numbered(client, plan, teachers):
    quiz = plan.quizzes()[0]
    for name, right in (("Ana", False), ("Ben", True), ("ana ", True), ("Zoë", True)):
        submit(client, quiz, plan.class_code, name, right=right)
    client.force_login(teachers[0])
    page = results_page(client, plan)
    rows = re.findall(r'<td class="name">([^<]+)(?:<span[^>]*>[^<]*</span>)?</td><td>(\d+)</td>', page)
    assert [(name.strip(), number) for name, number in rows] == [("Ana", "1"), ("ana", "2"), ("Ben", "1"), ("Zoë", "1")]


def test_wrong_answers_are_shown_per_question_with_their_counts(client, plan, teachers):
    quiz = plan.quizzes()[0]
    submit(client, quiz, plan.class_code, "Ana", right=False)
    submit(client, quiz, plan.class_code, "Ben", right=False)
    single = next(q for q in quiz_snapshot(quiz)["questions"] if q["kind"] == "single")
    wrong = next(c["text"] for c in single["choices"] if not c["correct"])
    client.force_login(teachers[0])
    page = results_page(client, plan)
    section = page[page.index("Wrong answers, question by question") :]
    assert f'<span class="count">2×</span> {wrong}' in section


def test_a_hidden_attempt_is_listed_but_counts_in_no_figure_and_can_come_back(client, plan, teachers):
    quiz = plan.quizzes()[0]
    submit(client, quiz, plan.class_code, "Ana", right=True)
    submit(client, quiz, plan.class_code, "Prank", right=False)
    prank = QuizAttempt.objects.get(display_name="Prank")
    hide_url = plan.url + plan.reverse_subpage("hide_attempt")
    client.force_login(teachers[0])
    assert "average <strong>50 %</strong>" in results_page(client, plan)
    response = client.post(hide_url, {"attempt": str(prank.pk), "action": "hide"})
    assert response.status_code == 302 and response.url.endswith(f"#attempt-{prank.pk}")
    page = results_page(client, plan)
    assert "average <strong>100 %</strong>" in page and "<strong>1</strong> attempt " in page
    assert 'class="hidden-attempt"' in page and "Prank" in page
    client.post(hide_url, {"attempt": str(prank.pk), "action": "show"})
    assert "average <strong>50 %</strong>" in results_page(client, plan)


def test_only_the_owner_hides_and_only_this_plans_attempts(client, plan, teachers, make_plan):
    quiz = plan.quizzes()[0]
    submit(client, quiz, plan.class_code, "Ana")
    attempt = QuizAttempt.objects.get(display_name="Ana")
    hide_url = plan.url + plan.reverse_subpage("hide_attempt")
    assert client.post(hide_url, {"attempt": str(attempt.pk), "action": "hide"}).status_code == 404  # anonymous
    client.force_login(teachers[1])
    assert client.post(hide_url, {"attempt": str(attempt.pk), "action": "hide"}).status_code == 404
    other = make_plan(teachers[1], title="Other class")
    other_url = other.url + other.reverse_subpage("hide_attempt")
    assert client.post(other_url, {"attempt": str(attempt.pk), "action": "hide"}).status_code == 404  # not its class
    client.force_login(teachers[0])
    assert client.post(hide_url, {"attempt": "not-a-uuid", "action": "hide"}).status_code == 404
    assert client.get(hide_url).status_code == 302
    attempt.refresh_from_db()
    assert not attempt.hidden


def test_the_class_evidence_marks_are_a_heat_map_with_the_key_outlined(client, plan, teachers):
    quiz = next(q for q in plan.quizzes() if any(x["kind"] == "evidence" for x in quiz_snapshot(q)["questions"]))
    for n in range(5):
        submit(client, quiz, plan.class_code, f"Student {n}", right=n < 3)
    client.force_login(teachers[0])
    page = results_page(client, plan)
    heat = page[page.index('class="heat-text"') :]
    heat = heat[: heat.index("</p>")]
    assert re.search(r'<span class="heat heat-4 heat-key">[^<]+</span> <span class="heat-count">\(3, the key\)', heat)
    assert re.search(r'<span class="heat heat-\d">[^<]+</span> <span class="heat-count">\(2\)', heat)


def test_times_are_in_the_schools_time_zone(client, plan, teachers, settings):
    quiz = plan.quizzes()[0]
    submit(client, quiz, plan.class_code, "Ana")
    client.force_login(teachers[0])
    assert "Submitted (America/New_York)" in results_page(client, plan)
    attempt = QuizAttempt.objects.get(display_name="Ana")
    local = attempt.created_at.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York"))
    assert local.strftime("%-d %b, %H:%M") in results_page(client, plan)


def test_editors_get_no_plans_panel(client, content, django_user_model):
    editor = django_user_model.objects.create_user("ed", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert "My lesson plans" not in client.get("/admin/").content.decode()
