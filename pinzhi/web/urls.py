from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("units/<str:code>/", views.home, name="unit-detail"),
    path("agents/<str:code>/", views.home, name="agent-detail"),
    path("products/<str:code>/", views.home, name="product-detail"),
    path("policies/<str:policy_no>/", views.home, name="policy-detail"),
]
