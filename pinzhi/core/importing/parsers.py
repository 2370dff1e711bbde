"""Cell parsers for feed files: text in, a Python value out, or ValueError(reason).

Each takes a stripped, non-empty cell. They are pure and shared by every kind of file,
so a date means the same in every feed (interfaces.md, "Files in").
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

from pinzhi.core.masking import LANDLINE_RE, MOBILE_RE, id_number_checksum_ok, normalise_phone
from pinzhi.core.money import parse_yuan

SHANGHAI = ZoneInfo("Asia/Shanghai")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_TRUE = {"true", "yes", "1", "是", "y"}
_FALSE = {"false", "no", "0", "否", "n"}


def text(max_length: int):
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise ValueError(f"longer than {max_length} characters")
        return value

    return parse


def code(max_length: int = 40):
    def parse(value: str) -> str:
        if len(value) > max_length or not _CODE_RE.match(value):
            raise ValueError("not a code (letters, digits, _ . -)")
        return value

    return parse


def date(value: str) -> dt.date:
    if len(value) > 10 and value[10] in "T " and value[11:].strip("0:") in ("", "T"):
        value = value[:10]  # a spreadsheet's date cell written as midnight
    if len(value) != 10 or value[4] != "-" or value[7] != "-" or not _DATE_RE.match(value):
        raise ValueError("not a date YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError("no such date") from None


def timestamp(value: str) -> dt.datetime:
    """ISO 8601; without an offset it is Asia/Shanghai time (rules §1)."""
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("not a timestamp (ISO 8601, e.g. 2026-03-02T10:15:00+08:00)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    return moment


def money(value: str) -> int:
    """Yuan with at most 2 decimals, not negative, to fen."""
    fen = parse_yuan(value)
    if fen < 0:
        raise ValueError("negative amount")
    return fen


def boolean(value: str) -> bool:
    low = value.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ValueError("not a yes/no value (true/false, yes/no, 1/0, 是/否)")


def choice(*values: str):
    allowed = frozenset(values)

    def parse(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"not one of {', '.join(values)}")
        return value

    return parse


def choice_list(*values: str):
    """A `;`-separated list of codes, each one of `values`, stored `;`-joined."""
    allowed = frozenset(values)

    def parse(value: str) -> str:
        items = [v.strip() for v in value.split(";") if v.strip()]
        wrong = [v for v in items if v not in allowed]
        if wrong:
            raise ValueError(f"{', '.join(wrong)}: not one of {', '.join(values)}")
        return ";".join(dict.fromkeys(items))

    return parse


def integer(low: int, high: int):
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise ValueError("not a whole number") from None
        if not low <= number <= high:
            raise ValueError(f"not between {low} and {high}")
        return number

    return parse


def resident_id(value: str) -> str:
    """An 18-character national ID number with a valid check digit (GB 11643)."""
    value = value.upper()
    if not id_number_checksum_ok(value):
        raise ValueError("not a valid 18-digit national ID number (check digit)")
    return value


def identity_document(value: str) -> str:
    """A national ID number (checked) or another identity document (passport, permit)."""
    value = value.upper()
    if len(value) == 18 and value[:17].isdigit():
        return resident_id(value)
    if not re.fullmatch(r"[A-Z0-9]{6,30}", value):
        raise ValueError("not an identity document number")
    return value


def mobile(value: str) -> str:
    phone = normalise_phone(value)
    if not MOBILE_RE.match(phone):
        raise ValueError("not a mobile number (11 digits starting 13-19)")
    return phone


def phone(value: str) -> str:
    """A mobile or a landline with its area code."""
    number = normalise_phone(value)
    if not (MOBILE_RE.match(number) or LANDLINE_RE.match(number)):
        raise ValueError("not a phone number (mobile, or landline with area code)")
    return number


def landlines(value: str) -> str:
    """A `;`-separated list of landlines, stored normalised in the same form."""
    numbers = [normalise_phone(p) for p in value.split(";") if p.strip()]
    for number in numbers:
        if not LANDLINE_RE.match(number) and not MOBILE_RE.match(number):
            raise ValueError(f"not a phone number: {number}")
    return ";".join(numbers)
