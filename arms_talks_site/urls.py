from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from core import health
from documents import views as document_views
from lessons import plan_views, quiz_permissions
from lessons import wagtail_hooks as lesson_admin
from search import views as search_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # The admin's page search, leaving out the teachers' plans a user must not see (before Wagtail's own route)
    path("admin/pages/search/", lesson_admin.PageSearchView.as_view(), name="admin_page_search"),
    path("admin/pages/search/results/", lesson_admin.PageSearchView.as_view(results_only=True)),
    # The site history, leaving out the quizzes a user must not see (another teacher's private quiz)
    # and the bulk actions on quizzes (their pages name every quiz chosen). Admin views: signed in with admin access.
    path("admin/reports/site-history/", require_admin_access(quiz_permissions.SiteHistoryView.as_view())),
    path(
        "admin/reports/site-history/results/",
        require_admin_access(quiz_permissions.SiteHistoryView.as_view(results_only=True)),
    ),
    path("admin/bulk/lessons/quiz/<str:action>/", require_admin_access(quiz_permissions.quiz_bulk_action)),
    path("admin/", include(wagtailadmin_urls)),
    path("files/", include(wagtaildocs_urls)),
    # markdownx's preview and upload, for editors only (its own views answer anyone)
    path("markdownx/", include("core.markdown_tools")),
    path("search/", search_views.search, name="search"),
    path("quizzes/", include("lessons.urls")),
    path("join/", plan_views.join, name="join"),
    path("glossary/", document_views.glossary_index, name="glossary"),
    path("glossary/<slug:slug>/", document_views.glossary_term, name="glossary_term"),
    path("people/", document_views.people_index, name="people"),
    path("people/<slug:slug>/", document_views.person_detail, name="person"),
    path("timeline/", document_views.timeline, name="timeline"),
    path("compare/<uuid:uuid>/", document_views.compare, name="compare"),
]

if settings.DEBUG:
    from django.conf.urls.static import static  # development only

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Pages' file-like routes (a document's text.txt, a plan's results.csv) go to Wagtail's serve view
    # like any page path: Wagtail's own pattern only takes folder-like paths without dots.
    re_path(r"^((?:[\w\-]+/)+[\w\-]+(?:\.[\w\-]+)+)$", wagtail_views.serve, name="wagtail_serve_file_route"),
    # An annotation's W3C id (…/annotations/<uuid>) is dereferenced as it is, without a trailing slash.
    re_path(r"^((?:[\w\-]+/)+annotations/[0-9a-fA-F\-]{36})$", wagtail_views.serve, name="wagtail_serve_annotation"),
    path("", include(wagtail_urls)),
]
