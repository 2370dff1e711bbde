from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "pinzhi.api"
    label = "api"
