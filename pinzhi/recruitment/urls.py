from django.urls import path

from . import views

urlpatterns = [
    path("", views.recruitment_list, name="recruitment-list"),
]
