"""A teacher's abandoned draft plan does not block the next one of the same title; autosave makes no plans."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from lessons.models import LessonPlanIndexPage, LessonPlanPage

pytestmark = pytest.mark.django_db


def plan_form(title, slug, publish=False):
    """The add/edit form as the admin sends it; the slug is what Wagtail's script fills in from the title."""
    agenda = ("agenda", {"title": "Warm-up", "minutes": "5", "instructions": "", "teacher_note": ""})
    data = {"title": title, "slug": slug, "class_level": "11B", "date": "", "body": streamfield([agenda])}
    if publish:
        data["action-publish"] = "action-publish"
    return nested_form_data(data)


@pytest.fixture
def add_url(content):
    index = LessonPlanIndexPage.objects.get()
    return reverse("wagtailadmin_pages:add", args=["lessons", "lessonplanpage", index.pk])


def test_a_second_plan_of_the_same_title_gets_the_next_free_address(client, teachers, add_url):
    client.force_login(teachers[0])
    assert client.post(add_url, plan_form("Week 1", "week-1")).status_code == 302  # a draft, abandoned
    response = client.post(add_url, plan_form("Week 1", "week-1", publish=True), follow=True)
    assert "created and published" in response.content.decode()
    assert "already in use" not in response.content.decode()
    assert client.post(add_url, plan_form("Week 1", "week-1")).status_code == 302
    plans = LessonPlanPage.objects.filter(title="Week 1").order_by("pk")
    assert [(p.slug, p.live) for p in plans] == [("week-1", False), ("week-1-2", True), ("week-1-3", False)]
    assert all(p.owner == teachers[0] for p in plans)
    assert client.get("/plans/week-1-2/").status_code == 200


def test_two_teachers_both_make_week_1(client, teachers, add_url):
    for teacher in teachers:
        client.force_login(teacher)
        assert client.post(add_url, plan_form("Week 1", "week-1", publish=True)).status_code == 302
    slugs = {plan.owner.username: plan.slug for plan in LessonPlanPage.objects.filter(title="Week 1")}
    assert slugs == {"teacher_a": "week-1", "teacher_b": "week-1-2"}


def test_a_slug_the_teacher_typed_that_is_taken_still_gets_wagtails_error(client, teachers, add_url):
    client.force_login(teachers[0])
    client.post(add_url, plan_form("Week 1", "week-1"))
    response = client.post(add_url, plan_form("Week 2", "week-1"))  # "week-1" typed on the Promote tab
    assert response.status_code == 200
    assert "The slug &#x27;week-1&#x27; is already in use" in response.content.decode()
    assert LessonPlanPage.objects.filter(title="Week 2").count() == 0


def test_a_published_plan_renamed_onto_a_taken_address_is_refused(client, teachers, add_url):
    client.force_login(teachers[0])
    client.post(add_url, plan_form("First", "first", publish=True))
    client.post(add_url, plan_form("Second", "second", publish=True))
    second = LessonPlanPage.objects.get(slug="second")
    response = client.post(reverse("wagtailadmin_pages:edit", args=[second.pk]), plan_form("First", "first"))
    assert response.status_code == 200
    assert "already in use" in response.content.decode()
    second.refresh_from_db()
    assert second.slug == "second"


def test_a_draft_retitled_onto_a_taken_title_moves_to_the_next_free_address(client, teachers, add_url):
    client.force_login(teachers[0])
    client.post(add_url, plan_form("Week 1", "week-1", publish=True))
    client.post(add_url, plan_form("Week one", "week-one"))
    draft = LessonPlanPage.objects.get(slug="week-one")
    response = client.post(reverse("wagtailadmin_pages:edit", args=[draft.pk]), plan_form("Week 1", "week-1"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.slug, draft.live) == ("week-1-2", False)


def test_autosave_does_not_create_a_plan_but_saves_an_existing_one(client, teachers, add_url):
    client.force_login(teachers[0])
    response = client.post(add_url, plan_form("Week", "week"), headers={"accept": "application/json"})
    assert response.status_code == 400
    assert response.json() == {
        "success": False,
        "error_code": "validation_error",
        "error_message": "A new plan is saved when you click Save draft or Publish.",
    }
    assert not LessonPlanPage.objects.exists()

    client.post(add_url, plan_form("Week 1", "week-1"))  # Save draft
    plan = LessonPlanPage.objects.get()
    edit_url = reverse("wagtailadmin_pages:edit", args=[plan.pk])
    response = client.post(edit_url, plan_form("Week 1 again", "week-1"), headers={"accept": "application/json"})
    assert response.status_code == 200 and response.json()["success"] is True
    plan.refresh_from_db()
    assert plan.get_latest_revision_as_object().title == "Week 1 again"
