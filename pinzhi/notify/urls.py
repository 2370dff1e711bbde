from django.urls import path

from . import views

urlpatterns = [
    path("", views.inbox, name="messages"),
    path("read-all/", views.read_all, name="messages-read-all"),
    path("<int:pk>/", views.message_detail, name="message-detail"),
]
