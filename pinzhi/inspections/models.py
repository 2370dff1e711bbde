"""Inspections and self-inspections, findings and rectification (issue 8)."""

from django.db import models  # noqa: F401
