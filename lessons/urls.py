from django.urls import path

from lessons import plan_views, views

urlpatterns = [
    path("<slug:slug>/", views.quiz_page, name="quiz"),
    path("<slug:slug>/results/<uuid:attempt_id>/", views.quiz_result, name="quiz_result"),
    path("<slug:slug>/export.gift", plan_views.quiz_export, {"format": "gift"}, name="quiz_export_gift"),
    path("<slug:slug>/export.qti.zip", plan_views.quiz_export, {"format": "qti"}, name="quiz_export_qti"),
]
