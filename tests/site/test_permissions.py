"""Who may see and do what: every role against every page, admin view and results view.

A 404 answers where saying "forbidden" would reveal that something exists (another teacher's
plan, its results). The admin answers 302 to strangers (to the sign-in page) and to signed-in
people without the right (Wagtail sends them back to the dashboard with a message).
"""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from documents.models import GlossaryTerm
from lessons.models import Quiz

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "teacher_a", "teacher_b", "editor", "moderator", "admin"]


@pytest.fixture
def world(teachers, make_plan, doc293):
    editor = User.objects.create_user("ed", password="pw-Ed1t0r!", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    moderator = User.objects.create_user("mo", password="pw-M0d!", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    admin = User.objects.create_superuser("root", "root@example.org", "pw-R00t!")
    plan = make_plan(teachers[0])
    users = {
        "anonymous": None,
        "teacher_a": teachers[0],
        "teacher_b": teachers[1],
        "editor": editor,
        "moderator": moderator,
        "admin": admin,
    }
    quiz = Quiz.objects.get(slug="seriousness-quiz")
    term = GlossaryTerm.objects.get(term="SSOD")
    urls = {
        "plan student view": plan.url,
        "plan teacher view": plan.url + plan.reverse_subpage("teacher"),
        "plan print view": plan.url + plan.reverse_subpage("print"),
        "plan results": plan.url + plan.reverse_subpage("results"),
        "plan results csv": plan.url + plan.reverse_subpage("results_csv"),
        "plan GIFT export": plan.url + plan.reverse_subpage("export_gift"),
        "quiz page": reverse("quiz", args=[quiz.slug]),
        "quiz GIFT export": reverse("quiz_export_gift", args=[quiz.slug]),
        "reading page": doc293.url,
        "admin home": reverse("wagtailadmin_home"),
        "admin: edit the plan": reverse("wagtailadmin_pages:edit", args=[plan.pk]),
        "admin: edit a document": reverse("wagtailadmin_pages:edit", args=[doc293.pk]),
        "admin: annotate a document": reverse("documents_annotate", args=[doc293.pk]),
        "admin: edit a glossary term": reverse("wagtailsnippets_documents_glossaryterm:edit", args=[term.pk]),
        "admin: edit a quiz": reverse("wagtailsnippets_lessons_quiz:edit", args=[quiz.pk]),
        "admin: unpublish the plan": reverse("wagtailadmin_pages:unpublish", args=[plan.pk]),
    }
    return users, urls, plan


A, T, B, E, M, S = ROLES  # anonymous, teacher A (owner), teacher B, editor, moderator, superuser
EXPECTED = {
    "plan student view": {A: 200, T: 200, B: 200, E: 200, M: 200, S: 200},
    "plan teacher view": {A: 404, T: 200, B: 404, E: 404, M: 404, S: 200},
    "plan print view": {A: 200, T: 200, B: 200, E: 200, M: 200, S: 200},
    "plan results": {A: 404, T: 200, B: 404, E: 404, M: 404, S: 200},
    "plan results csv": {A: 404, T: 200, B: 404, E: 404, M: 404, S: 200},
    "plan GIFT export": {A: 404, T: 200, B: 404, E: 404, M: 404, S: 200},
    "quiz page": {A: 200, T: 200, B: 200, E: 200, M: 200, S: 200},
    "quiz GIFT export": {A: 302, T: 200, B: 200, E: 200, M: 200, S: 200},
    "reading page": {A: 200, T: 200, B: 200, E: 200, M: 200, S: 200},
    "admin home": {A: 302, T: 200, B: 200, E: 200, M: 200, S: 200},
    "admin: edit the plan": {A: 302, T: 200, B: 302, E: 200, M: 200, S: 200},
    "admin: edit a document": {A: 302, T: 302, B: 302, E: 200, M: 200, S: 200},
    "admin: annotate a document": {A: 302, T: 302, B: 302, E: 200, M: 200, S: 200},
    "admin: edit a glossary term": {A: 302, T: 302, B: 302, E: 200, M: 200, S: 200},
    "admin: edit a quiz": {A: 302, T: 302, B: 302, E: 200, M: 200, S: 200},
    "admin: unpublish the plan": {A: 302, T: 200, B: 302, E: 302, M: 200, S: 200},
}


def test_permission_matrix(client, world):
    users, urls, _ = world
    found, wrong = {}, []
    for target, url in urls.items():
        for role in ROLES:
            client.logout()
            if users[role] is not None:
                client.force_login(users[role])
            status = client.get(url).status_code
            found.setdefault(target, {})[role] = status
            if status != EXPECTED[target][role]:
                wrong.append(f"{target} as {role}: {status}, expected {EXPECTED[target][role]}")
    assert not wrong, "\n".join(wrong)


def test_another_teacher_cannot_unpublish_or_delete_the_plan(client, world):
    users, _, plan = world
    client.force_login(users["teacher_b"])
    client.post(reverse("wagtailadmin_pages:unpublish", args=[plan.pk]))
    client.post(reverse("wagtailadmin_pages:delete", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.live


def test_teachers_add_plans_and_edit_their_own(client, world):
    users, _, plan = world
    client.force_login(users["teacher_b"])
    index = plan.get_parent()
    add = reverse("wagtailadmin_pages:add", args=["lessons", "lessonplanpage", index.pk])
    assert client.get(add).status_code == 200
    # but nothing elsewhere: no new lesson modules or documents
    lessons_index = plan.get_parent().get_parent().get_children().get(slug="lessons")
    assert (
        client.get(
            reverse("wagtailadmin_pages:add", args=["lessons", "lessonmodulepage", lessons_index.pk])
        ).status_code
        != 200
    )
