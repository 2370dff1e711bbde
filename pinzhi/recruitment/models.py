"""Recruitment checks before the agency contract (issue 8)."""

from django.db import models  # noqa: F401
