"""Ranks and the half-year promotion and maintenance assessment (issue 8)."""

from django.db import models  # noqa: F401
