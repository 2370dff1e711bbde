from django.urls import path

from . import views

urlpatterns = [
    path("", views.departures_list, name="departures-list"),
]
