from django.urls import path

from . import views

urlpatterns = [
    path("", views.document_list, name="documents-list"),
    path("issue/", views.document_issue, name="documents-issue"),
    path("return/", views.document_return, name="documents-return"),
    path("leavers/", views.document_leavers, name="documents-leavers"),
]
