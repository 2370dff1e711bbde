from django.urls import path

from . import views

urlpatterns = [
    path("", views.complaint_list, name="complaints-list"),
    path("new/", views.complaint_receive, name="complaints-receive"),
    path("<str:complaint_no>/", views.complaint_detail, name="complaints-detail"),
    path("<str:complaint_no>/assign/", views.complaint_assign, name="complaints-assign"),
    path("<str:complaint_no>/extend/", views.complaint_extend, name="complaints-extend"),
    path("<str:complaint_no>/decide/", views.complaint_decide, name="complaints-decide"),
    path("<str:complaint_no>/review-request/", views.complaint_review_request,
         name="complaints-review-request"),
    path("<str:complaint_no>/review/", views.complaint_review_decide,
         name="complaints-review-decide"),
]
