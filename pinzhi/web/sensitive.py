"""Which values pages mask, which may be revealed, and how history rows are shown.

Rules §9: ID numbers and phones are shown masked wherever the full value is not needed.
The reveal whitelist is explicit on purpose: a field is never unmaskable by accident
because its name happens to look sensitive.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from pinzhi.core.masking import mask_id_number, mask_phone
from pinzhi.core.money import format_yuan

# Any field of these names is masked in history, whatever object it belongs to.
_ID_FIELDS = {"id_number", "applicant_id_number", "insured_id_number"}
_PHONE_FIELDS = {"phone", "applicant_phone", "insured_phone", "mobile"}

# Defence in depth for free-form event data: a bare value shaped like an ID number or a
# mobile number is masked even when its key is not one we know.
_ID_SHAPE = re.compile(r"^\d{15}$|^\d{17}[\dXx]$")
_PHONE_SHAPE = re.compile(r"^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$")

ACTION_LABELS = {
    "create": _("created"),
    "created": _("created"),
    "update": _("updated"),
    "updated": _("updated"),
    "import": _("imported"),
    "void": _("voided"),
    "voided": _("voided"),
    "unmask": _("full value viewed"),
    "contact_update": _("contact details updated"),
    # the agent's own record (issue 8)
    "agent.created": _("agency contract signed"),
    "agent.updated": _("updated"),
    "assessments.decided": _("rank decided"),
    "training.attended": _("training attended"),
    "departure.recorded": _("departure recorded"),
}


DETAIL_LABELS = {
    "field": _("field"),
    "reason": _("reason"),
    "file": _("file"),
    "run": _("import run"),
    "source": _("source"),
}


def mask_value(name: str, value):
    """The value of field `name` as a page may show it."""
    if value is None or value == "":
        return value
    if isinstance(value, dict):  # containers first: a list of phones is masked one by one
        return {k: mask_value(k, v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(name, v) for v in value]
    if name in _ID_FIELDS:
        return mask_id_number(str(value))
    if name in _PHONE_FIELDS:
        return mask_phone(str(value))
    if name.endswith("_fen") and isinstance(value, int):
        return format_yuan(value)
    if isinstance(value, str):
        if _ID_SHAPE.match(value):
            return mask_id_number(value)
        if _PHONE_SHAPE.match(value):
            return mask_phone(value)
    return value


# Money fields are stored in fen but shown in yuan: their verbose names say "(fen)".
MONEY_LABELS = {
    "premium_fen": _("Annualised premium"),
    "commission_fen": _("First-year commission"),
}


def field_label(model, name: str) -> str:
    """A field's verbose name (translated), or its raw name if the model has no such field."""
    if name in MONEY_LABELS:
        return MONEY_LABELS[name]
    try:
        return model._meta.get_field(name).verbose_name
    except FieldDoesNotExist:
        return name


@dataclass
class Change:
    label: str
    old: object
    new: object


@dataclass
class HistoryRow:
    event: object
    action: str
    changes: list[Change]
    details: list[tuple[str, object]]


def history_row(event, model) -> HistoryRow:
    """One Event as a page shows it: known actions labelled, every value masked."""
    data = event.data if isinstance(event.data, dict) else {"data": event.data}
    changes = [
        Change(field_label(model, name), mask_value(name, pair[0]), mask_value(name, pair[1]))
        for name, pair in (data.get("changes") or {}).items()
        if isinstance(pair, list | tuple) and len(pair) == 2
    ]
    details = []
    for key, value in data.items():
        if key == "changes":
            continue
        if key == "field":  # the unmask log names a field: show its label
            value = field_label(model, str(value))
        details.append((DETAIL_LABELS.get(key, key), mask_value(key, value)))
    return HistoryRow(event, ACTION_LABELS.get(event.action, event.action), changes, details)


def history(events, model) -> list[HistoryRow]:
    return [history_row(e, model) for e in events]
