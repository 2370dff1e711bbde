from django.urls import path

from . import views

urlpatterns = [
    path("", views.register, name="receipts-register"),
    path("list/", views.outstanding, name="receipts-list"),
]
