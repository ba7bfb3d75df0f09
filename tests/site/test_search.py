import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_explore(content, django_assert_max_num_queries):
    from wagtail.search.backends import get_search_backend

    from documents.models import Annotation, GlossaryTerm, Person, SourceDocumentPage
    from lessons.models import LessonModulePage

    backend = get_search_backend()
    with connection.cursor() as c:
        c.execute("show default_text_search_config")
        print("config", c.fetchone())
        c.execute("select count(*) from wagtailsearch_indexentry")
        print("entries", c.fetchone())
    for q in [
        "SCC",
        "Special Coordination Committee",
        "Gelb",
        "helsinki",
        "arms",
        "soviets polemics",
        "the",
        "'!'",
        "a&b|c",
        "(x):*",
        "drop table; --",
        "😀",
        "non-paper",
        "Gelb's",
        "100%",
        "back\\slash",
    ]:
        for model, qs in [
            (GlossaryTerm, GlossaryTerm.objects.all()),
            (Person, Person.objects.all()),
            (Annotation, Annotation.objects.filter(live=True).select_related("document")),
            (SourceDocumentPage, SourceDocumentPage.objects.live()),
            (LessonModulePage, LessonModulePage.objects.live()),
        ]:
            res = list(backend.search(q, qs).annotate_score("_score")[:5])
            print(q, model.__name__, [(str(r)[:30], round(r._score, 4)) for r in res])
    with django_assert_max_num_queries(3):
        res = list(
            backend.search("soviets", Annotation.objects.filter(live=True).select_related("document")).annotate_score(
                "_score"
            )[:50]
        )
        print([a.document.title for a in res])
    assert 0
