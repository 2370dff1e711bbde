from django.urls import path

from . import views

urlpatterns = [
    path("", views.grievances_list, name="grievances-list"),
]
