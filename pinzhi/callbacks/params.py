"""The callback's numbers as versioned parameters (core.Parameter), read into the pure
rules' `Params`. A policy is called by the parameters in force on its printed date for
its agent's team: the rules it was sold under."""

import datetime as dt

from pinzhi.core.parameters import ParameterTable

from .rules import Params

FIELDS = ("opens_after_printed_days", "first_hour", "last_hour", "spacing_hours",
          "failures_to_fail", "min_days", "min_slots", "agent_days")
KEYS = tuple(f"callbacks.{f}" for f in FIELDS) + (
    "callbacks.manual_due_days", "callbacks.shared_phone_max_applicants",
    "callbacks.lock_minutes")


class CallbackParams:
    """`Params` per (printed date, unit path), one `Params` object per distinct set."""

    def __init__(self):
        self.table = ParameterTable(KEYS)
        self.plain = not any(self.table.versions.values())
        self.default = Params()
        self.interned: dict[tuple, Params] = {}

    def for_policy(self, printed_on: dt.date, unit_path: str) -> Params:
        if self.plain:
            return self.default
        values = tuple(int(self.table.value(f"callbacks.{f}", on=printed_on,
                                            unit_path=unit_path)) for f in FIELDS)
        if values not in self.interned:
            self.interned[values] = Params(**dict(zip(FIELDS, values, strict=True)))
        return self.interned[values]

    def value(self, key: str, on: dt.date, unit_path: str = "") -> int:
        return int(self.table.value(f"callbacks.{key}", on=on, unit_path=unit_path))
