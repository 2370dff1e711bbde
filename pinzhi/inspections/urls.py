from django.urls import path

from . import views

urlpatterns = [
    path("", views.inspections_list, name="inspections-list"),
]
