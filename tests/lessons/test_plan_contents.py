"""A plan holds only published modules and quizzes: the choosers offer only those, saving checks it,
and what is unpublished after it was added is never shown to students (a short notice instead)."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from wagtail.test.utils.form_data import nested_form_data, streamfield

from lessons.models import LessonIndexPage, LessonModulePage, LessonPlanIndexPage, Quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(teachers, make_plan):
    return make_plan(teachers[0])


@pytest.fixture
def module(content):
    return LessonModulePage.objects.get(slug="judging-seriousness")


def unpublish(item):
    item.unpublish()
    item.refresh_from_db()
    assert not item.live


def test_the_module_chooser_of_a_plan_offers_only_published_modules(client, teachers):
    draft = LessonModulePage.objects.get(slug="reading-a-cable")
    unpublish(draft)
    client.force_login(teachers[0])
    chooser = reverse("wagtailadmin_choose_page_child", args=[LessonIndexPage.objects.get().pk])
    page = client.get(chooser, {"page_type": "lessons.lessonmodulepage"}).content.decode()
    assert "Judging seriousness" in page or "Were the Soviets serious?" in page
    assert draft.title not in page
    search = client.get(
        reverse("wagtailadmin_choose_page_search"), {"page_type": "lessons.lessonmodulepage", "q": draft.title}
    )
    assert draft.title not in search.content.decode()


def test_other_page_choosers_still_offer_draft_modules_to_editors(client, django_user_model):
    from django.contrib.auth.models import Group

    draft = LessonModulePage.objects.get(slug="reading-a-cable")
    unpublish(draft)
    editor = django_user_model.objects.create_user("ed", password="pw-Ed1t0r!", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    page = client.get(reverse("wagtailadmin_choose_page_child", args=[LessonIndexPage.objects.get().pk]))
    assert draft.title in page.content.decode()


def test_the_quiz_chooser_of_a_plan_offers_only_published_quizzes(client, teachers, doc293, make_quiz):
    draft = make_quiz(doc293, slug="draft-quiz", publish=False)
    draft.title = "Unfinished draft quiz"
    draft.save()
    client.force_login(teachers[0])
    page = client.get(reverse("live_quiz_chooser:choose")).content.decode()
    assert "Unfinished draft quiz" not in page
    assert all(escape(quiz.title) in page for quiz in Quiz.objects.filter(live=True))


def plan_form(title, items):
    return nested_form_data(
        {
            "title": title,
            "slug": "a-new-plan",
            "class_level": "11B History",
            "date": "",
            "body": streamfield(items),
            "action-publish": "publish",
        }
    )


def test_saving_a_plan_with_a_draft_module_or_quiz_names_the_draft_and_saves_nothing(
    client, teachers, module, doc293, make_quiz
):
    unpublish(module)
    draft_quiz = make_quiz(doc293, slug="draft-quiz", publish=False)
    client.force_login(teachers[0])
    add = reverse("wagtailadmin_pages:add", args=["lessons", "lessonplanpage", LessonPlanIndexPage.objects.get().pk])
    response = client.post(
        add,
        plan_form(
            "Plan with drafts",
            [
                ("module", {"module": module.pk, "minutes": "", "teacher_note": ""}),
                ("quiz", {"quiz": draft_quiz.pk, "minutes": "10", "teacher_note": ""}),
            ],
        ),
    )
    assert response.status_code == 200  # the form again, with the errors
    page = response.content.decode()
    assert "is a draft lesson module" in page and "Were the Soviets serious?" in page
    assert "is a draft quiz" in page and draft_quiz.title in page
    assert not LessonPlanIndexPage.objects.get().get_children().filter(title="Plan with drafts").exists()


def test_a_plan_with_published_items_saves(client, teachers, module):
    client.force_login(teachers[0])
    add = reverse("wagtailadmin_pages:add", args=["lessons", "lessonplanpage", LessonPlanIndexPage.objects.get().pk])
    quiz = Quiz.objects.get(slug="seriousness-quiz")
    response = client.post(
        add,
        plan_form(
            "Plan with live items",
            [
                ("module", {"module": module.pk, "minutes": "", "teacher_note": ""}),
                ("quiz", {"quiz": quiz.pk, "minutes": "10", "teacher_note": ""}),
            ],
        ),
    )
    assert response.status_code == 302
    assert LessonPlanIndexPage.objects.get().get_children().live().filter(title="Plan with live items").exists()


def views_of(client, plan, teacher):
    student = client.get(plan.url).content.decode()
    handout = client.get(plan.url + plan.reverse_subpage("print")).content.decode()
    client.force_login(teacher)
    own = client.get(plan.url + plan.reverse_subpage("teacher")).content.decode()
    return {"student view": student, "print view": handout, "teacher view": own}


def test_a_module_unpublished_after_it_was_added_is_not_shown_in_any_view_of_the_plan(client, plan, module, teachers):
    unpublish(module)
    for where, page in views_of(client, plan, teachers[0]).items():
        assert module.title not in page and module.summary not in page, where
        assert "not published at the moment" in page, where
    # its discussion questions and excerpts are not in the handout either
    assert "Discussion questions" not in views_of(client, plan, teachers[0])["print view"]


def test_a_quiz_unpublished_after_it_was_added_is_not_shown_in_any_view_of_the_plan(client, plan, teachers):
    quiz = Quiz.objects.get(slug="seriousness-quiz")
    unpublish(quiz)
    for where, page in views_of(client, plan, teachers[0]).items():
        assert f"Quiz: {quiz.title}" not in page and f"/quizzes/{quiz.slug}/" not in page, where
        assert "not published at the moment" in page, where
    assert "Answer sheet:" not in views_of(client, plan, teachers[0])["print view"]
