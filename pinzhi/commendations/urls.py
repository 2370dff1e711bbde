from django.urls import path

from . import views

urlpatterns = [
    path("", views.commendations_list, name="commendations-list"),
]
