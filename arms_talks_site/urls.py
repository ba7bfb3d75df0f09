from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core import health
from documents import views as document_views
from lessons import plan_views
from search import views as search_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", include(wagtailadmin_urls)),
    path("files/", include(wagtaildocs_urls)),
    # markdownx's preview and upload, for editors only (its own views answer anyone)
    path("markdownx/", include("core.markdown_tools")),
    path("documents/<slug:slug>/text.txt", document_views.canonical_text, name="document_text"),
    path(
        "documents/<slug:slug>/annotations.jsonld",
        document_views.annotations_export,
        name="documents_annotations_export",
    ),
    path("search/", search_views.search, name="search"),
    path("quizzes/", include("lessons.urls")),
    path("join/", plan_views.join, name="join"),
    path("plans/<slug:slug>/teacher/", plan_views.teacher_view, name="plan_teacher"),
    path("plans/<slug:slug>/print/", plan_views.print_view, name="plan_print"),
    path("plans/<slug:slug>/results/", plan_views.results_view, name="plan_results"),
    path("plans/<slug:slug>/results.csv", plan_views.results_csv_view, name="plan_results_csv"),
    path("plans/<slug:slug>/export.gift", plan_views.plan_export, {"format": "gift"}, name="plan_export_gift"),
    path("plans/<slug:slug>/export.qti.zip", plan_views.plan_export, {"format": "qti"}, name="plan_export_qti"),
    path("glossary/", document_views.glossary_index, name="glossary"),
    path("glossary/<slug:slug>/", document_views.glossary_term, name="glossary_term"),
    path("people/", document_views.people_index, name="people"),
    path("people/<slug:slug>/", document_views.person_detail, name="person"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))
