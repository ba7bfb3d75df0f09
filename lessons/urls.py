from django.urls import path

from lessons import views

urlpatterns = [
    path("<slug:slug>/", views.quiz_page, name="quiz"),
    path("<slug:slug>/results/<uuid:attempt_id>/", views.quiz_result, name="quiz_result"),
]
