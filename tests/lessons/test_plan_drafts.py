"""A teacher's abandoned draft plan does not block the next one of the same title."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from lessons.models import LessonPlanIndexPage, LessonPlanPage

pytestmark = pytest.mark.django_db


def draft_form(title, slug):
    agenda = ("agenda", {"title": "Warm-up", "minutes": "5", "instructions": "", "teacher_note": ""})
    data = {"title": title, "slug": slug, "class_level": "11B", "date": "", "body": streamfield([agenda])}
    return nested_form_data(data)  # no action: "Save draft"


def test_a_second_plan_of_the_same_title_gets_the_next_free_address(client, teachers):
    index = LessonPlanIndexPage.objects.get()
    add = reverse("wagtailadmin_pages:add", args=["lessons", "lessonplanpage", index.pk])
    client.force_login(teachers[0])
    for _ in range(3):
        response = client.post(add, draft_form("Cuban crisis", "cuban-crisis"))
        assert response.status_code == 302, response.content.decode()[:2000]
    plans = LessonPlanPage.objects.filter(title="Cuban crisis").order_by("pk")
    assert [p.slug for p in plans] == ["cuban-crisis", "cuban-crisis-2", "cuban-crisis-3"]
    assert all(not p.live and p.owner == teachers[0] for p in plans)
    client.force_login(teachers[1])  # another teacher's plan of that title too: one parent for all plans
    assert client.post(add, draft_form("Cuban crisis", "cuban-crisis")).status_code == 302
    assert LessonPlanPage.objects.filter(owner=teachers[1]).get().slug == "cuban-crisis-4"


def test_renaming_an_existing_plan_onto_a_taken_address_is_still_refused(client, teachers):
    index = LessonPlanIndexPage.objects.get()
    add = reverse("wagtailadmin_pages:add", args=["lessons", "lessonplanpage", index.pk])
    client.force_login(teachers[0])
    client.post(add, draft_form("First", "first"))
    client.post(add, draft_form("Second", "second"))
    second = LessonPlanPage.objects.get(slug="second")
    response = client.post(reverse("wagtailadmin_pages:edit", args=[second.pk]), draft_form("Second", "first"))
    assert response.status_code == 200
    assert "already in use" in response.content.decode()
    second.refresh_from_db()
    assert second.slug == "second"
