"""The home page's ways in: students start reading, open the lessons or join a class; teachers sign in or go
straight to the new-plan form."""

import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from lessons.models import LessonPlanIndexPage

pytestmark = pytest.mark.django_db


def section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


def test_students_can_start_reading_open_lessons_and_join_a_class(client, content):
    page = client.get("/").content.decode()
    students = section(page, "students-heading")
    assert f'href="{content[285].url}">Start reading: FRUS 1977–1980, vol. XXVI, doc. 285' in students
    assert 'href="/lessons/">Lessons</a>' in students
    assert re.search(r'<form class="join-form" method="get" action="/join/">', students)
    assert 'name="code"' in students


def test_the_join_form_leads_to_the_join_page(client, content):
    response = client.get("/join/", {"code": "NOPE-00"})
    assert response.status_code == 200 and "No class uses the code" in response.content.decode()


def test_teachers_can_sign_in_and_build_a_plan(client, content):
    page = client.get("/").content.decode()
    teachers = section(page, "teachers-heading")
    assert 'href="/admin/login/?next=/admin/">Sign in</a>' in teachers
    assert 'href="/plans/"' in teachers
    assert client.get("/admin/login/?next=/admin/").status_code == 200


def test_build_a_lesson_plan_opens_the_new_plan_form_through_the_login(client, teachers):
    teachers_section = section(client.get("/").content.decode(), "teachers-heading")
    index = LessonPlanIndexPage.objects.get()
    add_url = reverse("wagtailadmin_pages:add", args=["lessons", "lessonplanpage", index.pk])
    assert f'href="{add_url}">Build a lesson plan</a>' in teachers_section
    login = client.get(add_url)  # signed out: the login, which comes back here
    assert login.status_code == 302 and login.url == f"/admin/login/?next={quote(add_url)}"
    signed_in = client.post(login.url, {"username": "teacher_a", "password": "pw-Teach3r!"}, follow=True)
    assert signed_in.redirect_chain[-1][0] == add_url
    assert "New: Lesson plan page" in signed_in.content.decode()


def test_the_timeline_strip_stays(client, content):
    assert 'class="timeline-strip' in client.get("/").content.decode()
