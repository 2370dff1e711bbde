"""/api/v1/ resources of commendations (issue 8)."""

urlpatterns = []


def register(router) -> None:
    """Add this area's resources to the API router."""
