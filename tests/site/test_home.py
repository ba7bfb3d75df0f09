"""The home page's ways in: students start reading, open the lessons or join a class; teachers sign in."""

import re

import pytest

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
    assert "Build a lesson plan" in teachers
    assert 'href="/plans/"' in teachers
    assert client.get("/admin/login/?next=/admin/").status_code == 200


def test_the_timeline_strip_stays(client, content):
    assert 'class="timeline-strip' in client.get("/").content.decode()
