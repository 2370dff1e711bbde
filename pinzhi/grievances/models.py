"""Agents' own complaints and grievances (业务员投诉, issue 8)."""

from django.db import models  # noqa: F401
