"""Parameters of the rules: versioned rows (core.Parameter) with defaults in code.

Every **[reading]** of the spec and every number a company may change is a key here, with
the spec's value as the default. `value(key, on=day, unit=unit)` gives the version in
force on that day for that unit's subtree.
"""

import datetime as dt

DEFAULTS: dict[str, object] = {
    # rules §7.2: the agent may appeal a confirmed case within this many days of being told
    "quality.appeal_window_days": 10,
    # rules §4.8: misleading sales found in a callback are put right within working days
    "quality.misleading_fix_working_days": 15,
    # rules §7.3: "marginal" (the 11th and later overdue documents cost the higher points)
    # or "all" (every document at the higher points once the count passes the tier)
    "quality.document_tier_mode": "marginal",
    # officers see a deadline as near this many working days before it
    "quality.deadline_warning_working_days": 3,
}


def value(key: str, *, on: dt.date, unit=None):
    """The value of `key` in force on `on` for `unit`'s subtree (head office's if none)."""
    from .models import Parameter
    from .versions import in_force, path_codes

    if key not in DEFAULTS:
        raise KeyError(f"unknown parameter {key!r}")
    versions = Parameter.objects.filter(key=key, valid_from__lte=on).select_related("unit")
    found = in_force(((v.unit.code if v.unit else None, v.valid_from, v) for v in versions),
                     on=on, path=path_codes(unit.path) if unit is not None else [])
    return found.value if found is not None else DEFAULTS[key]
