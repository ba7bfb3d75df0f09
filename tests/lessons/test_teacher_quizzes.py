"""Teachers' own quizzes: written in the admin, owned like plans (private or shared), resting on passages like the
shipped ones, and reached by students only through a plan's class code."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from wagtail.blocks import StructBlockValidationError
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from lessons.models import LessonModulePage, Quiz, QuizAttempt
from tests.lessons.test_plans import submit

pytestmark = pytest.mark.django_db

QUOTE = "The Soviets avoided polemics as a rule."
SITE_QUIZ = "Reading the small print"  # a shipped quiz
ADD = reverse("wagtailsnippets_lessons_quiz:add")


def refused(response) -> bool:
    """Wagtail's answer to an action the user may not take on what they may see: back to the dashboard."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def edit_url(quiz):
    return reverse("wagtailsnippets_lessons_quiz:edit", args=[quiz.pk])


@pytest.fixture
def editor(content):
    user = User.objects.create_user("ed", password="pw-Ed1t0r!", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def moderator(content):
    user = User.objects.create_user("mo", password="pw-M0d!", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def quiz_form(title, doc, quote=QUOTE, shared=False, action="publish", **fields):
    question = {
        "kind": "truefalse",
        "prompt": "The Soviets avoided polemics.",
        "points": 1,
        "true_false_answer": "true",
        "accepted_answers": "",
        "source_document": str(doc.pk) if doc else "",
        "source_quote": quote,
        "excerpt_quote": "",
        "target_quote": "",
        "explanation": "True: see the paragraph on the Soviets' tone.",
        "choices": inline_formset([]),
    }
    data = {
        "title": title,
        "slug": re.sub(r"\W+", "-", title.lower()).strip("-"),
        "intro": "",
        "questions": inline_formset([question]),
        **fields,
    }
    if shared:
        data["shared"] = "on"
    return nested_form_data({**data, f"action-{action}": action})


@pytest.fixture
def write(client, doc293):
    """`write(user, title, ...)`: the user adds a quiz through the admin; returns it (or the response if refused)."""

    def make(user, title, **options):
        client.force_login(user)
        response = client.post(ADD, quiz_form(title, doc293, **options), follow=True)  # its message shown
        found = Quiz.objects.filter(title=title).first()
        return found if found is not None else response

    return make


def test_a_teacher_writes_a_quiz_that_is_theirs_and_private(client, teachers, write):
    quiz = write(teachers[0], "Tone of the talks")
    assert isinstance(quiz, Quiz), quiz.content.decode()[:2000]
    assert quiz.owner == teachers[0] and quiz.live and not quiz.shared
    assert quiz.questions.get().source_quote == QUOTE
    html = client.get(edit_url(quiz)).content.decode()
    assert 'name="shared"' in html  # the owner may share it


def test_a_quiz_written_by_an_editor_is_a_site_quiz(client, editor, write):
    quiz = write(editor, "Site quiz on tone", action="save")
    assert quiz.owner is None
    assert 'name="shared"' not in client.get(edit_url(quiz)).content.decode()


def test_a_teachers_question_must_rest_on_a_passage_of_the_document(client, teachers, doc293):
    client.force_login(teachers[0])
    response = client.post(ADD, quiz_form("No passage", None, quote=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose the document this question rests on." in page
    assert "Paste the passage this question rests on, exactly as in the text." in page
    response = client.post(ADD, quiz_form("Invented passage", doc293, quote="The Soviets walked out in anger."))
    assert "This passage is not in" in response.content.decode()
    evidence = quiz_form("Invented excerpt", doc293)
    evidence.update(
        {
            "questions-0-kind": "evidence",
            "questions-0-excerpt_quote": f"Nothing like this was said. {QUOTE}",
            "questions-0-target_quote": QUOTE,
        }
    )
    assert "This passage is not in" in client.post(ADD, evidence).content.decode()
    assert not Quiz.objects.filter(title__in=["No passage", "Invented passage", "Invented excerpt"]).exists()


def test_a_teacher_edits_only_their_own_quiz(client, teachers, editor, write, doc293):
    quiz = write(teachers[0], "Tone of the talks")
    client.force_login(teachers[0])
    response = client.post(edit_url(quiz), quiz_form("Tone of the talks, revised", doc293), follow=True)
    assert response.redirect_chain and "updated and published" in response.content.decode()
    quiz.refresh_from_db()
    assert quiz.title == "Tone of the talks, revised"

    client.force_login(teachers[1])  # another teacher: the private quiz is not there at all
    assert client.get(edit_url(quiz)).status_code == 404
    assert client.post(edit_url(quiz), quiz_form("Hijacked", doc293)).status_code == 404
    delete = reverse("wagtailsnippets_lessons_quiz:delete", args=[quiz.pk])
    assert client.post(delete).status_code == 404
    history = reverse("wagtailsnippets_lessons_quiz:history", args=[quiz.pk])
    assert client.get(history).status_code == 404

    client.force_login(editor)  # editors never see teachers' private quizzes, nor act on them
    assert client.get(edit_url(quiz)).status_code == 404
    assert client.post(reverse("wagtailsnippets_lessons_quiz:unpublish", args=[quiz.pk])).status_code == 404
    bulk = reverse("wagtail_bulk_action", args=["lessons", "quiz", "delete"])
    assert client.get(bulk, {"id": quiz.pk}).status_code == 404
    listing_all = client.get(bulk, {"id": "all"}).content.decode()
    assert "Tone of the talks" not in listing_all and SITE_QUIZ in listing_all
    quiz.refresh_from_db()
    assert quiz.live

    Quiz.objects.filter(pk=quiz.pk).update(shared=True)  # shared: seen by other teachers, still not theirs to edit
    client.force_login(teachers[1])
    assert refused(client.get(edit_url(quiz)))
    assert refused(client.post(edit_url(quiz), quiz_form("Hijacked", doc293)))
    assert refused(client.post(delete))
    quiz.refresh_from_db()
    assert quiz.title == "Tone of the talks, revised" and Quiz.objects.filter(pk=quiz.pk).exists()


def test_teachers_may_not_change_unpublish_or_delete_a_site_quiz(client, teachers, editor, moderator, doc293):
    site = Quiz.objects.get(slug="seriousness-quiz")
    client.force_login(teachers[0])
    assert refused(client.get(edit_url(site)))
    unpublish = reverse("wagtailsnippets_lessons_quiz:unpublish", args=[site.pk])
    assert refused(client.post(unpublish))
    assert refused(client.post(reverse("wagtailsnippets_lessons_quiz:delete", args=[site.pk])))
    site.refresh_from_db()
    assert site.live
    client.force_login(editor)  # editors and moderators keep their rights on the site's quizzes
    assert client.get(edit_url(site)).status_code == 200
    client.force_login(moderator)
    assert client.post(unpublish).status_code == 302
    site.refresh_from_db()
    assert not site.live


def listing(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("wagtailsnippets_lessons_quiz:list")).content.decode()


def test_listings_show_site_quizzes_own_and_shared_ones_never_others_private(client, teachers, editor, write):
    write(teachers[0], "Private of A")
    write(teachers[0], "Shared of A", shared=True)
    own_b = write(teachers[1], "Private of B")
    assert own_b.owner == teachers[1]
    page_a = listing(client, teachers[0])
    assert "Private of A" in page_a and "Shared of A" in page_a and "Private of B" not in page_a
    assert SITE_QUIZ in page_a  # the site's quizzes, to look at
    page_b = listing(client, teachers[1])
    assert "Private of B" in page_b and "Shared of A" in page_b and "Private of A" not in page_b
    page_editor = listing(client, editor)
    assert "Private of A" not in page_editor and "Private of B" not in page_editor
    client.force_login(teachers[1])
    searched = client.get(reverse("wagtailsnippets_lessons_quiz:list"), {"q": "Private"}).content.decode()
    assert "Private of B" in searched and "Private of A" not in searched


def chooser(client, user, name, **params) -> str:
    client.force_login(user)
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_plan_chooser_offers_own_and_shared_quizzes_the_module_chooser_only_the_sites(
    client, teachers, editor, write
):
    private = write(teachers[0], "Private of A")
    shared = write(teachers[0], "Shared of A", shared=True)
    plan_chooser = "live_quiz_chooser:choose"
    module_chooser = "wagtailsnippetchoosers_lessons_quiz:choose"
    html = chooser(client, teachers[0], plan_chooser)
    assert "Private of A" in html and "Shared of A" in html and SITE_QUIZ in html
    html = chooser(client, teachers[1], plan_chooser)
    assert "Shared of A" in html and "Private of A" not in html
    client.force_login(teachers[1])
    assert client.get(reverse("live_quiz_chooser:chosen", args=[private.pk])).status_code == 404
    assert client.get(reverse("live_quiz_chooser:chosen", args=[shared.pk])).status_code == 200
    for user in (teachers[0], editor):
        html = chooser(client, user, module_chooser)
        assert "Private of A" not in html and "Shared of A" not in html and SITE_QUIZ in html
    client.force_login(editor)
    assert client.get(reverse("wagtailsnippetchoosers_lessons_quiz:chosen", args=[shared.pk])).status_code == 404


def test_a_lesson_module_refuses_a_teachers_quiz(teachers, write):
    quiz = write(teachers[0], "Shared of A", shared=True)
    block = LessonModulePage._meta.get_field("body").stream_block.child_blocks["quiz"]
    with pytest.raises(StructBlockValidationError) as refusal:
        block.clean(block.to_python({"quiz": quiz.pk, "note": ""}))
    assert "only the site's quizzes" in str(refusal.value.block_errors["quiz"])


def test_a_student_takes_a_teachers_quiz_through_the_plan_only(client, teachers, write, make_plan):
    quiz = write(teachers[0], "Tone of the talks")
    plan = make_plan(teachers[0], quiz=quiz)
    client.logout()
    url = reverse("quiz", args=[quiz.slug])
    assert client.get(url).status_code == 404  # not public
    assert client.get(url, {"class": "ZZZZZZ"}).status_code == 404
    plan_page = client.get(plan.url).content.decode()
    assert f"{url}?class={plan.class_code}" in plan_page
    assert "The Soviets avoided polemics." in client.get(url, {"class": plan.class_code}).content.decode()
    response = submit(client, quiz, plan.class_code, "Ana")
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get(display_name="Ana")
    assert attempt.quiz == quiz and attempt.class_code == plan.class_code and attempt.score == 1
    assert client.get(attempt.get_absolute_url()).status_code == 200
    client.force_login(teachers[0])
    results = client.get(plan.url + plan.reverse_subpage("results")).content.decode()
    assert "Ana" in results


def test_a_form_whose_class_code_was_cleared_asks_for_it_and_records_nothing(client, teachers, write, make_plan):
    quiz = write(teachers[0], "Tone of the talks")
    plan = make_plan(teachers[0], quiz=quiz)
    client.logout()
    url = reverse("quiz", args=[quiz.slug])
    page = client.get(url, {"class": plan.class_code}).content.decode()
    fields = dict(re.findall(r'name="(token|version)" value="([^"]+)"', page))
    question = quiz.questions.get()
    response = client.post(url, {**fields, "class_code": "", "display_name": "Ana", f"q{1}": "true"})
    assert response.status_code == 200
    assert "This quiz is taken with your class code" in response.content.decode()
    assert not QuizAttempt.objects.exists() and question.pk
    forged = client.post(url, {"token": "forged", "version": fields["version"], "class_code": "", "q1": "true"})
    assert forged.status_code == 404  # without a form issued for it, nothing is there


def test_another_teachers_plan_does_not_open_a_quiz_no_longer_shared(client, teachers, write, make_plan):
    quiz = write(teachers[0], "Tone of the talks", shared=True)
    other = make_plan(teachers[1], title="Borrowing", quiz=quiz)
    Quiz.objects.filter(pk=quiz.pk).update(shared=False)
    quiz.refresh_from_db()
    other.refresh_from_db()
    client.logout()
    assert client.get(reverse("quiz", args=[quiz.slug]), {"class": other.class_code}).status_code == 404
    plan_page = client.get(other.url).content.decode()
    assert "Its author no longer shares this quiz" in plan_page and "Tone of the talks" not in plan_page
    assert quiz not in other.quizzes()
    handout = client.get(other.url + other.reverse_subpage("print")).content.decode()
    assert "A quiz its author no longer shares" in handout and "Tone of the talks" not in handout
    Quiz.objects.filter(pk=quiz.pk).update(shared=True)
    assert client.get(reverse("quiz", args=[quiz.slug]), {"class": other.class_code}).status_code == 200


def test_the_plan_form_refuses_another_teachers_private_quiz(teachers, write, make_plan):
    from django.core.exceptions import ValidationError

    quiz = write(teachers[0], "Tone of the talks", shared=True)
    plan = make_plan(teachers[1], title="Borrowing", quiz=quiz)  # saving cleans it: a shared quiz is welcome
    Quiz.objects.filter(pk=quiz.pk).update(shared=False)
    plan.refresh_from_db()
    with pytest.raises(ValidationError, match="shared with you"):
        plan.full_clean()


def test_a_teachers_quiz_is_in_no_public_listing_search_or_site_history(client, teachers, editor, write, make_plan):
    quiz = write(teachers[0], "Zanzibar tone quiz", shared=True)
    make_plan(teachers[0], quiz=quiz)
    client.logout()
    found = client.get("/search/", {"q": "Zanzibar tone"}).content.decode()
    assert "Zanzibar tone quiz" not in found and quiz.get_absolute_url() not in found
    for public in ("/lessons/", "/plans/", "/"):
        assert "Zanzibar" not in client.get(public).content.decode()
    private = write(teachers[0], "Quagga private quiz")
    history = reverse("wagtailadmin_reports:site_history")
    client.force_login(teachers[0])
    assert "Quagga private quiz" in client.get(history).content.decode()
    client.force_login(teachers[1])
    page = client.get(history).content.decode()
    assert "Quagga private quiz" not in page and "Zanzibar tone quiz" in page  # shared: its title is known
    client.force_login(editor)
    assert "Quagga private quiz" not in client.get(history).content.decode()
    client.force_login(teachers[1])
    admin_search = client.get(reverse("wagtailadmin_pages:search"), {"q": "Quagga"}).content.decode()
    assert "Quagga private quiz" not in admin_search
    assert private.owner == teachers[0]


def test_a_teachers_quiz_exports_for_its_owner_only(client, teachers, editor, write, make_plan):
    quiz = write(teachers[0], "Tone of the talks", shared=True)
    gift = reverse("quiz_export_gift", args=[quiz.slug])
    client.force_login(teachers[0])
    response = client.get(gift)
    assert response.status_code == 200 and "The Soviets avoided polemics." in response.content.decode()
    assert client.get(reverse("quiz_export_qti", args=[quiz.slug])).status_code == 200
    for user in (teachers[1], editor):
        client.force_login(user)
        assert client.get(gift).status_code == 404
        assert client.get(reverse("quiz_export_qti", args=[quiz.slug])).status_code == 404
    client.force_login(editor)  # the site's quizzes export as before
    assert client.get(reverse("quiz_export_gift", args=["seriousness-quiz"])).status_code == 200
    plan = make_plan(teachers[0], quiz=quiz)
    client.force_login(teachers[0])
    export = client.get(plan.url + plan.reverse_subpage("export_gift")).content.decode()
    assert "The Soviets avoided polemics." in export


def test_a_teacher_copies_a_shared_quiz_into_one_of_their_own(client, teachers, write, doc293):
    shared = write(teachers[0], "Shared of A", shared=True)
    private = write(teachers[0], "Private of A")
    client.force_login(teachers[1])
    assert client.get(reverse("wagtailsnippets_lessons_quiz:copy", args=[private.pk])).status_code == 404
    page = client.get(reverse("wagtailsnippets_lessons_quiz:copy", args=[shared.pk])).content.decode()
    assert 'value="Shared of A"' in page and f'action="{ADD}"' in page
    client.post(ADD, quiz_form("Shared of A, for my class", doc293))
    copy = Quiz.objects.get(title="Shared of A, for my class")
    assert copy.owner == teachers[1] and not copy.shared
    shared.refresh_from_db()
    assert shared.owner == teachers[0] and shared.title == "Shared of A"


def test_saving_a_plan_with_another_teachers_private_quiz_is_refused_in_the_form(client, teachers, write):
    from lessons.models import LessonPlanIndexPage
    from tests.lessons.test_plan_contents import plan_form

    private = write(teachers[0], "Private of A")
    shared = write(teachers[0], "Shared of A", shared=True)
    client.force_login(teachers[1])
    add = reverse("wagtailadmin_pages:add", args=["lessons", "lessonplanpage", LessonPlanIndexPage.objects.get().pk])
    item = {"minutes": "10", "teacher_note": ""}
    response = client.post(add, plan_form("Borrowed quiz", [("quiz", {**item, "quiz": private.pk})]))
    assert response.status_code == 200
    assert "A plan may hold the site&#x27;s quizzes, your own and those shared with you." in response.content.decode()
    assert not LessonPlanIndexPage.objects.get().get_children().filter(title="Borrowed quiz").exists()
    response = client.post(add, plan_form("Borrowed quiz", [("quiz", {**item, "quiz": shared.pk})]))
    assert response.status_code == 302
    plan = LessonPlanIndexPage.objects.get().get_children().get(title="Borrowed quiz").specific
    assert plan.owner == teachers[1] and plan.quizzes() == [shared]
