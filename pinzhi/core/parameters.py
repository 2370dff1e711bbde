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
    # rules §4.1–4.2: the callback's rounds and attempts
    "callbacks.opens_after_printed_days": 10,  # round 1 opens printed + 10 days, 09:00
    "callbacks.first_hour": 9,  # phone attempts from 09:00:00 ...
    "callbacks.last_hour": 21,  # ... up to, not including, 21:00:00
    "callbacks.spacing_hours": 6,  # an unsuccessful attempt >= 6 h after the previous one
    "callbacks.failures_to_fail": 3,  # [reading] a round fails after 3 counted failures
    "callbacks.min_days": 2,  # [reading] ... on at least 2 different days
    "callbacks.min_slots": 2,  # [reading] ... in at least 2 different time slots
    "callbacks.agent_days": 10,  # the agent confirms or updates within 10 days
    # [reading] the manual callback's task is due this many days after it opened
    "callbacks.manual_due_days": 20,
    # [reading] §4.6: a phone shared by more applicants than this is listed for review
    "callbacks.shared_phone_max_applicants": 3,
    # [reading] the call screen keeps a policy locked to its operator this long
    "callbacks.lock_minutes": 20,
    # rules §5: the receipt is due this many calendar months after the policy takes effect
    "receipts.deadline_months": 3,
    # rules §5: deducted from the policy's commission when the receipt comes back late
    "receipts.late_deduction_fen": 2000,
    # rules §6: deducted when the manual callback found the phone number changed (§4.1)
    "settlement.phone_changed_deduction_fen": 4000,
    # [reading] rules §8.3: the violations that are "false or incomplete customer
    # information" in the regulator's quarterly report
    "reports.regulator_violation_codes": ["false_customer_info"],
    # issue 8: a complaint's clocks in calendar days (complaints/rules.py): decided within
    # 15 days of receipt, extended to 30, and with a senior approval 30 more; a review
    # asked within 30 days of the decision is decided within 30
    "complaints.decision_days": 15,
    "complaints.extended_days": 30,
    "complaints.approved_extra_days": 30,
    "complaints.review_request_days": 30,
    "complaints.review_days": 30,
    # [reading] issue 8: remedial training is attended within this many days of being
    # assigned (by the first evaluation of a day whose half-year standing calls for it)
    "training.remedial_due_days": 60,
    # [reading] issue 8: the percentage of a manager's agents' half-year points that also
    # counts against him (quality/managers.py); 0: off
    "quality.manager_share_percent": 0,
    # issue 8, the agent's lifecycle: the law's bans last this many years (a candidate
    # dismissed or struck off fewer years before the contract is refused)
    "recruitment.ban_years": 5,
    # issue 8: when an agent leaves, his long-term policyholders are told, and his valuable
    # documents returned, within this many calendar days of the day he left
    "departures.notify_days": 30,
    "departures.documents_days": 30,
    # [reading] issue 8: a finding is rectified within this many days unless its plan says
    "inspections.rectification_days": 30,
    # [reading] issue 8: an agent's grievance is replied to within this many days
    "grievances.reply_days": 15,
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


class ParameterTable:
    """Many lookups in one pass (a periodic run over a million policies): every version
    of the given keys is read once, and each lookup is resolved in memory by the same
    `in_force` rule as `value`."""

    def __init__(self, keys):
        from .models import Parameter

        unknown = [k for k in keys if k not in DEFAULTS]
        if unknown:
            raise KeyError(f"unknown parameters {unknown!r}")
        self.versions: dict[str, list] = {k: [] for k in keys}
        for v in Parameter.objects.filter(key__in=list(keys)).select_related("unit"):
            code = v.unit.code if v.unit else None
            label = f"{v.key}@{v.valid_from.isoformat()}" + (f"/{code}" if code else "")
            self.versions[v.key].append((code, v.valid_from, (v.value, label)))
        self.cache: dict = {}

    def value(self, key: str, *, on: dt.date, unit_path: str = ""):
        return self.labelled(key, on=on, unit_path=unit_path)[0]

    def labelled(self, key: str, *, on: dt.date, unit_path: str = "") -> tuple[object, str]:
        """(value, label of its version): `key@valid_from[/unit]`, or `key@default`."""
        versions = self.versions[key]
        if not versions:
            return DEFAULTS[key], f"{key}@default"
        from .versions import in_force, path_codes

        cache_key = (key, on, unit_path)
        if cache_key not in self.cache:
            found = in_force(versions, on=on, path=path_codes(unit_path))
            self.cache[cache_key] = (DEFAULTS[key], f"{key}@default") if found is None \
                else found
        return self.cache[cache_key]
