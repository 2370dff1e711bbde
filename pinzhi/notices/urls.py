from django.urls import path

from . import views

urlpatterns = [
    path("", views.notice_list, name="notices-list"),
    path("new/", views.notice_issue, name="notices-issue"),
    path("<str:notice_no>/", views.notice_detail, name="notices-detail"),
    path("<str:notice_no>/delivered/", views.notice_delivered, name="notices-delivered"),
    path("<str:notice_no>/reported/", views.notice_reported, name="notices-reported"),
]
