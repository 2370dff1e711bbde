"""An agent's departure and its 30-day tasks (issue 8)."""

from django.db import models  # noqa: F401
