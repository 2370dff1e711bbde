"""This area's /api/v1/ resources: `register(router)` adds its viewsets; `urlpatterns`
holds paths the router cannot express."""

urlpatterns = []


def register(router) -> None:
    pass
