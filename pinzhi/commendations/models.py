"""Commendations (嘉奖) on the agent's record (issue 8)."""

from django.db import models  # noqa: F401
