import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from documents.models import GlossaryTerm, Person, SourceDocumentPage


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a rolled-back database must not meet a page cached before."""
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the project's own content once per test database."""
    with django_db_blocker.unblock():
        call_command("load_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
        # Browser tests need real commits, so the database is emptied after each of them; they get
        # this state (migrations and content) back from a snapshot taken now (serialized rollback).
        # Set on the class: Playwright's event loop gives the test a different connection object.
        type(
            connection._connections[connection._alias]
        )._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture
def content(db):
    """The site as `make run` loads it (idempotent: a no-op when already loaded)."""
    call_command("load_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {page.document_number: page for page in SourceDocumentPage.objects.all()}


@pytest.fixture
def doc285(content):
    return content[285]


@pytest.fixture
def doc293(content):
    return content[293]


@pytest.fixture
def make_term(db):
    def make(term, slug=None, **fields):
        fields.setdefault("definition", f"Definition of {term}.")
        return GlossaryTerm.objects.create(term=term, slug=slug or term.lower().replace(" ", "-"), **fields)

    return make


@pytest.fixture
def make_person(db):
    def make(name, slug, aliases, **fields):
        fields.setdefault("role", "An official")
        return Person.objects.create(name=name, slug=slug, aliases=aliases, **fields)

    return make


@pytest.fixture
def annotate(db):
    """Create an annotation on a phrase of a document's canonical text; published unless live=False."""
    from documents.models import Annotation
    from documents.pipeline import canonical_text

    def make(document, phrase, kind="context", live=True, body=None, occurrence=0):
        text = canonical_text(document.transcription)
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(phrase, start + 1)
        annotation = Annotation(document=document, kind=kind, body=body or f"A note on “{phrase}”.", live=False)
        annotation.set_anchor(text, start, start + len(phrase))
        annotation.save()
        revision = annotation.save_revision()
        if live:
            revision.publish()
        annotation.refresh_from_db()
        return annotation

    return make
